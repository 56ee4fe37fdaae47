import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { migrateDatabase, openDatabase } from '../db/client.js';
import { seedDemoCity } from '../db/seed.js';
import { startDevServer, type DevServer } from '../dev/dev-server.js';
import { ensureTemporalCli } from '../dev/temporal-cli.js';
import { freePort, restartablePort } from '../test/ports.js';

export interface BenchEnv {
  client: Client;
  /** Headers that authenticate with the bench's API key (every scope). */
  auth: Record<string, string>;
  taskQueue: string;
  env: Record<string, string>;
  dataDir: string;
  worker: ChildProcess;
  /** Peak RSS of every worker process, MiB. */
  workerPeaks(): number[];
  api?: { process: ChildProcess; url: string };
  /** Kills the worker process with SIGKILL, as a crash would, and starts a new one. */
  crashWorker(restartAfterMs?: number): Promise<void>;
  /** Kills the API process with SIGKILL and, when told to, starts a new one on the same port. */
  crashApi(options?: { restart?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

/** Peak resident memory of a process so far (VmHWM), in MiB. */
export function peakRssMiB(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
  return Math.round((kb / 1024) * 10) / 10;
}

export function currentRssMiB(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return Math.round((kb / 1024) * 10) / 10;
}

/** A child killed by a signal keeps exitCode null (signalCode says why), so both are asked. */
const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

function spawnTs(script: string, env: Record<string, string>): ChildProcess {
  return fork(resolve(script), [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up in ${timeoutMs} ms`);
}

/**
 * Everything a benchmark needs, fresh and on its own ports: a dev server, a seeded libSQL file,
 * a worker process (interpreter plus baselines) and, when asked, an API process.
 */
export async function startBenchEnv(options: { api?: boolean; playbooksDir?: string; env?: Record<string, string>; extraWorkers?: number }): Promise<BenchEnv> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stormdesk-bench-'));
  // The API may be killed and restarted on its port (crashApi), so that one is kept out of freePort()'s range.
  const [port, uiPort, apiPort] = [await freePort(), await freePort(), await restartablePort()];
  const server: DevServer = await startDevServer({ cli: ensureTemporalCli(process.env.TEMPORAL_CLI), port, uiPort, namespace: 'default', headless: true, logFile: join(dataDir, 'temporal.log') });
  const database = await openDatabase(`file:${join(dataDir, 'stormdesk.db')}`);
  await migrateDatabase(database);
  await seedDemoCity(database.db);
  database.close();
  const taskQueue = 'bench';
  const apiKey = `sdk_bench_${randomUUID()}`;
  const env = {
    STORMDESK_API_KEY: apiKey,
    TEMPORAL_ADDRESS: server.address, TEMPORAL_TASK_QUEUE: taskQueue, STORMDESK_DATA_DIR: dataDir, PORT: String(apiPort),
    STORMDESK_LOG_LEVEL: 'warn', STORMDESK_PLAYBOOKS_DIR: options.playbooksDir ?? resolve('bench/playbooks'),
    ...options.env,
  };
  const startWorker = async () => {
    const child = spawnTs('bench/worker-process.ts', env);
    await new Promise<void>((ok, fail) => {
      child.once('message', () => ok());
      child.once('exit', (code) => fail(new Error(`bench worker exited with ${code}`)));
    });
    return child;
  };
  let worker = await startWorker();
  // More worker processes on the same task queue and the same libSQL file, as a scaled-out deployment runs them.
  const extra: ChildProcess[] = [];
  for (let i = 0; i < (options.extraWorkers ?? 0); i += 1) extra.push(await startWorker());
  let api: BenchEnv['api'];
  const startApi = async () => {
    const child = spawnTs('api/main.ts', env);
    api = { process: child, url: `http://127.0.0.1:${apiPort}` };
    await waitForHttp(`${api.url}/healthz`, 60_000);
  };
  if (options.api) await startApi();
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const stopChild = async (child: ChildProcess) => {
    if (!alive(child)) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return {
    client, taskQueue, env, dataDir,
    get api() { return api; },
    get worker() { return worker; },
    workerPeaks: () => [worker, ...extra].map((w) => peakRssMiB(w.pid)),
    auth: { authorization: `Bearer ${apiKey}` },
    async crashWorker(restartAfterMs = 0) {
      const exited = new Promise((r) => worker.once('exit', r));
      worker.kill('SIGKILL');
      await exited;
      await new Promise((r) => setTimeout(r, restartAfterMs));
      worker = await startWorker();
    },
    async crashApi({ restart = true } = {}) {
      const child = api?.process;
      if (child && alive(child)) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await exited;
      }
      if (restart) await startApi();
    },
    async stop() {
      await connection.close();
      if (api) await stopChild(api.process);
      await stopChild(worker);
      for (const child of extra) await stopChild(child);
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round((sorted[index] ?? Number.NaN) * 100) / 100;
}

/** One measured figure beside its baseline from the same run. */
export interface Figure {
  name: string;
  unit: string;
  value: number;
  baseline?: number;
  baselineName?: string;
  /** value / baseline (or the figure's own ratio when it has no baseline). */
  ratio?: number;
  aim?: string;
}

export interface BenchResult { name: string; smoke: boolean; figures: Figure[]; notes: string[] }

export const ratio = (value: number, baseline: number) => Math.round((value / baseline) * 1000) / 1000;
