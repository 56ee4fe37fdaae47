import { sqliteTable, text, real, integer, primaryKey, index } from 'drizzle-orm/sqlite-core';
import { sensors } from './sensors.js';

/** Readings as sensors sent them; a repeat of (sensor, metric, time) is the same reading, stored once. */
export const readings = sqliteTable('readings', {
  sensorId: text('sensor_id').notNull().references(() => sensors.id),
  metric: text('metric').notNull(),
  time: text('time').notNull(),
  value: real('value').notNull(),
  unit: text('unit').notNull(),
  receivedAt: text('received_at').notNull(),
}, (t) => [primaryKey({ columns: [t.sensorId, t.metric, t.time] })]);

/**
 * A threshold with hysteresis on one sensor: at or above `above` (for `sustainedSeconds`) it trips
 * and reaches the run for its hazard and zone; under `clearBelow` it clears. Its state lives here.
 */
export const sensorRules = sqliteTable('sensor_rules', {
  id: text('id').primaryKey(),
  sensorId: text('sensor_id').notNull().references(() => sensors.id),
  hazard: text('hazard').notNull(),
  playbookId: text('playbook_id').notNull(),
  level: text('level').notNull(),
  above: real('above').notNull(),
  clearBelow: real('clear_below').notNull(),
  sustainedSeconds: integer('sustained_seconds').notNull().default(0),
  tripped: integer('tripped', { mode: 'boolean' }).notNull().default(false),
  overSince: text('over_since'),
  lastTime: text('last_time'),
}, (t) => [index('sensor_rules_sensor_idx').on(t.sensorId)]);
