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
import { loadTriggerMapping } from '../api/triggers-service.js';
import { deliveryDeps } from '../worker/delivery.js';
import { roles, users, type Role } from '../db/schema/access.js';
import { hashPassword } from '../api/auth/crypto.js';

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
  /** Calls the API in-process through Hono (no port), JSON in and out, signed in as the duty officer "officer". */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  /** The same, as another role (signed in as a user named after it), an API key, or nobody. */
  callAs(who: Role | 'anonymous' | { key: string }, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
}

export interface Reply { status: number; body: any; headers: Headers }

export const testPassword = 'correct horse battery staple';
const roleUser: Record<Role, string> = { admin: 'admin', 'duty-officer': 'officer', 'drill-coordinator': 'coordinator', crew: 'crew-member', viewer: 'viewer' };

/** One user per role; the crew user is linked to a seeded member when the city is seeded. */
export async function addRoleUsers(db: Database['db'], seeded: boolean): Promise<void> {
  const passwordHash = await hashPassword(testPassword);
  for (const role of roles) {
    await db.insert(users).values({ id: `user_${role}`, username: roleUser[role], passwordHash, role, memberId: role === 'crew' && seeded ? 'crew-drain-shahe-m1' : null, createdAt: new Date().toISOString() }).onConflictDoNothing();
  }
}

/**
 * The real stack for one test: a libSQL file, a worker on its own task queue against the shared
 * dev server, and the Hono app. `fn` runs while the worker polls.
 */
export async function withStack<T>(fn: (stack: Stack) => Promise<T>, options: { playbooks?: LoadResult; seed?: boolean; env?: Record<string, string>; realDelivery?: boolean; temporalAddress?: string } = {}): Promise<T> {
  const config = testConfig(options.env);
  const database = await testDatabase({ seed: options.seed ?? true });
  const address = options.temporalAddress ?? inject('temporalAddress');
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const native = await NativeConnection.connect({ address });
  const worker = await createWorker({
    connection: native, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue,
    deps: { db: database.db, logger: silentLogger, ...(options.realDelivery ? await deliveryDeps(config, database.db) : {}) }, workflowBundlePath: inject('workflowBundlePath'),
  });
  const deps: AppDeps = {
    config, logger: silentLogger, db: database.db, sqlite: database.client, temporal: client, temporalConnection: connection,
    searchAttributes: false, playbooks: options.playbooks ?? loadPlaybooks(playbooksDir), trigger: { mapping: loadTriggerMapping('config/triggers.yaml') },
  };
  const app = createApp(deps);
  await addRoleUsers(database.db, options.seed ?? true);
  const sessions = new Map<string, Promise<Record<string, string>>>();
  const credentials = async (who: Role | 'anonymous' | { key: string }): Promise<Record<string, string>> => {
    if (who === 'anonymous') return {};
    if (typeof who === 'object') return { authorization: `Bearer ${who.key}` };
    // One sign-in per role, even when a test calls many times at once.
    let session = sessions.get(who);
    if (!session) {
      session = signIn(who);
      sessions.set(who, session);
    }
    return session;
  };
  const signIn = async (who: Role): Promise<Record<string, string>> => {
    const res = await app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: roleUser[who], password: testPassword }) });
    if (res.status !== 200) throw new Error(`login as ${who} failed: ${res.status} ${await res.text()}`);
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    return { cookie, 'x-csrf-token': csrfToken };
  };
  const callAs: Stack['callAs'] = async (who, method, path, body, headers = {}) => {
    const init: RequestInit = { method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(await credentials(who)), ...headers } };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const res = await app.request(path, init);
    const text = await res.text();
    let parsed: unknown = text;
    try { parsed = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  const call: Stack['call'] = (method, path, body, headers) => callAs('duty-officer', method, path, body, headers);
  try {
    return await worker.runUntil(fn({ config, database, client, connection, app, deps, worker, call, callAs }));
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
