import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDatabase } from '../db/client.js';
import { freePort } from '../test/ports.js';
import { percentile, peakRssMiB, ratio, startBenchEnv, type BenchResult } from './harness.js';
import { cap, shaheDistrict, startBareHono, yingshuiDistrict } from './triggers.js';

interface Tally { ok: number; limited: number; errors: number; latencies: number[]; capLatencies: number[]; accepted: number; statuses: Map<number, number> }

/**
 * `concurrency` clients posting for `seconds`: mostly single readings (a gateway per sensor),
 * some batches of 100, and CAP warnings (each a new identifier over one of the city's districts).
 */
export async function hammer(base: string, auth: Record<string, string>, concurrency: number, seconds: number, paths: { readings: string; cap: string }, withCap: boolean): Promise<Tally & { seconds: number }> {
  const tally: Tally = { ok: 0, limited: 0, errors: 0, latencies: [], capLatencies: [], accepted: 0, statuses: new Map() };
  const started = performance.now();
  const end = started + seconds * 1000;
  const timeBase = Date.now() - 20 * 86_400_000;
  let n = 0;
  const sensors = ['rain-renhe', 'rain-hehua'];
  await Promise.all(Array.from({ length: concurrency }, async (_, client) => {
    while (performance.now() < end) {
      const i = n++;
      const kind = withCap && i % 20 === 0 ? 'cap' : i % 10 === 1 ? 'batch' : 'single';
      const reading = (k: number) => ({ sensorId: sensors[k % 2], metric: 'rainfall', unit: 'mm', time: new Date(timeBase + k).toISOString(), value: (k % 50) / 10 });
      let body: string;
      let type = 'application/json';
      let url = `${base}${paths.readings}`;
      let items = 1;
      if (kind === 'cap') {
        body = warning(`load-${client}-${i}`, Math.floor(i / 20) % 4);
        type = 'application/cap+xml';
        url = `${base}${paths.cap}`;
      } else if (kind === 'batch') {
        body = JSON.stringify({ readings: Array.from({ length: 100 }, (_, k) => reading(i * 1000 + k)) });
        items = 100;
      } else {
        body = JSON.stringify(reading(i * 1000));
      }
      const t = performance.now();
      try {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': type, ...auth }, body });
        await res.arrayBuffer();
        const ms = performance.now() - t;
        tally.statuses.set(res.status, (tally.statuses.get(res.status) ?? 0) + 1);
        if (res.status === 429) tally.limited += 1;
        else if (res.status >= 200 && res.status < 300) {
          tally.ok += 1;
          if (kind !== 'cap') tally.accepted += items;
          (kind === 'cap' ? tally.capLatencies : tally.latencies).push(ms);
        } else tally.errors += 1;
      } catch {
        tally.errors += 1;
      }
    }
  }));
  return { ...tally, seconds: (performance.now() - started) / 1000 };
}

/** Heavy rain over Shahe, or a gale over Yingshui: two hazards in two districts, so two runs. */
const warning = (identifier: string, variant: number) => (variant % 2
  ? cap(identifier, { event: '大风', severity: 'Moderate', polygon: yingshuiDistrict })
  : cap(identifier, { event: '暴雨', severity: 'Severe', polygon: shaheDistrict }));

/** `npm start` itself (dev server, worker and API in one process) on its own ports and data directory. */
async function startStormdesk(): Promise<{ url: string; auth: Record<string, string>; dataDir: string; pid: number | undefined; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stormdesk-load-'));
  const apiKey = `sdk_load_${randomUUID()}`;
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    env: { ...process.env, PORT: String(port), TEMPORAL_DEV_PORT: String(await freePort()), TEMPORAL_UI_PORT: String(await freePort()), STORMDESK_DATA_DIR: dataDir, STORMDESK_API_KEY: apiKey, STORMDESK_SCHEDULER: 'off', STORMDESK_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error('npm start did not come up in 180 s');
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    url, dataDir, pid: child.pid, auth: { authorization: `Bearer ${apiKey}` },
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The load test: 200 clients posting readings and warnings for a minute against `npm start` (one
 * process), then against the scaled-out shape (an API process and two worker processes on one
 * libSQL file); beside them, the same clients against bare Hono.
 */
export async function load(smoke: boolean): Promise<BenchResult> {
  const seconds = smoke ? 3 : 60;
  const concurrency = smoke ? 20 : 200;
  const paths = { readings: '/api/sensors/readings', cap: '/api/feeds/cap' };
  const single = await startStormdesk();
  let one: Tally & { seconds: number };
  let oneStored: number;
  let onePeak: number;
  try {
    one = await hammer(single.url, single.auth, concurrency, seconds, paths, true);
    onePeak = peakRssMiB(single.pid);
    const database = await openDatabase(`file:${single.dataDir}/stormdesk.db`);
    oneStored = Number((await database.client.execute('SELECT count(*) AS n FROM readings')).rows[0]?.n ?? 0);
    database.close();
  } finally {
    await single.stop();
  }
  const env = await startBenchEnv({ api: true, extraWorkers: 1, playbooksDir: resolve('playbooks'), env: { STORMDESK_SCHEDULER: 'off' } });
  const bare = await startBareHono();
  try {
    const api = env.api;
    if (!api) throw new Error('no API process');
    const stack = await hammer(api.url, env.auth, concurrency, seconds, paths, true);
    const baseline = await hammer(bare.url, {}, concurrency, seconds, { readings: '/readings', cap: '/cap' }, false);
    const database = await openDatabase(`file:${env.dataDir}/stormdesk.db`);
    const stored = Number((await database.client.execute('SELECT count(*) AS n FROM readings')).rows[0]?.n ?? 0);
    const runs = Number((await database.client.execute('SELECT count(*) AS n FROM runs')).rows[0]?.n ?? 0);
    database.close();
    const rps = (t: { ok: number; seconds: number }) => Math.round(t.ok / t.seconds);
    return {
      name: 'load',
      smoke,
      figures: [
        { name: `npm start: requests/s, ${concurrency} clients`, unit: 'req/s', value: rps(one), baseline: rps(baseline), baselineName: 'bare Hono, same clients and bodies', ratio: ratio(rps(one), rps(baseline)) },
        { name: 'npm start: readings POST latency p50', unit: 'ms', value: percentile(one.latencies, 50), baseline: percentile(baseline.latencies, 50), baselineName: 'bare p50', ratio: ratio(percentile(one.latencies, 50), percentile(baseline.latencies, 50)) },
        { name: 'npm start: readings POST latency p99', unit: 'ms', value: percentile(one.latencies, 99), baseline: percentile(baseline.latencies, 99), baselineName: 'bare p99', ratio: ratio(percentile(one.latencies, 99), percentile(baseline.latencies, 99)) },
        { name: 'npm start: trigger decision lag p50', unit: 'ms', value: percentile(one.capLatencies, 50) },
        { name: 'npm start: trigger decision lag p99', unit: 'ms', value: percentile(one.capLatencies, 99) },
        { name: 'npm start: errors other than 429', unit: 'requests', value: one.errors, aim: '0' },
        { name: 'npm start: readings accepted but not stored', unit: 'readings', value: one.accepted - oneStored, aim: '0' },
        { name: 'npm start: peak RSS (one process)', unit: 'MiB', value: onePeak },
        { name: `scaled out: requests/s, ${concurrency} clients`, unit: 'req/s', value: rps(stack), baseline: rps(baseline), baselineName: 'bare Hono, same clients and bodies', ratio: ratio(rps(stack), rps(baseline)) },
        { name: 'scaled out: readings POST latency p50', unit: 'ms', value: percentile(stack.latencies, 50), baseline: percentile(baseline.latencies, 50), baselineName: 'bare p50', ratio: ratio(percentile(stack.latencies, 50), percentile(baseline.latencies, 50)) },
        { name: 'scaled out: readings POST latency p99', unit: 'ms', value: percentile(stack.latencies, 99), baseline: percentile(baseline.latencies, 99), baselineName: 'bare p99', ratio: ratio(percentile(stack.latencies, 99), percentile(baseline.latencies, 99)) },
        { name: 'scaled out: trigger decision lag p50 (CAP POST, update-with-start answered by a worker)', unit: 'ms', value: percentile(stack.capLatencies, 50) },
        { name: 'scaled out: trigger decision lag p99', unit: 'ms', value: percentile(stack.capLatencies, 99) },
        { name: 'scaled out: errors other than 429', unit: 'requests', value: stack.errors, aim: '0' },
        { name: 'scaled out: readings accepted but not stored', unit: 'readings', value: stack.accepted - stored, aim: '0' },
        { name: 'scaled out: API peak RSS', unit: 'MiB', value: peakRssMiB(api.process.pid) },
        { name: 'scaled out: worker peak RSS (largest of 2)', unit: 'MiB', value: Math.max(...env.workerPeaks()) },
      ],
      notes: [
        `npm start, ${seconds} s, ${concurrency} concurrent clients: ${one.ok + one.limited + one.errors} requests (${one.ok} accepted, ${one.limited} rate-limited, ${one.errors} errors); statuses ${[...one.statuses].map(([s, c]) => `${s}×${c}`).join(', ')}`,
        `scaled out, ${seconds} s, ${concurrency} concurrent clients: ${stack.ok + stack.limited + stack.errors} requests (${stack.ok} accepted, ${stack.limited} rate-limited, ${stack.errors} errors); statuses ${[...stack.statuses].map(([s, c]) => `${s}×${c}`).join(', ')}`,
        `mix: 85% one reading per POST, 10% batches of 100, 5% CAP warnings with new identifiers over the two districts (${runs} runs opened: one per hazard and district)`,
        'npm start runs the dev server, the worker and the API in one Node process; scaled out, the API process, two worker processes and the dev server share one libSQL file; both share the machine with the load generator',
      ],
    };
  } finally {
    await bare.stop();
    await env.stop();
  }
}
