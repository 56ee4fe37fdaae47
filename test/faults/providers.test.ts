import { resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import { delay, http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { members, messages, pushSubscriptions } from '../../db/schema/index.js';
import { loadPlaybooks } from '../../playbooks/loader.js';
import { addCrew } from '../fixtures.js';
import { eventually, withStack } from '../harness.js';
import { mswServer, twilioError, twilioList, twilioMessages, twilioSid, twilioToken, type TwilioCall } from '../msw.js';
import { launch } from '../runs.js';

const playbooks = loadPlaybooks(resolve('test/playbooks'));
const options = { playbooks, realDelivery: true, env: { TWILIO_ACCOUNT_SID: twilioSid, TWILIO_AUTH_TOKEN: twilioToken, TWILIO_FROM: '+15005550006', STORMDESK_PUBLIC_URL: 'https://stormdesk.test', SMS_PER_SECOND: '50' } };

beforeAll(() => mswServer.listen({ onUnhandledRequest: 'error' }));
afterEach(() => mswServer.resetHandlers());
afterAll(() => mswServer.close());

describe('provider faults', () => {
  it('Twilio answering 500 and 503: the text is retried until it goes, and goes once', async () => {
    const calls: TwilioCall[] = [];
    mswServer.use(twilioMessages(calls, (call) => {
      const n = calls.filter((c) => c.To === call.To).length;
      return n === 1 ? twilioError(500, 20500, 'Internal Server Error') : n === 2 ? twilioError(503, 20503, 'Service Unavailable') : undefined;
    }));
    await withStack(async (stack) => {
      const crew = await addCrew(stack.database.db, { id: 'flaky', specialty: 'test-drainage', zones: ['renhe-g1'] });
      const runId = await launch(stack, 'dispatch-demo', 'renhe-g1');
      const row = await eventually(async () => (await stack.database.db.select().from(messages).where(eq(messages.runId, runId))).find((m) => m.memberId === crew.memberIds[0] && m.status === 'sent'), 30_000, 'the text to go after two server errors');
      expect(row.attempts).toBe(3);
      expect(calls.filter((c) => c.To === row.to)).toHaveLength(3);
    }, options);
  });

  it('Twilio taking a text but never answering: the request times out, and the retry finds the text in Twilio\'s list instead of sending it again', async () => {
    const calls: TwilioCall[] = [];
    mswServer.use(
      twilioList(calls),
      http.post(`https://api.twilio.com/2010-04-01/Accounts/${twilioSid}/Messages.json`, async ({ request }) => {
        const call = { ...Object.fromEntries(new URLSearchParams(await request.text())), at: Date.now() } as unknown as TwilioCall;
        calls.push(call);
        // The first text to each number is accepted, but its answer never comes back in time.
        if (calls.filter((c) => c.To === call.To).length === 1) await delay(4_000);
        return HttpResponse.json({ sid: `SM${String(calls.length).padStart(32, '0')}`, status: 'queued', to: call.To, body: call.Body }, { status: 201 });
      }),
    );
    await withStack(async (stack) => {
      const crew = await addCrew(stack.database.db, { id: 'slow', specialty: 'test-drainage', zones: ['renhe-g1'] });
      const runId = await launch(stack, 'dispatch-demo', 'renhe-g1');
      const row = await eventually(async () => (await stack.database.db.select().from(messages).where(eq(messages.runId, runId))).find((m) => m.memberId === crew.memberIds[0] && m.status === 'sent'), 30_000, 'the timed-out text to be recorded as sent');
      // Two attempts: the one that timed out, and the one that found the text at Twilio.
      expect(row.attempts).toBe(2);
      expect(row.error).toMatch(/timeout/i);
      expect(row.providerMessageId).toMatch(/^SM/);
      expect(calls.filter((c) => c.To === row.to)).toHaveLength(1);
    }, { ...options, env: { ...options.env, TWILIO_TIMEOUT_MS: '1000' } });
  });

  it('a push service answering 429 and then 404: retried after its Retry-After, then the dead subscription is removed and SMS carries on', async () => {
    const calls: TwilioCall[] = [];
    const pushes: number[] = [];
    mswServer.use(
      twilioMessages(calls),
      http.post('https://push.example.test/send/:id', () => {
        pushes.push(Date.now());
        return pushes.length === 1 ? new HttpResponse(null, { status: 429, headers: { 'retry-after': '2' } }) : new HttpResponse(null, { status: 404 });
      }),
    );
    await withStack(async (stack) => {
      await addCrew(stack.database.db, { id: 'push-crew', specialty: 'test-push', zones: ['renhe-g1'] });
      await stack.database.db.update(members).set({ crewId: 'push-crew' }).where(eq(members.id, 'crew-drain-shahe-m1'));
      const sub = await stack.callAs('crew', 'POST', '/api/push/subscriptions', {
        endpoint: 'https://push.example.test/send/device-1',
        keys: { p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM', auth: 'tBHItJI5svbpez7KI4CCXg' },
      });
      expect(sub.status).toBe(201);
      const runId = await launch(stack, 'push-demo', 'renhe-g1');
      await eventually(async () => ((await stack.database.db.select().from(pushSubscriptions)).length === 0 ? true : undefined), 30_000, 'the 404 subscription to be removed');
      expect(pushes.length).toBe(2);
      expect((pushes[1] ?? 0) - (pushes[0] ?? 0)).toBeGreaterThanOrEqual(1_900);
      const push = (await stack.database.db.select().from(messages).where(eq(messages.runId, runId))).find((m) => m.channel === 'push');
      expect(push).toMatchObject({ status: 'failed', error: expect.stringContaining('gone') });
      await eventually(async () => ((await stack.database.db.select().from(messages).where(eq(messages.runId, runId))).some((m) => m.memberId === 'crew-drain-shahe-m1' && m.channel === 'sms' && m.status === 'sent') ? true : undefined), 20_000, 'the SMS to the member whose push failed');
    }, options);
  });
});
