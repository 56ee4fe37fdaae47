import { sqliteTable, text, integer, primaryKey, index } from 'drizzle-orm/sqlite-core';
import { zones } from './zones.js';

export const languages = ['zh-CN', 'en'] as const;
export type Language = (typeof languages)[number];

export const crews = sqliteTable('crews', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** What the crew does: drainage, pump truck, tree clearance, gas repair, ... */
  specialty: text('specialty').notNull(),
});

/** Which zones a crew covers; dispatch picks crews covering the task's zone or its ancestors. */
export const crewZones = sqliteTable('crew_zones', {
  crewId: text('crew_id').notNull().references(() => crews.id, { onDelete: 'cascade' }),
  zoneId: text('zone_id').notNull().references(() => zones.id),
}, (t) => [primaryKey({ columns: [t.crewId, t.zoneId] }), index('crew_zones_zone_idx').on(t.zoneId)]);

export const members = sqliteTable('members', {
  id: text('id').primaryKey(),
  crewId: text('crew_id').references(() => crews.id, { onDelete: 'set null' }),
  name: text('name').notNull(),
  /** E.164, validated at the API edge. */
  phone: text('phone').notNull().unique(),
  language: text('language', { enum: languages }).notNull().default('zh-CN'),
  skills: text('skills', { mode: 'json' }).$type<string[]>().notNull().default([]),
  supervisor: integer('supervisor', { mode: 'boolean' }).notNull().default(false),
}, (t) => [index('members_crew_idx').on(t.crewId)]);

export type CrewRow = typeof crews.$inferSelect;
export type MemberRow = typeof members.$inferSelect;
