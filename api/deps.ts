import type { Client, Connection } from '@temporalio/client';
import type { Config } from '../config/env.js';
import type { Logger } from '../config/logger.js';
import type { Db } from '../db/client.js';
import type { Client as LibsqlClient } from '@libsql/client';
import type { LoadResult } from '../playbooks/loader.js';
import type { Principal } from './auth/middleware.js';
import type { TriggerMapping } from '../domain/warnings/mapping.js';
import type { ChecklistTemplates } from '../config/checklists.js';

/** Services the routes use, injected through the app's context (never imported by routes). */
export interface AppDeps {
  config: Config;
  logger: Logger;
  db: Db;
  sqlite: LibsqlClient;
  temporal: Client;
  temporalConnection: Connection;
  /** False when the cluster refused our search attributes (e.g. Temporal Cloud without tcld set-up). */
  searchAttributes: boolean;
  playbooks: LoadResult;
  /** How warnings map to hazards, levels and zones; absent means feeds are refused. */
  trigger?: { mapping: TriggerMapping };
  /** Checklist templates per facility type; config/checklists.yaml when absent. */
  checklists?: ChecklistTemplates;
}

/**
 * `idempotencyKey`: the caller's Idempotency-Key, hashed with who they are, for handlers that derive ids from it.
 * `resumed`: this request retries one with the same key whose process died before answering; a
 * handler that finds its work already committed answers with what was committed.
 */
export type AppEnv = { Variables: { deps: AppDeps; actor: string; principal?: Principal; idempotencyKey?: string; resumed?: boolean } };
