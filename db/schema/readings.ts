import { sqliteTable, text, real, integer, primaryKey, index } from 'drizzle-orm/sqlite-core';
import { sensors, sensorMetrics } from './sensors.js';
import { facilities, zones } from './zones.js';

/** Readings as sensors sent them; a repeat of (sensor, metric, time) is the same reading, stored once. */
export const readings = sqliteTable('readings', {
  sensorId: text('sensor_id').notNull().references(() => sensors.id),
  metric: text('metric').notNull(),
  time: text('time').notNull(),
  value: real('value').notNull(),
  unit: text('unit').notNull(),
  receivedAt: text('received_at').notNull(),
}, (t) => [primaryKey({ columns: [t.sensorId, t.metric, t.time] }), index('readings_time_idx').on(t.time)]);

export const ruleKinds = ['threshold', 'rate-of-change', 'silent'] as const;
export type RuleKind = (typeof ruleKinds)[number];

/**
 * A rule over one sensor, or over every sensor of a metric in a zone (and the zones under it).
 * threshold: at or above `above` (for `sustainedSeconds`) it trips, under `clearBelow` it clears.
 * rate-of-change: the same, on the rise over the last `windowSeconds` rather than the value.
 * silent: trips when no reading has come for `silentSeconds`; it flags, and escalates to the
 * duty officer while a run of level II or I is open in the sensor's zone, but starts nothing.
 */
export const sensorRules = sqliteTable('sensor_rules', {
  id: text('id').primaryKey(),
  kind: text('kind', { enum: ruleKinds }).notNull().default('threshold'),
  sensorId: text('sensor_id').references(() => sensors.id),
  zoneId: text('zone_id').references(() => zones.id),
  metric: text('metric', { enum: sensorMetrics }),
  hazard: text('hazard'),
  playbookId: text('playbook_id'),
  level: text('level'),
  above: real('above'),
  clearBelow: real('clear_below'),
  sustainedSeconds: integer('sustained_seconds').notNull().default(0),
  windowSeconds: integer('window_seconds'),
  silentSeconds: integer('silent_seconds'),
  createdAt: text('created_at').notNull().default(''),
}, (t) => [index('sensor_rules_sensor_idx').on(t.sensorId), index('sensor_rules_zone_idx').on(t.zoneId)]);

/** Where each (rule, sensor) pair stands: a zone rule trips with its first sensor and clears with its last. */
export const sensorRuleStates = sqliteTable('sensor_rule_states', {
  ruleId: text('rule_id').notNull().references(() => sensorRules.id, { onDelete: 'cascade' }),
  sensorId: text('sensor_id').notNull().references(() => sensors.id),
  tripped: integer('tripped', { mode: 'boolean' }).notNull().default(false),
  overSince: text('over_since'),
  lastTime: text('last_time'),
}, (t) => [primaryKey({ columns: [t.ruleId, t.sensorId] })]);

export const facilityStatuses = ['running', 'stopped', 'fault', 'comms-lost'] as const;
export type FacilityStatus = (typeof facilityStatuses)[number];

/** Status events from facilities' own controllers (a pump's PLC); a repeat of (facility, time) is stored once. */
export const facilityEvents = sqliteTable('facility_events', {
  facilityId: text('facility_id').notNull().references(() => facilities.id),
  time: text('time').notNull(),
  status: text('status', { enum: facilityStatuses }).notNull(),
  detail: text('detail'),
  receivedAt: text('received_at').notNull(),
  /** Set once the event was acted on; an event without it is acted on again when it is resent. */
  decidedAt: text('decided_at'),
}, (t) => [primaryKey({ columns: [t.facilityId, t.time] })]);
