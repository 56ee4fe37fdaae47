import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { pino } from 'pino';
import { inject } from 'vitest';
import { parseEnv, type Config } from '../config/env.js';
import { migrateDatabase, openDatabase, type Database } from '../db/client.js';
import { seedDemoCity } from '../db/seed.js';
import { createApp } from '../api/app.js';
import type { AppDeps } from '../api/deps.js';
import { playbooksDir } from '../api/server.js';
import { loadPlaybooks, type LoadResult } from '../playbooks/loader.js';
import { createWorker } from '../worker/create-worker.js';

export const silentLogger = pino({ level: 'silent' });

/** A migrated libSQL file in a fresh temp dir (seeded with the demo city unless told not to). */
export async function testDatabase(options: { seed?: boolean } = {}): Promise<Database & { dir: string; dispose(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'stormdesk-db-'));
  const database = await openDatabase(`file:${join(dir, 'stormdesk.db')}`);
  await migrateDatabase(database);
  if (options.seed !== false) await seedDemoCity(database.db);
  return { ...database, dir, dispose: () => { database.close(); rmSync(dir, { recursive: true, force: true }); } };
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return parseEnv({ TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: `tq-${randomUUID()}`, TEMPORAL_WORKFLOW_ID_PREFIX: `t${randomUUID().slice(0, 8)}-`, ...overrides });
}

export interface Stack {
  config: Config;
  database: Database;
  client: Client;
  connection: Connection;
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  worker: Worker;
  /** Calls the API in-process through Hono (no port), JSON in and out. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
}

/**
 * The real stack for one test: a libSQL file, a worker on its own task queue against the shared
 * dev server, and the Hono app. `fn` runs while the worker polls.
 */
export async function withStack<T>(fn: (stack: Stack) => Promise<T>, options: { playbooks?: LoadResult; seed?: boolean } = {}): Promise<T> {
  const config = testConfig();
  const database = await testDatabase({ seed: options.seed ?? true });
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const native = await NativeConnection.connect({ address: inject('temporalAddress') });
  const worker = await createWorker({
    connection: native, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue,
    deps: { db: database.db, logger: silentLogger }, workflowBundlePath: inject('workflowBundlePath'),
  });
  const deps: AppDeps = {
    config, logger: silentLogger, db: database.db, sqlite: database.client, temporal: client, temporalConnection: connection,
    searchAttributes: false, playbooks: options.playbooks ?? loadPlaybooks(playbooksDir),
  };
  const app = createApp(deps);
  const call: Stack['call'] = async (method, path, body, headers = {}) => {
    const init: RequestInit = { method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers } };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const res = await app.request(path, init);
    const text = await res.text();
    let parsed: unknown = text;
    try { parsed = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  try {
    return await worker.runUntil(fn({ config, database, client, connection, app, deps, worker, call }));
  } finally {
    await connection.close();
    await native.close();
    database.dispose();
  }
}

/** Polls `check` until it returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
