import { resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import { http, HttpResponse } from 'msw';
import twilio from 'twilio';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { members, messages, pushSubscriptions, tasks } from '../db/schema/index.js';
import { loadPlaybooks } from '../playbooks/loader.js';
import { addCrew } from '../test/fixtures.js';
import { eventually, withStack, type Stack } from '../test/harness.js';
import { mswServer, twilioError, twilioMessages, twilioSid, twilioToken, type TwilioCall } from '../test/msw.js';
import { launch, stepReaches, tasksOf, until } from '../test/runs.js';

const playbooks = loadPlaybooks(resolve('test/playbooks'));
const publicUrl = 'https://stormdesk.test';
const env = { TWILIO_ACCOUNT_SID: twilioSid, TWILIO_AUTH_TOKEN: twilioToken, TWILIO_FROM: '+15005550006', STORMDESK_PUBLIC_URL: publicUrl, SMS_PER_SECOND: '50' };
const options = { playbooks, env, realDelivery: true };

beforeAll(() => mswServer.listen({ onUnhandledRequest: 'error' }));
afterEach(() => mswServer.resetHandlers());
afterAll(() => mswServer.close());

/** Posts a form as Twilio would, signed against the public URL (or not, when `sign` is false). */
async function fromTwilio(stack: Stack, path: string, params: Record<string, string>, sign = true) {
  const signature = sign ? twilio.getExpectedTwilioSignature(twilioToken, `${publicUrl}${path}`, params) : 'forged';
  const res = await stack.app.request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: new URLSearchParams(params).toString() });
  return { status: res.status, text: await res.text() };
}

const outbox = (stack: Stack, runId: string) => stack.database.db.select().from(messages).where(eq(messages.runId, runId));
const linkToken = (body: string) => /\/t\/([A-Za-z0-9_-]{43})/.exec(body)?.[1];

describe('SMS through Twilio', () => {
  it('texts the crew with the task code, a signed link and a status callback; a reply acknowledges, a status callback is recorded', async () => {
    const calls: TwilioCall[] = [];
    mswServer.use(twilioMessages(calls));
    await withStack(async (stack) => {
      const crew = await addCrew(stack.database.db, { id: 'drain-t', specialty: 'test-drainage', zones: ['renhe-g1'] });
      const runId = await launch(stack, 'dispatch-demo', 'renhe-g1');
      const view = await stepReaches(stack, runId, 'clear-inlets', 'waiting-ack');
      const task = tasksOf(view, 'clear-inlets')[0];
      if (!task) throw new Error('no task');
      await eventually(() => (calls.length >= 2 ? true : undefined), 10_000, 'two texts');
      expect(calls.map((c) => c.From)).toEqual(['+15005550006', '+15005550006']);
      expect(calls[0]?.Body).toContain(`任务${task.code}`);
      expect(calls[0]?.Body).toContain(`${publicUrl}/t/`);
      expect(calls[0]?.StatusCallback).toBe(`${publicUrl}/api/twilio/status`);
      const rows = await outbox(stack, runId);
      expect(rows.every((m) => m.provider === 'twilio' && m.providerMessageId?.startsWith('SM'))).toBe(true);

      const member = await stack.database.db.query.members.findFirst({ where: eq(members.id, crew.memberIds[1] ?? '') });
      // Replies are matched against the tasks table, which the run writes just after its texts go out.
      await eventually(async () => ((await stack.database.db.select().from(tasks).where(eq(tasks.runId, runId))).length ? true : undefined), 10_000, 'the task row');
      const forged = await fromTwilio(stack, '/api/twilio/sms', { From: member?.phone ?? '', Body: '1' }, false);
      expect(forged.status).toBe(403);
      const reply = await fromTwilio(stack, '/api/twilio/sms', { From: member?.phone ?? '', Body: '收到', MessageSid: 'SMin1' });
      expect(reply.status).toBe(200);
      expect(reply.text).toContain(`任务${task.code}已确认`);
      const acked = await until(stack, runId, (v) => tasksOf(v, 'clear-inlets')[0]?.status === 'acknowledged', 'the SMS acknowledgement');
      expect(acked.timeline.some((e) => e.message.includes('via sms'))).toBe(true);
      const again = await fromTwilio(stack, '/api/twilio/sms', { From: member?.phone ?? '', Body: '1' });
      expect(again.text).toContain('已确认');
      expect((await fromTwilio(stack, '/api/twilio/sms', { From: member?.phone ?? '', Body: 'hello?' })).text).toContain(task.code);
      expect((await fromTwilio(stack, '/api/twilio/sms', { From: '+8613000000000', Body: '1' })).text).toContain('Unknown number');

      const sid = rows[0]?.providerMessageId ?? '';
      expect((await fromTwilio(stack, '/api/twilio/status', { MessageSid: sid, MessageStatus: 'delivered' })).status).toBe(204);
      const [delivered] = await stack.database.db.select().from(messages).where(eq(messages.providerMessageId, sid));
      expect(delivered?.status).toBe('delivered');
    }, options);
  });

  it('acknowledges and completes through the signed link, and refuses a tampered one', async () => {
    const calls: TwilioCall[] = [];
    mswServer.use(twilioMessages(calls));
    await withStack(async (stack) => {
      await addCrew(stack.database.db, { id: 'drain-l', specialty: 'test-drainage', zones: ['renhe-g1'] });
      const runId = await launch(stack, 'dispatch-demo', 'renhe-g1');
      await stepReaches(stack, runId, 'clear-inlets', 'waiting-ack');
      await eventually(() => (calls.length >= 1 ? true : undefined), 10_000, 'a text');
      const token = linkToken(calls[0]?.Body ?? '');
      if (!token) throw new Error('no link in the message');
      const opened = await stack.callAs('anonymous', 'GET', `/api/links/${token}`);
      expect(opened.status).toBe(200);
      expect(opened.body.task.crewId).toBe('drain-l');
      const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
      expect((await stack.callAs('anonymous', 'POST', `/api/links/${tampered}/ack`)).status).toBe(404);
      expect((await stack.callAs('anonymous', 'POST', `/api/links/${token}/done`)).status).toBe(200);
      const view = await stepReaches(stack, runId, 'clear-inlets', 'awaiting-verification');
      expect(view.timeline.some((e) => e.message.includes('via link'))).toBe(true);
    }, options);
  });

  it('retries a 429 no sooner than its Retry-After, without texting twice, and never retries an invalid number (flagging the member)', async () => {
    const calls: TwilioCall[] = [];
    const invalid = '+8613911112222';
    mswServer.use(twilioMessages(calls, (call) => {
      if (call.To === invalid) return twilioError(400, 21211, "The 'To' number is not a valid phone number.");
      return calls.filter((c) => c.To === call.To).length === 1 ? twilioError(429, 20429, 'Too Many Requests', { 'retry-after': '3' }) : undefined;
    }));
    await withStack(async (stack) => {
      const crew = await addCrew(stack.database.db, { id: 'drain-r', specialty: 'test-drainage', zones: ['renhe-g1'] });
      await stack.database.db.update(members).set({ phone: invalid }).where(eq(members.id, crew.memberIds[1] ?? ''));
      const runId = await launch(stack, 'dispatch-demo', 'renhe-g1');
      await until(stack, runId, (v) => v.timeline.some((e) => e.type === 'delivery.failed'), 'the invalid number to be reported');
      const rows = await eventually(async () => {
        const r = (await outbox(stack, runId)).filter((m) => m.key.includes('|sms|1'));
        return r.length === 2 && r.every((m) => m.status !== 'pending') ? r : undefined;
      }, 15_000, 'both messages to settle');
      const good = rows.find((m) => m.memberId === crew.memberIds[0]);
      const bad = rows.find((m) => m.memberId === crew.memberIds[1]);
      expect(good).toMatchObject({ status: 'sent' });
      expect(bad).toMatchObject({ status: 'failed' });
      const tries = calls.filter((c) => c.To === good?.to);
      expect(tries.length).toBe(2); // the 429, then the one that went
      expect((tries[1]?.at ?? 0) - (tries[0]?.at ?? 0)).toBeGreaterThanOrEqual(2900);
      expect(calls.filter((c) => c.To === invalid).length).toBe(1);
      const flagged = await stack.database.db.query.members.findFirst({ where: eq(members.id, crew.memberIds[1] ?? '') });
      expect(flagged?.phoneInvalidReason).toContain('21211');
    }, options);
  });
});

describe('web push', () => {
  it('pushes first to a crew member who subscribed, with an Acknowledge action; SMS follows when nobody acknowledges; a 410 removes the subscription', async () => {
    const calls: TwilioCall[] = [];
    const pushes: string[] = [];
    let gone = false;
    mswServer.use(
      twilioMessages(calls),
      http.post('https://push.example.test/send/:id', async ({ request }) => {
        pushes.push(request.url);
        return gone ? new HttpResponse(null, { status: 410 }) : new HttpResponse(null, { status: 201 });
      }),
    );
    await withStack(async (stack) => {
      const crew = await addCrew(stack.database.db, { id: 'push-crew', specialty: 'test-push', zones: ['renhe-g1'] });
      // Bind the crew user to this crew's lead and subscribe the device through the API.
      await stack.database.db.update(members).set({ crewId: 'push-crew' }).where(eq(members.id, 'crew-drain-shahe-m1'));
      const key = await stack.callAs('anonymous', 'GET', '/api/push/vapid-public-key');
      expect(key.body.publicKey).toMatch(/^[A-Za-z0-9_-]{80,}$/);
      const sub = await stack.callAs('crew', 'POST', '/api/push/subscriptions', {
        endpoint: 'https://push.example.test/send/device-1',
        keys: { p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM', auth: 'tBHItJI5svbpez7KI4CCXg' },
      });
      expect(sub.status).toBe(201);
      const runId = await launch(stack, 'push-demo', 'renhe-g1');
      await eventually(() => (pushes.length >= 1 ? true : undefined), 10_000, 'a push');
      const first = await outbox(stack, runId);
      expect(first.filter((m) => m.channel === 'push')).toHaveLength(1);
      expect(first.filter((m) => m.channel === 'sms').map((m) => m.memberId).sort()).toEqual([...crew.memberIds].sort());
      const payload = JSON.parse(first.find((m) => m.channel === 'push')?.body ?? '{}') as { actions: { action: string }[]; data: { taskId: string } };
      expect(payload.actions.map((a) => a.action)).toEqual(['ack', 'open']);
      // Nobody acknowledges the push within the grace: the subscriber gets an SMS too.
      await eventually(async () => ((await outbox(stack, runId)).some((m) => m.memberId === 'crew-drain-shahe-m1' && m.channel === 'sms') ? true : undefined), 10_000, 'the SMS follow-up');
      gone = true;
      expect((await stack.callAs('crew', 'POST', `/api/tasks/${payload.data.taskId}/ack`)).status).toBe(200);
      await until(stack, runId, (v) => v.tasks[0]?.status === 'acknowledged', 'the acknowledgement from the crew app');
      expect((await stack.call('POST', `/api/runs/${runId}/actions`, { type: 'waive', taskId: payload.data.taskId, reason: 'drill over' })).status).toBe(200);
      expect((await stack.call('POST', `/api/runs/${runId}/actions`, { type: 'stand-down', reason: 'test' })).status).toBe(200);
      await eventually(async () => ((await stack.database.db.select().from(pushSubscriptions)).length === 0 ? true : undefined), 15_000, 'the gone subscription to be removed');
    }, options);
  });
});

describe('crews, members and rosters', () => {
  it('are managed through the API, validated, and only crews on shift are dispatched', async () => {
    const calls: TwilioCall[] = [];
    mswServer.use(twilioMessages(calls));
    await withStack(async (stack) => {
      const created = await stack.call('POST', '/api/crews', { id: 'night-crew', name: '夜班排水队', specialty: 'test-drainage', zoneIds: ['renhe-g1'] });
      expect(created.status).toBe(201);
      expect((await stack.call('POST', '/api/crews', { name: 'x', specialty: 'y', zoneIds: ['atlantis'] })).status).toBe(422);
      expect((await stack.call('POST', '/api/members', { crewId: 'night-crew', name: '值班员', phone: '13800000000' })).body.errors[0].path).toBe('body.phone');
      expect((await stack.call('POST', '/api/members', { id: 'night-1', crewId: 'night-crew', name: '夜班一号', phone: '+8613700000001', supervisor: true })).status).toBe(201);
      await stack.call('POST', '/api/crews', { id: 'day-crew', name: '白班排水队', specialty: 'test-drainage', zoneIds: ['renhe-g1'] });
      await stack.call('POST', '/api/members', { id: 'day-1', crewId: 'day-crew', name: '白班一号', phone: '+8613700000002' });
      const now = Date.now();
      // The night crew's shift is over; the day crew is on.
      expect((await stack.call('POST', '/api/rosters', { crewId: 'night-crew', startsAt: new Date(now - 9 * 3600_000).toISOString(), endsAt: new Date(now - 3600_000).toISOString(), handoverNote: '两处篦子已清' })).status).toBe(201);
      await stack.call('POST', '/api/rosters', { crewId: 'day-crew', startsAt: new Date(now - 3600_000).toISOString(), endsAt: new Date(now + 8 * 3600_000).toISOString() });
      expect((await stack.call('POST', '/api/rosters', { crewId: 'day-crew', startsAt: new Date(now).toISOString(), endsAt: new Date(now - 1).toISOString() })).status).toBe(400);
      const roster = await stack.call('GET', '/api/rosters');
      expect(roster.body.onDuty).toContain('day-crew');
      expect(roster.body.onDuty).not.toContain('night-crew');
      const runId = await launch(stack, 'dispatch-demo', 'renhe-g1');
      const view = await stepReaches(stack, runId, 'clear-inlets', 'waiting-ack');
      expect(tasksOf(view, 'clear-inlets')[0]?.crewId).toBe('day-crew');
      expect((await stack.call('PUT', '/api/zones/renhe-g1/escalation-chain', { crewIds: ['day-crew', 'nope'] })).status).toBe(422);
      // The step waits for acknowledgement as soon as the task is assigned; its texts are written just after.
      await eventually(async () => ((await stack.call('GET', `/api/outbox?runId=${runId}`)).body.messages.length > 0 ? true : undefined), 10_000, 'the texts in the outbox');
      expect((await stack.callAs('viewer', 'GET', '/api/outbox')).status).toBe(403);
    }, options);
  });
});

describe('the mainland provider', () => {
  const aliyunEnv = { ...env, ALIYUN_SMS_ACCESS_KEY_ID: 'LTAI-test', ALIYUN_SMS_ACCESS_KEY_SECRET: 'secret', ALIYUN_SMS_SIGN_NAME: '周河应急', ALIYUN_SMS_TEMPLATE_CODE: 'SMS_123456' };

  it('takes +86 numbers first, and a permanent refusal fails over to Twilio', async () => {
    const calls: TwilioCall[] = [];
    const aliyun: URLSearchParams[] = [];
    mswServer.use(
      twilioMessages(calls),
      http.all('https://dysmsapi.aliyuncs.com/*', async ({ request }) => {
        const params = new URLSearchParams(new URL(request.url).search);
        for (const [k, v] of new URLSearchParams(await request.text())) params.set(k, v);
        aliyun.push(params);
        // The second member's number is refused as Alibaba Cloud would refuse an unapproved template use.
        const refused = params.get('PhoneNumbers')?.endsWith('2') ?? false;
        return HttpResponse.json(refused ? { Code: 'isv.SMS_TEMPLATE_ILLEGAL', Message: 'template not approved', RequestId: 'r2' } : { Code: 'OK', Message: 'OK', BizId: '900^0', RequestId: 'r1' });
      }),
    );
    await withStack(async (stack) => {
      const crew = await addCrew(stack.database.db, { id: 'drain-cn', specialty: 'test-drainage', zones: ['renhe-g1'] });
      await stack.database.db.update(members).set({ phone: '+8613700000012' }).where(eq(members.id, crew.memberIds[1] ?? ''));
      const runId = await launch(stack, 'dispatch-demo', 'renhe-g1');
      const rows = await eventually(async () => {
        const r = await outbox(stack, runId);
        return r.length === 2 && r.every((m) => m.status === 'sent') ? r : undefined;
      }, 15_000, 'both texts out');
      expect(rows.find((m) => m.memberId === crew.memberIds[0])?.provider).toBe('aliyun');
      expect(rows.find((m) => m.memberId === crew.memberIds[1])?.provider).toBe('twilio');
      expect(aliyun[0]?.get('TemplateCode')).toBe('SMS_123456');
      expect(JSON.parse(aliyun[0]?.get('TemplateParam') ?? '{}').content).toContain('任务');
      expect(calls.map((c) => c.To)).toEqual(['+8613700000012']);
    }, { ...options, env: aliyunEnv });
  });
});
