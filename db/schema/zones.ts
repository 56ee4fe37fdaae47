import { sqliteTable, text, real, index } from 'drizzle-orm/sqlite-core';

export const zoneTiers = ['city', 'district', 'street', 'grid'] as const;
export type ZoneTier = (typeof zoneTiers)[number];

export const facilityTypes = [
  'underpass', 'waterlogging-point', 'pumping-station', 'gas-station', 'gas-regulator',
  'sewage-plant', 'water-main', 'garbage-transfer-station', 'river-embankment', 'drain-inlet',
] as const;
export type FacilityType = (typeof facilityTypes)[number];

/** GeoJSON Polygon or MultiPolygon, stored as JSON text; validated at the API edge. */
export interface ZoneBoundary {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: number[][][] | number[][][][];
}
export interface Geocode { valueName: string; value: string }

/** The city's four-level grid: city → district → street → community grid. */
export const zones = sqliteTable('zones', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  nameEn: text('name_en'),
  parentId: text('parent_id'),
  tier: text('tier', { enum: zoneTiers }).notNull(),
  boundary: text('boundary', { mode: 'json' }).$type<ZoneBoundary>(),
  geocodes: text('geocodes', { mode: 'json' }).$type<Geocode[]>().notNull().default([]),
}, (t) => [
  // Escalation walks up the grid and the board lists children; both look zones up by parent.
  index('zones_parent_idx').on(t.parentId),
]);

export const facilities = sqliteTable('facilities', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  nameEn: text('name_en'),
  type: text('type', { enum: facilityTypes }).notNull(),
  zoneId: text('zone_id').notNull().references(() => zones.id),
  lat: real('lat').notNull(),
  lon: real('lon').notNull(),
  /** Type-specific figures, e.g. an underpass's closure depth in metres. */
  properties: text('properties', { mode: 'json' }).$type<Record<string, number | string>>().notNull().default({}),
}, (t) => [index('facilities_zone_idx').on(t.zoneId)]);

export type ZoneRow = typeof zones.$inferSelect;
export type FacilityRow = typeof facilities.$inferSelect;
