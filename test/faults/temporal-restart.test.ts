import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readings } from '../../db/schema/index.js';
import { startDevServer, type DevServer } from '../../dev/dev-server.js';
import { ensureTemporalCli } from '../../dev/temporal-cli.js';
import { eventually, withStack } from '../harness.js';
import { restartablePort } from '../ports.js';
import { act, launch, state, step, until } from '../runs.js';

/** A strong-wind signal over Shahe district, as a provincial issuer pushes it. */
const windWarning = (sent: string) => `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>41160241600000000_outage_wind</identifier><sender>zhouhe@12379.cn</sender><sent>${sent}</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info><language>zh-CN</language><category>Met</category><event>大风</event><urgency>Expected</urgency><severity>Moderate</severity><certainty>Likely</certainty>
    <eventCode><valueName>GB</valueName><value>11B06</value></eventCode><headline>周河市气象台发布大风黄色预警信号</headline>
    <area><areaDesc>沙河区</areaDesc><polygon>33.66,114.56 33.69,114.56 33.69,114.60 33.66,114.60 33.66,114.56</polygon></area>
  </info>
</alert>`;

describe('the Temporal server stopped and restarted mid-run', () => {
  it('says 503 while it is down, refuses writes with Retry-After rather than dropping them, and resumes the run when it is back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stormdesk-outage-'));
    const options = { cli: ensureTemporalCli(process.env.TEMPORAL_CLI), port: await restartablePort(), uiPort: await restartablePort(), dbFile: join(dir, 'temporal.db'), namespace: 'default', headless: true, logFile: join(dir, 'temporal.log'),
      // Reopening its SQLite file while the rest of the suite loads both cores has taken over 60 s in CI.
      startTimeoutMs: 180_000 };
    let server: DevServer = await startDevServer(options);
    const report: Record<string, unknown> = {};
    try {
      await withStack(async (stack) => {
        await stack.call('POST', '/api/sensors/rules', { sensorId: 'depth-underpass-renmin', hazard: 'heavy-rain', playbookId: 'heavy-rain', level: 'II', above: 0.27, clearBelow: 0.15 });
        const runId = await launch(stack, 'duty-check', 'renhe', 'III', { timers: { consultWindow: '4s', deputyWindow: '1s' } });
        await act(stack, runId, { type: 'tick', stepId: 'consult', itemId: 'call-weather-bureau' });
        await act(stack, runId, { type: 'tick', stepId: 'consult', itemId: 'read-radar' });
        await until(stack, runId, (v) => step(v, 'escalate-or-not').status === 'running', 'the decision to be asked');

        const downAt = performance.now();
        await server.stop();
        const health = await stack.call('GET', '/healthz');
        expect(health).toMatchObject({ status: 503, body: { temporal: 'down' } });
        expect(health.headers.get('retry-after')).toBe('5');

        const started = performance.now();
        const refusedLaunch = await stack.call('POST', '/api/runs', { playbookId: 'duty-check', zoneId: 'hehua', level: 'IV', reason: 'during the outage' });
        report.launchAnsweredInMs = Math.round(performance.now() - started);
        expect(refusedLaunch).toMatchObject({ status: 503, body: { type: expect.stringContaining('unavailable') } });
        expect(refusedLaunch.headers.get('retry-after')).toBe('5');
        const refusedNote = await act(stack, runId, { type: 'note', text: 'written during the outage' });
        expect(refusedNote.status).toBe(503);
        // A reading that would start a run is refused whole: not stored, so the gateway's retry is not a duplicate.
        const tripping = { sensorId: 'depth-underpass-renmin', metric: 'water-level', unit: 'm', value: 0.4, time: new Date().toISOString() };
        const refusedReading = await stack.call('POST', '/api/sensors/readings', tripping);
        expect(refusedReading.status).toBe(503);
        expect(await stack.database.db.select().from(readings)).toHaveLength(0);
        // A warning or a facility fault refused meanwhile is not taken for received: its resend acts.
        const wind = windWarning(new Date().toISOString().replace(/\.\d+Z$/, '+00:00'));
        const refusedWarning = await stack.call('POST', '/api/feeds/cap', wind, { 'content-type': 'application/cap+xml' });
        expect(refusedWarning.status).toBe(503);
        const fault = { time: new Date().toISOString(), status: 'fault', detail: 'pump 2 tripped' };
        expect((await stack.call('POST', '/api/facilities/pump-3/status', fault)).status).toBe(503);
        // A reading that starts nothing needs no Temporal and is kept.
        expect((await stack.call('POST', '/api/sensors/readings', { ...tripping, sensorId: 'rain-renhe', metric: 'rainfall', unit: 'mm', value: 2 })).status).toBe(202);

        server = await startDevServer(options);
        await eventually(async () => ((await stack.call('GET', '/healthz')).status === 200 ? true : undefined), 60_000, 'healthz to recover');
        report.recoveredInMs = Math.round(performance.now() - downAt);
        const retried = await stack.call('POST', '/api/sensors/readings', tripping);
        expect(retried.body.triggered).toEqual([expect.objectContaining({ action: 'started' })]);
        const resentWarning = await stack.call('POST', '/api/feeds/cap', wind, { 'content-type': 'application/cap+xml' });
        expect(resentWarning.body.results).toEqual([expect.objectContaining({ action: expect.stringMatching(/^(started|awaiting-confirmation)$/), hazard: 'strong-wind' })]);
        expect((await stack.call('POST', '/api/facilities/pump-3/status', fault)).body).toMatchObject({ action: 'started', hazard: 'facility-failure' });
        // And once acted on, a further copy is a duplicate.
        expect((await stack.call('POST', '/api/facilities/pump-3/status', fault)).body.action).toBe('duplicate');
        expect((await act(stack, runId, { type: 'note', text: 'written after the outage' })).status).toBe(200);
        // The decision's timer ran through the outage; the run carries on to its default.
        const after = await until(stack, runId, (v) => step(v, 'escalate-or-not').decision?.chosen === 'watch', 'the decision to default after the restart', 60_000);
        expect(after.notes.map((n) => n.text)).toEqual(['written after the outage']);
        report.runAfterRestart = (await state(stack, runId)).phase;
      }, { temporalAddress: server.address });
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(resolve('test-artifacts'), { recursive: true });
      writeFileSync(resolve('test-artifacts', 'faults-temporal-restart.json'), `${JSON.stringify(report, null, 2)}\n`);
    }
  }, 420_000);
});
