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

  it('asks a retry to wait while the first request still holds the key, and keeps a reading once', async () => {
    await withStack(async (stack) => {
      const reading = { sensorId: 'rain-renhe', metric: 'rainfall', unit: 'mm', value: 4, time: new Date().toISOString() };
      await stack.call('POST', '/api/sensors/readings', reading, { 'idempotency-key': 'busy-1' });
      // As if the first request were still running in another process.
      await stack.database.client.execute("UPDATE idempotency_keys SET state = 'in-flight', locked_until = '2999-01-01T00:00:00.000Z' WHERE key = 'busy-1'");
      const busy = await stack.call('POST', '/api/sensors/readings', reading, { 'idempotency-key': 'busy-1' });
      expect(busy).toMatchObject({ status: 409 });
      expect(busy.headers.get('retry-after')).toBe('1');
      const first = await stack.call('POST', '/api/sensors/readings', reading, { 'idempotency-key': 'reading-1' });
      const again = await stack.call('POST', '/api/sensors/readings', reading, { 'idempotency-key': 'reading-1' });
      expect(again.body).toEqual(first.body);
      expect((await stack.call('POST', '/api/sensors/readings', reading, { 'idempotency-key': 'bad key with spaces' })).status).toBe(400);
    });
  });
});
