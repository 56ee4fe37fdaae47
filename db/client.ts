import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import * as schema from './schema/index.js';

export type Db = LibSQLDatabase<typeof schema>;
export interface Database { db: Db; client: Client; close(): void }

const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Opens the database at `url` (a local file or a libSQL server). Local files get WAL, so the
 * API and workers read while one writes, and a busy timeout, so concurrent writers wait
 * instead of failing with SQLITE_BUSY.
 */
export async function openDatabase(url: string, authToken?: string): Promise<Database> {
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length);
    mkdirSync(dirname(resolve(path)), { recursive: true });
  }
  // `timeout` is the busy timeout of every pooled connection (the PRAGMA below reaches only the
  // first): without it a transaction's own connection fails at once with SQLITE_BUSY under load.
  const client = createClient({ url, ...(authToken ? { authToken } : {}), timeout: 15_000 });
  if (url.startsWith('file:')) {
    await client.execute('PRAGMA journal_mode = WAL');
    await client.execute('PRAGMA busy_timeout = 15000');
    await client.execute('PRAGMA foreign_keys = ON');
  }
  const db = drizzle(client, { schema });
  return { db, client, close: () => client.close() };
}

/** Applies the committed drizzle-kit migrations; safe to call on every start. */
export async function migrateDatabase(database: Database): Promise<void> {
  await migrate(database.db, { migrationsFolder });
}
