import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from '../test/ports.js';
import { percentile, peakRssMiB, ratio, startBenchEnv, type BenchEnv, type BenchResult } from './harness.js';

/** The bare Hono process (bench/bare-hono.ts): the same HTTP stack with nothing behind it. */
export async function startBareHono(): Promise<{ url: string; process: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort();
  const child = fork(resolve('bench/bare-hono.ts'), [], { execArgv: ['--import', 'tsx'], env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await new Promise<void>((ok, fail) => {
    child.once('message', () => ok());
    child.once('exit', (code) => fail(new Error(`bare Hono exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    process: child,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

interface Load { requests: number; items: number; errors: number; seconds: number; latencies: number[] }

/** `concurrency` clients each sending requests back to back until `total` have been sent. */
async function drive(concurrency: number, total: number, send: (i: number) => Promise<{ ok: boolean; items: number }>): Promise<Load> {
  let next = 0;
  const load: Load = { requests: 0, items: 0, errors: 0, seconds: 0, latencies: [] };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = next++; i < total; i = next++) {
      const t = performance.now();
      const { ok, items } = await send(i).catch(() => ({ ok: false, items: 0 }));
      load.latencies.push(performance.now() - t);
      load.requests += 1;
      if (ok) load.items += items;
      else load.errors += 1;
    }
  }));
  load.seconds = (performance.now() - started) / 1000;
  return load;
}

const sensorsOfDemo = ['rain-renhe', 'rain-hehua', 'depth-underpass-renmin', 'depth-underpass-railway', 'level-shahe'] as const;
const metricOf: Record<string, [string, string]> = {
  'rain-renhe': ['rainfall', 'mm'], 'rain-hehua': ['rainfall', 'mm'], 'depth-underpass-renmin': ['water-level', 'm'], 'depth-underpass-railway': ['water-level', 'm'], 'level-shahe': ['water-level', 'm'],
};
/** A reading that trips nothing, unique by (sensor, time) so every one is stored. */
function reading(n: number, base: number) {
  const sensorId = sensorsOfDemo[n % sensorsOfDemo.length] ?? 'rain-renhe';
  const [metric, unit] = metricOf[sensorId] ?? ['rainfall', 'mm'];
  return { sensorId, metric, unit, time: new Date(base + n).toISOString(), value: 0.01 * (n % 7) };
}

/**
 * Readings ingested and evaluated per second through the API (batches of 1,000, and one reading
 * per POST), beside a bare Hono process that parses the same bodies and answers 202.
 */
export async function readingsIngest(smoke: boolean): Promise<BenchResult> {
  const batches = smoke ? 4 : 100;
  const singles = smoke ? 200 : 10_000;
  const env = await startBenchEnv({ api: true, env: { STORMDESK_SCHEDULER: 'off', STORMDESK_RATE_LIMIT_KEY_PER_MINUTE: '100000000', STORMDESK_MAX_BODY_BYTES: '4194304' } });
  const bare = await startBareHono();
  try {
    const api = env.api;
    if (!api) throw new Error('no API process');
    // Rules on every sensor used, so each reading is evaluated, not only stored.
    for (const sensorId of sensorsOfDemo) {
      const res = await post(env, `${api.url}/api/sensors/rules`, { sensorId, hazard: 'bench-e2e', playbookId: 'bench-e2e', level: 'II', above: 1_000, clearBelow: 900 });
      if (res.status !== 201) throw new Error(`rule: ${res.status} ${await res.text()}`);
    }
    const base = Date.now() - 30 * 86_400_000;
    const batchBody = (i: number, offset: number) => JSON.stringify({ readings: Array.from({ length: 1000 }, (_, k) => reading(offset + i * 1000 + k, base)) });
    const sendBatch = (url: string, offset: number) => async (i: number) => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...env.auth }, body: batchBody(i, offset) });
      const body = (await res.json()) as { accepted?: number };
      return { ok: res.status === 202, items: body.accepted ?? 0 };
    };
    const sendOne = (url: string, offset: number) => async (i: number) => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...env.auth }, body: JSON.stringify(reading(offset + i, base)) });
      await res.arrayBuffer();
      return { ok: res.status === 202, items: 1 };
    };
    // Warm both up, then measure each side by side.
    await drive(2, 2, sendBatch(`${api.url}/api/sensors/readings`, 50_000_000));
    await drive(2, 2, sendBatch(`${bare.url}/readings`, 50_000_000));
    const batched = await drive(2, batches, sendBatch(`${api.url}/api/sensors/readings`, 0));
    const bareBatched = await drive(2, batches, sendBatch(`${bare.url}/readings`, 0));
    const single = await drive(16, singles, sendOne(`${api.url}/api/sensors/readings`, 10_000_000));
    const bareSingle = await drive(16, singles, sendOne(`${bare.url}/readings`, 10_000_000));
    const rate = (l: Load) => Math.round(l.items / l.seconds);
    const stored = await countReadings(env);
    return {
      name: 'readings-ingest',
      smoke,
      figures: [
        { name: 'batched (1,000 per POST, 2 clients)', unit: 'readings/s', value: rate(batched), baseline: rate(bareBatched), baselineName: 'bare Hono parsing the same batches', ratio: ratio(rate(batched), rate(bareBatched)), aim: '50,000 readings/s' },
        { name: 'single reading per POST (16 clients)', unit: 'readings/s', value: rate(single), baseline: rate(bareSingle), baselineName: 'bare Hono, same single POSTs', ratio: ratio(rate(single), rate(bareSingle)), aim: '≥ 0.30× bare' },
        { name: 'single POST latency p50', unit: 'ms', value: percentile(single.latencies, 50), baseline: percentile(bareSingle.latencies, 50), baselineName: 'bare p50', ratio: ratio(percentile(single.latencies, 50), percentile(bareSingle.latencies, 50)) },
        { name: 'single POST latency p99', unit: 'ms', value: percentile(single.latencies, 99), baseline: percentile(bareSingle.latencies, 99), baselineName: 'bare p99', ratio: ratio(percentile(single.latencies, 99), percentile(bareSingle.latencies, 99)) },
        { name: 'API peak RSS', unit: 'MiB', value: peakRssMiB(api.process.pid) },
        { name: 'worker peak RSS', unit: 'MiB', value: peakRssMiB(env.worker.pid) },
      ],
      notes: [
        `${batches} batches of 1,000 and ${singles} single POSTs through POST /api/sensors/readings with an API key; each reading validated, its sensor checked, stored (libSQL file, WAL) and evaluated against a threshold rule on its sensor; errors: ${batched.errors + single.errors}`,
        `readings stored at the end: ${stored} (expected ${batches * 1000 + singles + 2000})`,
        'the load generator runs on the same 2 cores as the server, for both sides alike',
      ],
    };
  } finally {
    await bare.stop();
    await env.stop();
  }
}

function post(env: BenchEnv, url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...env.auth, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

async function countReadings(env: BenchEnv): Promise<number> {
  const { openDatabase } = await import('../db/client.js');
  const database = await openDatabase(`file:${env.dataDir}/stormdesk.db`);
  const result = await database.client.execute('SELECT count(*) AS n FROM readings');
  database.close();
  return Number(result.rows[0]?.n ?? 0);
}

export const shaheDistrict = '33.56,114.56 33.69,114.56 33.69,114.64 33.56,114.64 33.56,114.56';
export const yingshuiDistrict = '33.56,114.66 33.69,114.66 33.69,114.74 33.56,114.74 33.56,114.66';

/** A CAP 1.2 warning as the city's weather bureau sends it: by default an orange rainstorm signal over Shahe district. */
export function cap(identifier: string, o: { event?: string; severity?: string; polygon?: string; signal?: { code: string; colour: string } } = {}) {
  const sent = new Date().toISOString().replace(/\.\d+Z$/, '+00:00');
  const expires = new Date(Date.now() + 6 * 3_600_000).toISOString().replace(/\.\d+Z$/, '+00:00');
  const event = o.event ?? '暴雨';
  const signal = o.signal ?? (o.event ? undefined : { code: '11B03', colour: '橙色' });
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${identifier}</identifier><sender>zhouhe@12379.cn</sender><sent>${sent}</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info>
    <language>zh-CN</language><category>Met</category><event>${event}</event>
    <urgency>Expected</urgency><severity>${o.severity ?? 'Severe'}</severity><certainty>Likely</certainty>
    ${signal ? `<eventCode><valueName>GB</valueName><value>${signal.code}</value></eventCode>` : ''}
    <expires>${expires}</expires><headline>周河市气象台发布${event}${signal?.colour ?? ''}预警信号</headline>
    ${signal ? `<parameter><valueName>alert_color</valueName><value>${signal.colour}</value></parameter>` : ''}
    <area><areaDesc>周河市</areaDesc><polygon>${o.polygon ?? shaheDistrict}</polygon></area>
  </info>
</alert>`;
}

/**
 * An alert storm: 10,000 CAP posts for one hazard and zone within about a minute (each of 100
 * warnings sent 100 times, as repeating feeds and several issuers do) must open exactly one run.
 * Decision latency is the POST's round trip; the baseline is the bare Hono process taking the same bodies.
 */
export async function alertStorm(smoke: boolean): Promise<BenchResult> {
  const distinct = smoke ? 5 : 100;
  const repeats = smoke ? 4 : 100;
  const env = await startBenchEnv({ api: true, playbooksDir: resolve('playbooks'), env: { STORMDESK_SCHEDULER: 'off', STORMDESK_RATE_LIMIT_KEY_PER_MINUTE: '100000000' } });
  const bare = await startBareHono();
  try {
    const api = env.api;
    if (!api) throw new Error('no API process');
    const bodies = Array.from({ length: distinct }, (_, i) => cap(`41160241600000000_20261130080000_${i}`));
    // Interleaved so duplicates arrive while their first copy is still being decided.
    const order = (i: number) => bodies[i % distinct] ?? '';
    const actions = new Map<string, number>();
    const sendCap = (url: string, count: boolean) => async (i: number) => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/cap+xml', ...env.auth }, body: order(i) });
      const body = (await res.json()) as { results?: { action: string }[] };
      if (count) for (const r of body.results ?? []) actions.set(r.action, (actions.get(r.action) ?? 0) + 1);
      return { ok: res.status === 202, items: 1 };
    };
    const storm = await drive(32, distinct * repeats, sendCap(`${api.url}/api/feeds/cap`, true));
    const baseline = await drive(32, distinct * repeats, sendCap(`${bare.url}/cap`, false));
    const runs = (await (await fetch(`${api.url}/api/runs?hazard=heavy-rain&limit=100`, { headers: env.auth })).json()) as { runs: { zoneId: string }[] };
    let workflows = 0;
    for await (const _ of env.client.workflow.list({ query: `WorkflowType = 'runPlaybook'` })) workflows += 1;
    return {
      name: 'alert-storm',
      smoke,
      figures: [
        { name: 'runs opened', unit: 'runs', value: runs.runs.length, aim: 'exactly 1' },
        { name: 'runPlaybook workflows in Temporal', unit: 'workflows', value: workflows, aim: 'exactly 1' },
        { name: 'decision latency p50', unit: 'ms', value: percentile(storm.latencies, 50), baseline: percentile(baseline.latencies, 50), baselineName: 'bare Hono p50, same bodies', ratio: ratio(percentile(storm.latencies, 50), percentile(baseline.latencies, 50)) },
        { name: 'decision latency p99', unit: 'ms', value: percentile(storm.latencies, 99), baseline: percentile(baseline.latencies, 99), baselineName: 'bare Hono p99', ratio: ratio(percentile(storm.latencies, 99), percentile(baseline.latencies, 99)) },
        { name: 'posts per second', unit: 'posts/s', value: Math.round(storm.requests / storm.seconds), baseline: Math.round(baseline.requests / baseline.seconds), baselineName: 'bare Hono', ratio: ratio(storm.requests / storm.seconds, baseline.requests / baseline.seconds) },
        { name: 'API peak RSS', unit: 'MiB', value: peakRssMiB(api.process.pid) },
        { name: 'worker peak RSS', unit: 'MiB', value: peakRssMiB(env.worker.pid) },
      ],
      notes: [
        `${storm.requests} POST /api/feeds/cap from 32 clients in ${storm.seconds.toFixed(1)} s (${distinct} warnings × ${repeats} copies, interleaved), all for heavy rain over Shahe district; errors: ${storm.errors}`,
        `decisions: ${[...actions].map(([a, n]) => `${a} ${n}`).join(', ')}`,
        'each decision: parse the CAP XML (entity expansion off), dedupe on (sender, identifier), match the polygon to districts (turf), update-with-start on the incident workflow id, trigger log row',
      ],
    };
  } finally {
    await bare.stop();
    await env.stop();
  }
}
