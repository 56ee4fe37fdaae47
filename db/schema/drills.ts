import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import { zones } from './zones.js';

export const overlapPolicies = ['skip', 'buffer-one', 'cancel-other', 'allow-all'] as const;
export type OverlapPolicy = (typeof overlapPolicies)[number];
/** What a drill does when a real incident opens in its zone: real work always comes first. */
export const realIncidentPolicies = ['pause', 'end'] as const;
export type RealIncidentPolicy = (typeof realIncidentPolicies)[number];
export const drillRunStatuses = ['announced', 'running', 'paused', 'ended', 'pre-empted'] as const;
export type DrillRunStatus = (typeof drillRunStatuses)[number];

/** An objective a drill is measured against; durations are text ("5m") as the coordinator wrote them. */
export type Objective =
  | { id: string; kind: 'ack-within'; within: string; label?: string }
  | { id: string; kind: 'done-within'; within: string; stepId?: string; facilityId?: string; label?: string };

/** A simulated warning or sensor reading fed to the drill run at an offset from its start. */
export type Inject =
  | { id: string; at: string; kind: 'warning'; level: 'IV' | 'III' | 'II' | 'I'; headline: string }
  | { id: string; at: string; kind: 'reading'; sensorId: string; value: number; unit?: string };

/** When the drill runs: once at an instant, or on a five-field cron in the city's time zone. */
export type DrillSchedule =
  | { kind: 'once'; at: string }
  | { kind: 'recurring'; cron: string };

/**
 * A drill: a playbook run in drill mode for a zone, with the crews taking part, what they are
 * measured against and the scenario played to them. Its cadence lives in a Temporal Schedule
 * (id derived from the drill's id); `schedule` here is what that Schedule was built from.
 */
export const drills = sqliteTable('drills', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  playbookId: text('playbook_id').notNull(),
  zoneId: text('zone_id').notNull().references(() => zones.id),
  level: text('level').notNull(),
  participants: text('participants', { mode: 'json' }).$type<string[]>().notNull(),
  objectives: text('objectives', { mode: 'json' }).$type<Objective[]>().notNull().default([]),
  injects: text('injects', { mode: 'json' }).$type<Inject[]>().notNull().default([]),
  /** Compressed playbook timers (durations by name), so a drill can run faster than a storm. */
  timers: text('timers', { mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
  /** How long before the start participants are told; the Schedule fires this much early. */
  lead: text('lead').notNull().default('0s'),
  /** The drill run is stood down after this long if nobody has done so. */
  window: text('window').notNull().default('2h'),
  onRealIncident: text('on_real_incident', { enum: realIncidentPolicies }).notNull().default('end'),
  schedule: text('schedule', { mode: 'json' }).$type<DrillSchedule>(),
  skipDates: text('skip_dates', { mode: 'json' }).$type<string[]>().notNull().default([]),
  overlap: text('overlap', { enum: overlapPolicies }).notNull().default('skip'),
  paused: integer('paused', { mode: 'boolean' }).notNull().default(false),
  createdBy: text('created_by').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/**
 * One firing of a drill: the playbook run it started (a row in `runs`, drill = true) and how it
 * went. Written by the drill workflow's activities; measurement reads the run's tasks.
 */
export const drillRuns = sqliteTable('drill_runs', {
  /** The playbook run's id (run_…). */
  runId: text('run_id').primaryKey(),
  drillId: text('drill_id').notNull().references(() => drills.id),
  playbookId: text('playbook_id').notNull(),
  /** The drill workflow (one per firing of the Schedule). */
  workflowId: text('workflow_id').notNull(),
  /** The runPlaybook child's workflow id: a drill id, never an incident's. */
  runWorkflowId: text('run_workflow_id').notNull(),
  status: text('status', { enum: drillRunStatuses }).notNull(),
  announcedAt: text('announced_at').notNull(),
  startsAt: text('starts_at').notNull(),
  startedAt: text('started_at'),
  endedAt: text('ended_at'),
  endedReason: text('ended_reason'),
  /** The injects fed so far, with when. */
  fed: text('fed', { mode: 'json' }).$type<{ id: string; at: string; outcome: string }[]>().notNull().default([]),
}, (t) => [
  // Reports list a drill's runs newest first, and trends compare runs of one playbook.
  index('drill_runs_drill_idx').on(t.drillId, t.announcedAt),
  index('drill_runs_playbook_idx').on(t.playbookId, t.announcedAt),
]);

export type DrillRow = typeof drills.$inferSelect;
export type DrillRunRow = typeof drillRuns.$inferSelect;
