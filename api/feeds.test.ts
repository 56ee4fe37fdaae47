import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { runs } from '../db/schema/index.js';
import { withStack, type Stack } from '../test/harness.js';
import { until } from '../test/runs.js';

const fixture = (name: string) => readFileSync(resolve('test/fixtures/feeds', name), 'utf8');

/** A CAP 1.2 alert in the shape Chinese issuers send (GB/T 35965.1 identifier, Beijing time), over the demo city. */
function cap(o: { id: string; msgType?: string; refs?: string; event?: string; severity: string; colour?: string; polygon?: string; geocode?: string; expires?: string }) {
  const sent = new Date().toISOString().replace(/\.\d+Z$/, '+00:00');
  const expires = o.expires ?? new Date(Date.now() + 6 * 3_600_000).toISOString().replace(/\.\d+Z$/, '+00:00');
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${o.id}</identifier><sender>zhouhe@12379.cn</sender><sent>${sent}</sent>
  <status>Actual</status><msgType>${o.msgType ?? 'Alert'}</msgType><scope>Public</scope>
  ${o.refs ? `<references>zhouhe@12379.cn,${o.refs},${sent}</references>` : ''}
  <info>
    <language>zh-CN</language><category>Met</category><event>${o.event ?? '暴雨'}</event>
    <urgency>Expected</urgency><severity>${o.severity}</severity><certainty>Likely</certainty>
    <eventCode><valueName>GB</valueName><value>11B03</value></eventCode>
    <expires>${expires}</expires><headline>周河市气象台发布暴雨预警信号</headline>
    ${o.colour ? `<parameter><valueName>alert_color</valueName><value>${o.colour}</value></parameter>` : ''}
    <area><areaDesc>沙河区北部</areaDesc>${o.polygon ? `<polygon>${o.polygon}</polygon>` : ''}${o.geocode ? `<geocode><valueName>adcode</valueName><value>${o.geocode}</value></geocode>` : ''}</area>
  </info>
</alert>`;
}
// Over Renhe street in Shahe district (lat,lon as CAP writes them).
const overShahe = '33.66,114.56 33.69,114.56 33.69,114.60 33.66,114.60 33.66,114.56';

const postCap = (stack: Stack, xml: string) => stack.call('POST', '/api/feeds/cap', xml, { 'content-type': 'application/cap+xml' });

describe('CAP warnings', () => {
  it('start exactly one run per hazard and zone; a repeat is a duplicate, a higher level escalates, a Cancel asks for stand-down', async () => {
    await withStack(async (stack) => {
      const first = await postCap(stack, cap({ id: '41160241600000000_20260715080000_1', severity: 'Severe', colour: '橙色', polygon: overShahe }));
      expect(first.status).toBe(202);
      expect(first.body.results).toEqual([expect.objectContaining({ action: 'started', hazard: 'heavy-rain', level: 'II', zoneIds: ['shahe'] })]);
      const runId = first.body.results[0].runId;
      expect((await postCap(stack, cap({ id: '41160241600000000_20260715080000_1', severity: 'Severe', polygon: overShahe }))).body.results[0].action).toBe('duplicate');
      const red = await postCap(stack, cap({ id: '41160241600000000_20260715093000_2', msgType: 'Update', refs: '41160241600000000_20260715080000_1', severity: 'Extreme', colour: '红色', polygon: overShahe }));
      expect(red.body.results[0]).toMatchObject({ action: 'escalated', level: 'I', runId });
      const cancel = await postCap(stack, cap({ id: '41160241600000000_20260715180000_3', msgType: 'Cancel', refs: '41160241600000000_20260715093000_2', severity: 'Minor', polygon: overShahe }));
      expect(cancel.body.results[0]).toMatchObject({ action: 'stand-down-requested', runId });
      const view = await until(stack, runId, (v) => v.conditions['warning-cancelled'], 'the cancellation to reach the run');
      expect(view.levelHistory.map((h) => h.level)).toEqual(['II', 'I']);
      const log = await stack.call('GET', '/api/triggers?source=cap');
      expect(log.body.triggers.map((t: { action: string }) => t.action)).toEqual(['stand-down-requested', 'escalated', 'duplicate', 'started']);
    });
  });

  it('asks the duty officer to confirm a blue or yellow warning, and starts the run on confirmation', async () => {
    await withStack(async (stack) => {
      const res = await postCap(stack, cap({ id: 'blue-1', severity: 'Minor', colour: '蓝色', geocode: '411602' }));
      expect(res.body.results[0]).toMatchObject({ action: 'awaiting-confirmation', level: 'IV', zoneIds: ['shahe'] });
      const runId = res.body.results[0].runId;
      await until(stack, runId, (v) => v.phase === 'awaiting-confirmation', 'awaiting confirmation');
      expect((await stack.call('POST', `/api/runs/${runId}/actions`, { type: 'confirm', accept: true })).status).toBe(200);
      await until(stack, runId, (v) => v.phase === 'active' && v.steps.some((s) => s.status === 'running'), 'the run to start');
    });
  });

  it('lets many messages about one storm, arriving at once, open exactly one run', async () => {
    await withStack(async (stack) => {
      const posts = await Promise.all(Array.from({ length: 12 }, (_, i) => postCap(stack, cap({ id: `storm-${i}`, severity: 'Severe', polygon: overShahe }))));
      const actions = posts.map((p) => p.body.results[0].action);
      expect(actions.filter((a: string) => a === 'started')).toHaveLength(1);
      expect(actions.filter((a: string) => a === 'noted')).toHaveLength(11);
      expect(new Set(posts.map((p) => p.body.results[0].runId)).size).toBe(1);
      const open = await stack.database.db.select().from(runs).where(eq(runs.hazard, 'heavy-rain'));
      expect(open).toHaveLength(1);
    });
  });

  it('records what does not map, lies outside the city or has expired, without starting anything', async () => {
    await withStack(async (stack) => {
      const quake = await postCap(stack, fixture('cap12-spec-a3-earthquake-update.xml'));
      expect(quake.body.results[0].action).toBe('unmapped');
      const taiwan = await postCap(stack, fixture('tw-cwa-mountain-rainstorm-flashflood-polygon.cap'));
      expect(taiwan.body.results[0].action).toMatch(/no-matching-zone|expired/);
      const nws = await stack.call('POST', '/api/feeds/nws', JSON.parse(fixture('nws-api-flood-watch-update-zone.json')));
      expect(nws.body.results[0]).toMatchObject({ action: 'expired' });
      expect((await stack.database.db.select().from(runs))).toHaveLength(0);
    });
  });

  it('reads QWeather for the zone the push names', async () => {
    await withStack(async (stack) => {
      expect((await stack.call('POST', '/api/feeds/qweather', JSON.parse(fixture('qweather-v7-warning-now-gale-blue-cn.json')))).status).toBe(400);
      const real = JSON.parse(fixture('qweather-v7-warning-now-gale-blue-cn.json'));
      expect((await stack.call('POST', '/api/feeds/qweather?zoneId=yingshui', real)).body.results[0].action).toBe('expired');
      // The same warning as if issued today.
      real.warning[0].id = 'today-1';
      real.warning[0].endTime = new Date(Date.now() + 86_400_000).toISOString();
      const res = await stack.call('POST', '/api/feeds/qweather?zoneId=yingshui', real);
      expect(res.body.results[0]).toMatchObject({ action: 'awaiting-confirmation', hazard: 'strong-wind', level: 'IV', zoneIds: ['yingshui'] });
    });
  });

  it('refuses bombs, entities, broken XML and the wrong media type with a 4xx naming the problem', async () => {
    await withStack(async (stack) => {
      const bomb = await postCap(stack, '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><alert>&b;</alert>');
      expect(bomb).toMatchObject({ status: 422, body: { errors: [{ path: 'document' }] } });
      expect((await postCap(stack, '<alert><identifier>x</alert>')).status).toBe(422);
      expect((await stack.call('POST', '/api/feeds/cap', '<alert/>', { 'content-type': 'application/json' })).status).toBe(415);
      expect((await stack.call('POST', '/api/feeds/nws', '{"features": [', { 'content-type': 'application/json' })).status).toBe(400);
      const wrongShape = await stack.call('POST', '/api/feeds/nws', { features: [{ properties: { id: 'x' } }] });
      expect(wrongShape.status).toBe(422);
      expect((await stack.database.db.select().from(runs))).toHaveLength(0);
    });
  });
});
