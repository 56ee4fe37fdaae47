import { sqliteTable, text, index } from 'drizzle-orm/sqlite-core';
import { runs } from './runs.js';

export const taskKinds = ['task', 'notice'] as const;
export type TaskKind = (typeof taskKinds)[number];

/**
 * A mirror of the tasks a run's workflow holds, written by its sync activity, so crews' apps
 * and SMS replies find "my open tasks" without asking every workflow.
 */
export const tasks = sqliteTable('tasks', {
  id: text('id').primaryKey(),
  runId: text('run_id').notNull().references(() => runs.id),
  code: text('code').notNull(),
  kind: text('kind', { enum: taskKinds }).notNull(),
  stepId: text('step_id').notNull(),
  title: text('title').notNull(),
  zoneId: text('zone_id').notNull(),
  facilityId: text('facility_id'),
  crewId: text('crew_id'),
  status: text('status').notNull(),
  createdAt: text('created_at').notNull(),
  assignedAt: text('assigned_at'),
  acknowledgedAt: text('acknowledged_at'),
  doneAt: text('done_at'),
  verifiedAt: text('verified_at'),
  updatedAt: text('updated_at').notNull(),
}, (t) => [
  index('tasks_run_idx').on(t.runId),
  // "My open tasks" for a crew's members (SMS replies, crew app).
  index('tasks_crew_status_idx').on(t.crewId, t.status),
  index('tasks_code_idx').on(t.code),
]);

export type TaskRow = typeof tasks.$inferSelect;
