import { describe, expect, it } from 'vitest';
import { withStack, type Stack } from '../test/harness.js';
import { launch, state, until } from '../test/runs.js';
import { seedDemoTriggers } from '../db/seed.js';
import { checkSilence, pruneReadings } from './sensor-rules.js';

const at = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000).toISOString();
const reading = (sensorId: string, value: number, secondsAgo: number, metric = 'water-level', unit = 'm') => ({ sensorId, metric, unit, value, time: at(secondsAgo) });
const post = async (stack: Stack, ...items: ReturnType<typeof reading>[]) => (await stack.call('POST', '/api/sensors/readings', { readings: items })).body;
const rule = async (stack: Stack, body: Record<string, unknown>) => {
  const res = await stack.call('POST', '/api/sensors/rules', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
};

describe('sensor rules', () => {
  it('over a whole zone: trip with the first gauge over the line, and ask to stand down only when the last is back under', async () => {
    await withStack(async (stack) => {
      await rule(stack, { zoneId: 'renhe', metric: 'water-level', hazard: 'heavy-rain', playbookId: 'heavy-rain', level: 'II', above: 0.27, clearBelow: 0.15 });
      expect((await post(stack, reading('depth-underpass-renmin', 0.3, 60))).triggered).toEqual([expect.objectContaining({ action: 'started', sensorId: 'depth-underpass-renmin' })]);
      // The second gauge in the same street going over changes nothing: the zone's run already knows.
      expect((await post(stack, reading('level-shahe', 0.4, 50))).triggered).toEqual([]);
      expect((await post(stack, reading('depth-underpass-renmin', 0.1, 40))).triggered).toEqual([]);
      expect((await post(stack, reading('level-shahe', 0.1, 30))).triggered).toEqual([expect.objectContaining({ action: 'stand-down-requested', sensorId: 'level-shahe' })]);
      // A gauge in another street is not watched by this rule.
      expect((await post(stack, reading('depth-underpass-railway', 0.9, 20))).triggered).toEqual([]);
      const rules = (await stack.call('GET', '/api/sensors/rules')).body.rules;
      expect(rules[0]).toMatchObject({ kind: 'threshold', zoneId: 'renhe', tripped: false, states: [expect.anything(), expect.anything()] });
    });
  });

  it('on the rate of rise: water climbing 10 cm within 10 minutes trips even below the depth threshold', async () => {
    await withStack(async (stack) => {
      await rule(stack, { kind: 'rate-of-change', sensorId: 'depth-underpass-railway', hazard: 'heavy-rain', playbookId: 'heavy-rain', level: 'III', above: 0.1, clearBelow: 0.02, windowSeconds: 600 });
      expect((await post(stack, reading('depth-underpass-railway', 0.02, 540), reading('depth-underpass-railway', 0.06, 300))).triggered).toEqual([]);
      const rising = await post(stack, reading('depth-underpass-railway', 0.14, 60));
      expect(rising.triggered).toEqual([expect.objectContaining({ action: 'awaiting-confirmation', workflowId: expect.stringContaining('incident:heavy-rain:yingshui') })]);
      const log = (await stack.call('GET', '/api/triggers?source=sensor')).body.triggers;
      expect(log[0].reason).toMatch(/rose 0\.12 m in 600 s/);
    });
  });

  it('refuse a rule that names both a sensor and a zone, or neither, or an unknown zone', async () => {
    await withStack(async (stack) => {
      const both = await stack.call('POST', '/api/sensors/rules', { sensorId: 'rain-renhe', zoneId: 'renhe', metric: 'rainfall', kind: 'silent', silentSeconds: 600 });
      expect(both).toMatchObject({ status: 400, body: { errors: [{ path: 'body.zoneId' }] } });
      const neither = await stack.call('POST', '/api/sensors/rules', { kind: 'silent', silentSeconds: 600 });
      expect(neither).toMatchObject({ status: 400, body: { errors: [{ path: 'body.sensorId' }] } });
      const unknown = await stack.call('POST', '/api/sensors/rules', { kind: 'silent', zoneId: 'atlantis', metric: 'rainfall', silentSeconds: 600 });
      expect(unknown).toMatchObject({ status: 422, body: { errors: [{ path: 'body.zoneId' }] } });
      const kind = await stack.call('POST', '/api/sensors/rules', { kind: 'vibes', sensorId: 'rain-renhe' });
      expect(kind.status).toBe(400);
    });
  });

  it('flag a silent sensor, escalate the silence to the duty officer while an orange run covers its zone, and unflag it when it speaks again', async () => {
    await withStack(async (stack) => {
      await rule(stack, { kind: 'silent', sensorId: 'wind-city', silentSeconds: 600 });
      await post(stack, reading('wind-city', 8, 1200, 'wind-speed', 'm/s'));
      const runId = await launch(stack, 'strong-wind', 'shahe', 'II');
      const swept = await checkSilence(stack.deps, new Date());
      expect(swept).toEqual([expect.objectContaining({ sensorId: 'wind-city', action: 'escalated', workflowIds: [expect.stringContaining('shahe')] })]);
      await until(stack, runId, (v) => v.notes.some((n) => n.text.includes('wind-city')), 'the silence note on the run');
      expect((await stack.call('GET', '/api/sensors')).body.sensors.find((s: { id: string }) => s.id === 'wind-city')).toMatchObject({ silent: true });
      // Swept again while still silent: flagged once, not again.
      expect(await checkSilence(stack.deps, new Date())).toEqual([]);
      await post(stack, reading('wind-city', 9, 5, 'wind-speed', 'm/s'));
      expect(await checkSilence(stack.deps, new Date())).toEqual([expect.objectContaining({ action: 'back' })]);
      expect((await state(stack, runId)).notes.filter((n) => n.text.includes('wind-city'))).toHaveLength(1);
    });
  });

  it('keep readings for the retention period only, and serve a sensor recent readings for its chart', async () => {
    await withStack(async (stack) => {
      await post(stack, reading('rain-renhe', 3, 40 * 86_400, 'rainfall', 'mm'), reading('rain-renhe', 5, 86_400 * 2, 'rainfall', 'mm'), reading('rain-renhe', 7, 60, 'rainfall', 'mm'));
      expect(await pruneReadings(stack.deps, new Date(), 30)).toBe(1);
      const recent = await stack.call('GET', `/api/sensors/rain-renhe/readings?since=${encodeURIComponent(at(3 * 86_400))}`);
      expect(recent.body.readings.map((r: { value: number }) => r.value)).toEqual([5, 7]);
      expect((await stack.call('GET', '/api/sensors/nowhere/readings')).status).toBe(404);
    });
  });
});

describe('facility status events', () => {
  it('start the facility-failure run for the zone on a pump fault, once, and only note other states', async () => {
    await withStack(async (stack) => {
      const time = at(30);
      const fault = await stack.call('POST', '/api/facilities/pump-3/status', { time, status: 'fault', detail: '2号机组过流跳闸' });
      expect(fault).toMatchObject({ status: 202, body: { action: 'started', hazard: 'facility-failure', level: 'III', workflowId: expect.stringContaining('incident:facility-failure:shahe') } });
      expect((await stack.call('POST', '/api/facilities/pump-3/status', { time, status: 'fault' })).body.action).toBe('duplicate');
      expect((await stack.call('POST', '/api/facilities/pump-3/status', { time: at(10), status: 'running' })).body.action).toBe('noted');
      // An event older than the latest is kept for the record but does not act.
      expect((await stack.call('POST', '/api/facilities/pump-3/status', { time: at(20), status: 'fault' })).body).toMatchObject({ action: 'noted', reason: expect.stringContaining('older') });
      expect((await stack.call('POST', '/api/facilities/pump-3/status', { time, status: 'exploded' })).status).toBe(400);
      expect((await stack.call('POST', '/api/facilities/pump-99/status', { time, status: 'fault' })).status).toBe(404);
      const log = (await stack.call('GET', '/api/triggers?source=facility')).body.triggers;
      expect(log.map((t: { action: string }) => t.action)).toEqual(['noted', 'noted', 'started']);
    });
  });
});

describe('the demo city', () => {
  it('comes with rules on its underpasses, river and rain gauges, and a feed waiting for its key', async () => {
    await withStack(async (stack) => {
      expect(await seedDemoTriggers(stack.database.db)).toBe(true);
      expect(await seedDemoTriggers(stack.database.db)).toBe(false);
      const rules = (await stack.call('GET', '/api/sensors/rules')).body.rules;
      expect(rules.map((r: { kind: string }) => r.kind).sort()).toEqual(['rate-of-change', 'silent', 'threshold', 'threshold']);
      expect((await stack.call('GET', '/api/feeds')).body.feeds).toEqual([expect.objectContaining({ id: 'qweather-zhouhe', health: 'disabled' })]);
      // The seeded underpass rule acts like any other.
      const reading = { sensorId: 'depth-underpass-renmin', metric: 'water-level', unit: 'm', value: 0.35 };
      await stack.call('POST', '/api/sensors/readings', { readings: [{ ...reading, time: at(200) }] });
      const tripped = await stack.call('POST', '/api/sensors/readings', { ...reading, time: at(30) });
      expect(tripped.body.triggered.map((t: { ruleId: string }) => t.ruleId).sort()).toEqual(['rule-underpass-renmin-close', 'rule-underpasses-shahe']);
    });
  });
});
