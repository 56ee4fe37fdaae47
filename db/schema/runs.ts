import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const runStatuses = ['open', 'closed'] as const;
export type RunStatus = (typeof runStatuses)[number];

/**
 * One row per run, written by the API at launch and kept current by activities, so lists
 * and filters never ask Temporal once per run (and outlive the dev server's 24 h retention).
 */
export const runs = sqliteTable('runs', {
  id: text('id').primaryKey(),
  workflowId: text('workflow_id').notNull(),
  /** Temporal's first execution run id: addresses this run's chain even after the workflow id is reused. */
  temporalRunId: text('temporal_run_id'),
  playbookId: text('playbook_id').notNull(),
  playbookVersion: text('playbook_version').notNull(),
  hazard: text('hazard').notNull(),
  zoneId: text('zone_id').notNull(),
  level: text('level').notNull(),
  status: text('status', { enum: runStatuses }).notNull().default('open'),
  drill: integer('drill', { mode: 'boolean' }).notNull().default(false),
  reason: text('reason').notNull(),
  startedBy: text('started_by').notNull(),
  startedAt: text('started_at').notNull(),
  closedAt: text('closed_at'),
  closedReason: text('closed_reason'),
  updatedAt: text('updated_at').notNull(),
  /** The workflow's last reported state; serves reports and lists after Temporal forgets the run. */
  snapshot: text('snapshot', { mode: 'json' }).$type<unknown>(),
}, (t) => [
  // The board lists open runs newest first, filtered by hazard or zone.
  index('runs_status_started_idx').on(t.status, t.startedAt),
  index('runs_workflow_idx').on(t.workflowId),
  // The live board's poller asks every second for the rows changed since its last look.
  index('runs_updated_idx').on(t.updatedAt),
]);

/** The timeline of a run. `key` makes each write idempotent when an activity retries. */
export const runEvents = sqliteTable('run_events', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  runId: text('run_id').notNull().references(() => runs.id),
  key: text('key').notNull(),
  at: text('at').notNull(),
  type: text('type').notNull(),
  actor: text('actor').notNull(),
  message: text('message').notNull(),
  data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
}, (t) => [uniqueIndex('run_events_key_uq').on(t.runId, t.key)]);

export type RunRow = typeof runs.$inferSelect;
export type RunEventRow = typeof runEvents.$inferSelect;
