import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { readings } from '../db/schema/index.js';
import { withStack } from '../test/harness.js';
import { until } from '../test/runs.js';

const at = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000).toISOString();

describe('sensor readings', () => {
  it('keep the good items of a batch, say why each bad one was refused, and start a run when a threshold holds long enough', async () => {
    await withStack(async (stack) => {
      const rule = await stack.call('POST', '/api/sensors/rules', { sensorId: 'depth-underpass-renmin', hazard: 'heavy-rain', playbookId: 'heavy-rain', level: 'II', above: 0.27, clearBelow: 0.15, sustainedSeconds: 60 });
      expect(rule.status).toBe(201);
      const depth = (value: unknown, secondsAgo: number) => ({ sensorId: 'depth-underpass-renmin', metric: 'water-level', unit: 'm', time: at(secondsAgo), value });
      const batch = {
        readings: [
          depth(0.3, 120), depth(0.31, 90), depth(0.33, 50),
          depth('high', 40),
          { ...depth(0.4, 30), sensorId: 'no-such-gauge' },
          { ...depth(0.4, 30), time: new Date(Date.now() + 3_600_000).toISOString() },
          { ...depth(0.4, 30), colour: 'red' },
        ],
      };
      const res = await stack.callAs({ key: (await stack.callAs('admin', 'POST', '/api/keys', { name: 'gauges', scopes: ['sensors:write'] })).body.key }, 'POST', '/api/sensors/readings', batch);
      expect(res.status).toBe(202);
      expect(res.body.accepted).toBe(3);
      expect(res.body.rejected.map((r: { index: number }) => r.index)).toEqual([3, 4, 5, 6]);
      expect(res.body.rejected[1].error).toContain('no sensor');
      expect(res.body.rejected[2].error).toContain('future');
      expect(res.body.rejected[3].error).toContain('colour');
      expect(res.body.triggered).toEqual([expect.objectContaining({ action: 'started', workflowId: expect.stringContaining('incident:heavy-rain:shahe') })]);
      expect(await stack.database.db.select().from(readings).where(eq(readings.sensorId, 'depth-underpass-renmin'))).toHaveLength(3);

      const again = await stack.call('POST', '/api/sensors/readings', batch);
      expect(again.body.triggered).toEqual([]);
      expect(await stack.database.db.select().from(readings)).toHaveLength(3);

      const cleared = await stack.call('POST', '/api/sensors/readings', depth(0.1, 5));
      expect(cleared.body).toMatchObject({ accepted: 1, triggered: [{ action: 'stand-down-requested' }] });
      const runs = await stack.call('GET', '/api/runs?hazard=heavy-rain');
      await until(stack, runs.body.runs[0].id, (v) => v.conditions['sensors-clear'], 'the clear reading to reach the run');
      expect((await stack.call('GET', '/api/triggers?source=sensor')).body.triggers.map((t: { action: string }) => t.action)).toEqual(['stand-down-requested', 'started']);
    });
  });

  it('refuse a rule whose clear level is above its trip level', async () => {
    await withStack(async (stack) => {
      const res = await stack.call('POST', '/api/sensors/rules', { sensorId: 'depth-underpass-renmin', hazard: 'heavy-rain', playbookId: 'heavy-rain', level: 'II', above: 0.27, clearBelow: 0.3 });
      expect(res).toMatchObject({ status: 400, body: { errors: [{ path: 'body.clearBelow' }] } });
    });
  });
});
