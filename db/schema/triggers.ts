import { sqliteTable, text, integer, index, primaryKey } from 'drizzle-orm/sqlite-core';

/** Every warning message received, keyed as CAP keys its store: a repeat is a duplicate, never a second run. */
export const alerts = sqliteTable('alerts', {
  sender: text('sender').notNull(),
  identifier: text('identifier').notNull(),
  source: text('source').notNull(),
  msgType: text('msg_type').notNull(),
  receivedAt: text('received_at').notNull(),
  /** The runs this message started or reached, so a later Cancel finds them. */
  workflowIds: text('workflow_ids', { mode: 'json' }).$type<string[]>().notNull().default([]),
  /**
   * Set once the message's decision is complete. A row without it was claimed by a request that
   * failed or died half-way; the next copy decides it again rather than calling it a duplicate.
   */
  decidedAt: text('decided_at'),
}, (t) => [primaryKey({ columns: [t.sender, t.identifier] }), index('alerts_identifier_idx').on(t.identifier)]);

/** The trigger log: what came in, what matched, what was done and why. */
export const triggerLog = sqliteTable('trigger_log', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  at: text('at').notNull(),
  source: text('source').notNull(),
  identifier: text('identifier').notNull(),
  msgType: text('msg_type').notNull(),
  action: text('action').notNull(),
  hazard: text('hazard'),
  level: text('level'),
  zoneId: text('zone_id'),
  runId: text('run_id'),
  workflowId: text('workflow_id'),
  reason: text('reason').notNull(),
  by: text('by').notNull(),
}, (t) => [index('trigger_log_at_idx').on(t.at), index('trigger_log_zone_idx').on(t.zoneId)]);
