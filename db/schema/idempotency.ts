import { sqliteTable, text, integer, primaryKey } from 'drizzle-orm/sqlite-core';

/**
 * The first answer to each request sent with an Idempotency-Key, per caller: a retry (after a
 * timeout, or after the API process died mid-request) gets that answer back instead of acting twice.
 */
export const idempotencyKeys = sqliteTable('idempotency_keys', {
  principal: text('principal').notNull(),
  key: text('key').notNull(),
  requestHash: text('request_hash').notNull(),
  state: text('state', { enum: ['in-flight', 'done'] }).notNull(),
  /** While in flight, the request holds the key until then; a crashed request's hold runs out. */
  lockedUntil: text('locked_until').notNull(),
  status: integer('status'),
  contentType: text('content_type'),
  body: text('body'),
  createdAt: text('created_at').notNull(),
}, (t) => [primaryKey({ columns: [t.principal, t.key] })]);
