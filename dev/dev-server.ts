import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';

export interface DevServerOptions {
  cli: string;
  port: number;
  uiPort: number;
  /** SQLite file that persists the server's state; omit for in-memory (tests). */
  dbFile?: string;
  namespace: string;
  headless?: boolean;
  /** Where the server's own output goes; inherits when absent. */
  logFile?: string;
  /** How long to wait for the server to answer health checks. */
  startTimeoutMs?: number;
}

export interface DevServer {
  address: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Search attributes the board and the API filter on; created with the server's database. */
export const searchAttributes = ['StormdeskHazard=Keyword', 'StormdeskZone=Keyword', 'StormdeskLevel=Keyword'];

/**
 * Starts `temporal server start-dev` and waits until it answers health checks. The wait is
 * ours (not the SDK's fixed 5 s) because a loaded 2-core machine can take longer.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--ui-port', String(options.uiPort),
    '--namespace', options.namespace, '--log-level', 'warn'];
  for (const attribute of searchAttributes) args.push('--search-attribute', attribute);
  if (options.dbFile) {
    mkdirSync(dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  if (options.headless) args.push('--headless');
  const out = options.logFile ? openSync(options.logFile, 'a') : 'inherit';
  const child = spawn(options.cli, args, { stdio: ['ignore', out, out] });
  const address = `127.0.0.1:${options.port}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await waitForHealth(address, options.startTimeoutMs ?? 60_000, exited);
  } catch (error) {
    child.kill('SIGKILL');
    const tail = options.logFile ? readLogTail(options.logFile) : '';
    throw tail ? new Error(`${(error as Error).message}; its log ends: ${tail}`) : error;
  }
  return {
    address,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function readLogTail(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim().split('\n').slice(-3).join(' | ');
  } catch {
    return '';
  }
}

async function waitForHealth(address: string, timeoutMs: number, exited: Promise<number | null>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let early: number | null | undefined;
  void exited.then((code) => { early = code; });
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (early !== undefined) throw new Error(`the Temporal dev server exited with code ${early} before it was healthy (is port ${address} in use?)`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.healthService.check({});
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`the Temporal dev server at ${address} was not healthy after ${timeoutMs} ms: ${String(lastError)}`);
}
