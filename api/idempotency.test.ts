import { describe, expect, it } from 'vitest';
import { withStack } from '../test/harness.js';

describe('Idempotency-Key', () => {
  it('gives a retried launch the first answer, not a second run', async () => {
    await withStack(async (stack) => {
      const launch = { playbookId: 'duty-check', zoneId: 'qiyi', level: 'IV', reason: 'retry me', drill: true };
      const first = await stack.call('POST', '/api/runs', launch, { 'idempotency-key': 'launch-0001' });
      expect(first.status).toBe(201);
      const again = await stack.call('POST', '/api/runs', launch, { 'idempotency-key': 'launch-0001' });
      expect(again).toMatchObject({ status: 201, body: first.body });
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect((await stack.call('GET', '/api/runs?drill=true')).body.runs).toHaveLength(1);
      // The same key for another request is refused; another key is another launch.
      expect((await stack.call('POST', '/api/runs', { ...launch, reason: 'other' }, { 'idempotency-key': 'launch-0001' })).status).toBe(422);
      expect((await stack.call('POST', '/api/runs', launch, { 'idempotency-key': 'launch-0002' })).status).toBe(201);
      expect((await stack.call('GET', '/api/runs?drill=true')).body.runs).toHaveLength(2);
    });
  });

  it('lets a retry after the API died mid-request finish the work once: the run started then is the answer', async () => {
    await withStack(async (stack) => {
      const launch = { playbookId: 'duty-check', zoneId: 'qiyi', level: 'IV', reason: 'crash me', drill: true };
      const first = await stack.call('POST', '/api/runs', launch, { 'idempotency-key': 'crash-0001' });
      // As if the process had died after starting the workflow but before keeping the answer: the key is still held, and its hold has run out.
      await stack.database.client.execute("UPDATE idempotency_keys SET state = 'in-flight', status = NULL, body = NULL, locked_until = '2000-01-01T00:00:00.000Z'");
      const retried = await stack.call('POST', '/api/runs', launch, { 'idempotency-key': 'crash-0001' });
      expect(retried).toMatchObject({ status: 201, body: { runId: first.body.runId } });
      expect((await stack.call('GET', '/api/runs?drill=true')).body.runs).toHaveLength(1);
    });
  });

  it('answers the retry of a warning or a facility fault whose request died after deciding with that decision, not "duplicate"', async () => {
    await withStack(async (stack) => {
      const xml = `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>41160241600000000_20261130080000_resume</identifier><sender>zhouhe@12379.cn</sender><sent>2026-11-30T08:00:00+08:00</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info><language>zh-CN</language><category>Met</category><event>暴雨</event><urgency>Expected</urgency><severity>Moderate</severity><certainty>Likely</certainty>
    <eventCode><valueName>GB</valueName><value>11B03</value></eventCode><headline>周河市气象台发布暴雨黄色预警信号</headline>
    <area><areaDesc>沙河区</areaDesc><polygon>33.66,114.56 33.69,114.56 33.69,114.60 33.66,114.60 33.66,114.56</polygon></area>
  </info>
</alert>`;
      const first = await stack.call('POST', '/api/feeds/cap', xml, { 'content-type': 'application/cap+xml', 'idempotency-key': 'cap-0001' });
      expect(first.body.results[0].action).toMatch(/^(started|awaiting-confirmation)$/);
      const fault = { time: new Date().toISOString(), status: 'fault', detail: 'pump 2 tripped' };
      const firstFault = await stack.call('POST', '/api/facilities/pump-3/status', fault, { 'idempotency-key': 'fault-0001' });
      expect(firstFault.body.action).toBe('started');
      // As if the process had died after committing both decisions but before keeping the answers.
      await stack.database.client.execute("UPDATE idempotency_keys SET state = 'in-flight', status = NULL, body = NULL, locked_until = '2000-01-01T00:00:00.000Z'");
      const retried = await stack.call('POST', '/api/feeds/cap', xml, { 'content-type': 'application/cap+xml', 'idempotency-key': 'cap-0001' });
      expect(retried.body.results).toEqual(first.body.results);
      const retriedFault = await stack.call('POST', '/api/facilities/pump-3/status', fault, { 'idempotency-key': 'fault-0001' });
      expect(retriedFault.body).toEqual(firstFault.body);
      // Another copy of the same message, not a retry of that request, is a duplicate.
      expect((await stack.call('POST', '/api/feeds/cap', xml, { 'content-type': 'application/cap+xml' })).body.results[0].action).toBe('duplicate');
      expect((await stack.call('GET', '/api/runs')).body.runs).toHaveLength(2);
    });
  });

  it('asks a retry to wait while the first request still holds the key, and keeps a reading once', async () => {
    await withStack(async (stack) => {
      const reading = { sensorId: 'rain-renhe', metric: 'rainfall', unit: 'mm', value: 4, time: new Date().toISOString() };
      await stack.call('POST', '/api/sensors/readings', reading, { 'idempotency-key': 'busy-1' });
      // As if the first request were still running in another process.
      await stack.database.client.execute("UPDATE idempotency_keys SET state = 'in-flight', locked_until = '2999-01-01T00:00:00.000Z' WHERE key = 'busy-1'");
      const busy = await stack.call('POST', '/api/sensors/readings', reading, { 'idempotency-key': 'busy-1' });
      expect(busy).toMatchObject({ status: 409 });
      // Asking again does not extend the first request's hold, or a client retrying as told would wait forever.
      const held = await stack.database.client.execute("SELECT locked_until FROM idempotency_keys WHERE key = 'busy-1'");
      expect(held.rows[0]?.locked_until).toBe('2999-01-01T00:00:00.000Z');
      expect(busy.headers.get('retry-after')).toBe('1');
      const first = await stack.call('POST', '/api/sensors/readings', reading, { 'idempotency-key': 'reading-1' });
      const again = await stack.call('POST', '/api/sensors/readings', reading, { 'idempotency-key': 'reading-1' });
      expect(again.body).toEqual(first.body);
      expect((await stack.call('POST', '/api/sensors/readings', reading, { 'idempotency-key': 'bad key with spaces' })).status).toBe(400);
    });
  });
});
