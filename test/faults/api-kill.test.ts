import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { startBenchEnv, type BenchEnv } from '../../bench/harness.js';

/** `npm run test:faults` kills the API ten times per write; inside `npm test`, twice. */
const full = process.env.STORMDESK_FAULTS === 'full';
const perKind = full ? 10 : 2;

interface Answer { status: number; body: string; replayed: boolean }
type Outcome = Answer | { error: string };

/** A strong-wind signal over Shahe district; each iteration sends its own message. */
const windWarning = (identifier: string) => `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${identifier}</identifier><sender>zhouhe@12379.cn</sender><sent>${new Date().toISOString().replace(/\.\d+Z$/, '+00:00')}</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info><language>zh-CN</language><category>Met</category><event>大风</event><urgency>Expected</urgency><severity>Moderate</severity><certainty>Likely</certainty>
    <eventCode><valueName>GB</valueName><value>11B06</value></eventCode><headline>周河市气象台发布大风黄色预警信号</headline>
    <area><areaDesc>沙河区</areaDesc><polygon>33.66,114.56 33.69,114.56 33.69,114.60 33.66,114.60 33.66,114.56</polygon></area>
  </info>
</alert>`;

/** The three writes an integration or an officer retries: a launch, a reading, a pushed warning. */
const kinds = {
  run: (i: number) => ({ path: '/api/runs', type: 'application/json', body: JSON.stringify({ playbookId: 'heavy-rain', zoneId: 'renhe', level: 'III', reason: `api-kill launch ${i}`, drill: true }) }),
  reading: (i: number) => ({ path: '/api/sensors/readings', type: 'application/json', body: JSON.stringify({ sensorId: 'rain-renhe', metric: 'rainfall', unit: 'mm', value: i, time: new Date(Date.UTC(2026, 10, 30, 12, 0, i)).toISOString() }) }),
  warning: (i: number) => ({ path: '/api/feeds/cap', type: 'application/cap+xml', body: windWarning(`41160241600000000_apikill_${i}`) }),
} as const;
type Kind = keyof typeof kinds;

/** One request per (kind, i), built once: a retry must send the very same bytes. */
const built = new Map<string, ReturnType<(typeof kinds)[Kind]>>();
async function post(env: BenchEnv, kind: Kind, i: number, key: string): Promise<Outcome> {
  const request = built.get(`${kind}${i}`) ?? kinds[kind](i);
  built.set(`${kind}${i}`, request);
  try {
    const res = await fetch(`${env.api?.url}${request.path}`, { method: 'POST', headers: { ...env.auth, 'content-type': request.type, 'idempotency-key': key }, body: request.body });
    return { status: res.status, body: await res.text(), replayed: res.headers.get('idempotent-replayed') === 'true' };
  } catch (error) {
    return { error: String(error) };
  }
}

describe('the API process killed with SIGKILL mid-request', () => {
  it(`a retry with the same Idempotency-Key gets the first answer, never a second run, reading or decision (${perKind} kills per write)`, async () => {
    const env = await startBenchEnv({ api: true, playbooksDir: resolve('playbooks'), env: { STORMDESK_IDEMPOTENCY_HOLD_SECONDS: '2', STORMDESK_SCHEDULER: 'off' } });
    const database = await openDatabase(`file:${env.dataDir}/stormdesk.db`);
    const report: Record<string, unknown> = {};
    try {
      for (const kind of Object.keys(kinds) as Kind[]) {
        // How long this write takes when nothing fails: the kills land within about twice that.
        const warm: number[] = [];
        for (let w = 0; w < 3; w += 1) {
          const started = performance.now();
          const answer = await post(env, kind, 1000 + w, `warm-${kind}-${w}`);
          expect(answer).toMatchObject({ status: expect.any(Number) });
          warm.push(performance.now() - started);
        }
        const typicalMs = warm.sort((a, b) => a - b)[1] ?? 50;
        const tally = { kills: 0, diedMidRequest: 0, answeredBeforeKill: 0, waitedForHeldKey: 0, replayed: 0, retryStatuses: [] as number[], typicalMs: Math.round(typicalMs) };
        for (let i = 0; i < perKind; i += 1) {
          const key = `api-kill-${kind}-${i}`;
          const first = post(env, kind, i, key);
          await new Promise((r) => setTimeout(r, Math.random() * typicalMs * 2));
          await env.crashApi({ restart: false });
          tally.kills += 1;
          const firstOutcome = await first;
          await env.crashApi();
          let retry: Outcome;
          for (let attempt = 0; ; attempt += 1) {
            retry = await post(env, kind, i, key);
            if (!('status' in retry) || retry.status !== 409 || attempt > 40) break;
            tally.waitedForHeldKey += 1;
            await new Promise((r) => setTimeout(r, 500));
          }
          if (!('status' in retry)) throw new Error(`retry of ${key} failed: ${retry.error}`);
          tally.retryStatuses.push(retry.status);
          expect(retry.status, `${key}: ${retry.body}`).toBeLessThan(300);
          if ('status' in firstOutcome) {
            tally.answeredBeforeKill += 1;
            expect(retry.body).toBe(firstOutcome.body);
          } else {
            tally.diedMidRequest += 1;
          }
          if (retry.replayed) tally.replayed += 1;
        }
        report[kind] = tally;
      }

      // Exactly one of each, however the kills fell (the warm-up requests are numbered from 1000).
      const count = async (sql: string) => Number((await database.client.execute(sql)).rows[0]?.n ?? 0);
      const launches = await count("SELECT count(*) AS n FROM runs WHERE reason LIKE 'api-kill launch %' AND reason NOT LIKE 'api-kill launch 100_'");
      const readingsKept = await count("SELECT count(*) AS n FROM readings WHERE sensor_id = 'rain-renhe' AND time LIKE '2026-11-30T12:00:0%'");
      const decisions = await count("SELECT count(*) AS n FROM trigger_log WHERE identifier GLOB '41160241600000000_apikill_[0-9]' AND action <> 'duplicate'");
      Object.assign(report, { launches, readingsKept, decisions, expectedEach: perKind });
      expect({ launches, readingsKept, decisions }).toEqual({ launches: perKind, readingsKept: perKind, decisions: perKind });
    } finally {
      mkdirSync(resolve('test-artifacts'), { recursive: true });
      writeFileSync(resolve('test-artifacts', `faults-api-kill${full ? '' : '-short'}.json`), `${JSON.stringify(report, null, 2)}\n`);
      console.log('api-kill', JSON.stringify(report));
      database.close();
      await env.stop();
    }
  }, full ? 600_000 : 240_000);
});
