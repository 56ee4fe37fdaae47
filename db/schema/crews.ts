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
  /** Push first (SMS follows if push is not acknowledged in time), or SMS only. */
  channelPreference: text('channel_preference', { enum: ['push', 'sms'] }).notNull().default('push'),
  /** Set when a provider says the number can never receive (Twilio 21211, 21614): not retried. */
  phoneInvalidSince: text('phone_invalid_since'),
  phoneInvalidReason: text('phone_invalid_reason'),
}, (t) => [index('members_crew_idx').on(t.crewId)]);

/** A crew's shift; a crew with no shifts at all is treated as always on duty (a 24-hour team). */
export const shifts = sqliteTable('shifts', {
  id: text('id').primaryKey(),
  crewId: text('crew_id').notNull().references(() => crews.id, { onDelete: 'cascade' }),
  startsAt: text('starts_at').notNull(),
  endsAt: text('ends_at').notNull(),
  /** What the outgoing shift hands over. */
  handoverNote: text('handover_note'),
}, (t) => [
  // "Who is on duty now" scans shifts overlapping now, per crew.
  index('shifts_crew_time_idx').on(t.crewId, t.startsAt, t.endsAt),
]);

/** Per-zone escalation order, tried before walking up the grid: crew, then backup crew, ... */
export const escalationChains = sqliteTable('escalation_chains', {
  zoneId: text('zone_id').notNull().references(() => zones.id),
  position: integer('position').notNull(),
  crewId: text('crew_id').notNull().references(() => crews.id, { onDelete: 'cascade' }),
}, (t) => [primaryKey({ columns: [t.zoneId, t.position] })]);

/** Web push subscriptions, one per member and device, bound to the member who made them. */
export const pushSubscriptions = sqliteTable('push_subscriptions', {
  id: text('id').primaryKey(),
  memberId: text('member_id').notNull().references(() => members.id, { onDelete: 'cascade' }),
  endpoint: text('endpoint').notNull().unique(),
  p256dh: text('p256dh').notNull(),
  auth: text('auth').notNull(),
  userAgent: text('user_agent'),
  createdAt: text('created_at').notNull(),
}, (t) => [index('push_subscriptions_member_idx').on(t.memberId)]);

export type ShiftRow = typeof shifts.$inferSelect;
export type PushSubscriptionRow = typeof pushSubscriptions.$inferSelect;

export type CrewRow = typeof crews.$inferSelect;
export type MemberRow = typeof members.$inferSelect;
