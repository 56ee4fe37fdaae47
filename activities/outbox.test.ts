import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages, members } from '../db/schema/index.js';
import { startTwilioStandIn, type StandIn } from '../bench/twilio-stand-in.js';
import { testDatabase } from '../test/harness.js';
import { deliver, type DeliveryOptions, type Envelope } from './outbox.js';
import { twilioTransport } from './transports/twilio.js';
import { failover, type Transport } from './transports/types.js';

let standIn: StandIn;
let database: Awaited<ReturnType<typeof testDatabase>>;
beforeAll(async () => {
  standIn = await startTwilioStandIn(100_000);
  database = await testDatabase();
});
afterAll(async () => {
  database.dispose();
  await standIn.close();
});

const twilio = () => twilioTransport({ accountSid: `AC${'0'.repeat(32)}`, authToken: 'outbox-test', from: '+15005550006', statusCallback: undefined, apiBaseUrl: standIn.url });
const options = (sms: Transport): DeliveryOptions => ({ transports: { sms }, perSecond: { sms: 1000 }, dailyCapPerNumber: 1000, concurrency: 4 });

describe('a text whose worker died after the provider took it', () => {
  it('is found at Twilio and recorded as sent, not sent again, however many texts the number has had since', async () => {
    const [member] = await database.db.select().from(members).limit(1);
    if (!member) throw new Error('the demo city has no members');
    const envelope: Envelope = {
      scope: 'run_lost|notify', attempt: 1, runId: undefined, drill: false,
      recipients: [{ memberId: member.id, phone: member.phone, language: member.language, channels: ['sms'], pushSubscriptions: [] }],
      text: (_language, messageId) => `Task for ${messageId}`,
    };
    // The first attempt hands the text to Twilio, then its worker dies before recording that.
    const real = twilio();
    const dies: Transport = { name: 'twilio', async send(message) { await real.send(message); throw new Error('worker killed'); } };
    await deliver(database.db, options(dies), envelope).catch(() => undefined);
    const [lost] = await database.db.select().from(messages).where(eq(messages.key, 'run_lost|notify|' + member.id + '|sms|1'));
    expect(lost?.status).toBe('pending');
    expect(lost?.sendingSince).toBeTruthy();

    // A busy night: more texts to the same phone than one page of Twilio's list holds (200).
    for (let i = 0; i < 250; i += 1) await real.send({ id: `other-${i}`, to: member.phone, body: `other text ${i}`, channel: 'sms', memberId: member.id });

    const report = await deliver(database.db, options(twilio()), envelope);
    expect(report.sent).toBe(1);
    expect(standIn.received.filter((r) => r.body === lost?.body)).toHaveLength(1);
    const [after] = await database.db.select().from(messages).where(eq(messages.id, lost?.id ?? ''));
    expect(after?.status).toBe('sent');
    expect(after?.providerMessageId).toMatch(/^SM/);
  });

  it('stays pending, unsent, while Twilio cannot say whether it went', async () => {
    const [member] = await database.db.select().from(members).limit(1);
    if (!member) throw new Error('the demo city has no members');
    const envelope: Envelope = {
      scope: 'run_unknown|notify', attempt: 1, runId: undefined, drill: false,
      recipients: [{ memberId: member.id, phone: member.phone, language: member.language, channels: ['sms'], pushSubscriptions: [] }],
      text: (_language, messageId) => `Unknown ${messageId}`,
    };
    const real = twilio();
    const dies: Transport = { name: 'twilio', async send(message) { await real.send(message); throw new Error('worker killed'); } };
    await deliver(database.db, options(dies), envelope).catch(() => undefined);
    const listDown: Transport = failover(() => [{ name: 'twilio', send: real.send, async findSent() { throw new Error('Twilio 503 on the message list'); } }]);
    await expect(deliver(database.db, options(listDown), envelope)).rejects.toThrow(/could not ask/);
    expect(standIn.received.filter((r) => r.body.startsWith('Unknown'))).toHaveLength(1);
    const [row] = await database.db.select().from(messages).where(eq(messages.key, `run_unknown|notify|${member.id}|sms|1`));
    expect(row?.status).toBe('pending');
  });

  it('is sent when Twilio never got it', async () => {
    const [member] = await database.db.select().from(members).limit(1);
    if (!member) throw new Error('the demo city has no members');
    const envelope: Envelope = {
      scope: 'run_never|notify', attempt: 1, runId: undefined, drill: false,
      recipients: [{ memberId: member.id, phone: member.phone, language: member.language, channels: ['sms'], pushSubscriptions: [] }],
      text: (_language, messageId) => `Never sent ${messageId}`,
    };
    const dies: Transport = { name: 'twilio', async send() { throw new Error('worker killed before the request left'); } };
    await deliver(database.db, options(dies), envelope).catch(() => undefined);
    const report = await deliver(database.db, options(twilio()), envelope);
    expect(report.sent).toBe(1);
    expect(standIn.received.filter((r) => r.body.startsWith('Never sent'))).toHaveLength(1);
  });
});
