import { sqliteTable, text, real, index } from 'drizzle-orm/sqlite-core';
import { zones, facilities } from './zones.js';

export const sensorMetrics = ['rainfall', 'water-level', 'wind-speed', 'gas-concentration', 'pump-status', 'flow'] as const;
export type SensorMetric = (typeof sensorMetrics)[number];

export const sensors = sqliteTable('sensors', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  metric: text('metric', { enum: sensorMetrics }).notNull(),
  unit: text('unit').notNull(),
  zoneId: text('zone_id').notNull().references(() => zones.id),
  facilityId: text('facility_id').references(() => facilities.id),
  lat: real('lat').notNull(),
  lon: real('lon').notNull(),
}, (t) => [index('sensors_zone_idx').on(t.zoneId)]);

export type SensorRow = typeof sensors.$inferSelect;
