import { sqliteTable, text, integer } from 'drizzle-orm/sqlite-core';
import { zones } from './zones.js';

export const feedKinds = ['cap', 'nws', 'qweather'] as const;
export type FeedKind = (typeof feedKinds)[number];

/**
 * A warning feed Stormdesk polls: its cron, what the last poll saw (ETag, Last-Modified) so the
 * next one asks "changed since?", and its health (failures in a row, back-off, last success).
 */
export const feeds = sqliteTable('feeds', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind', { enum: feedKinds }).notNull(),
  url: text('url').notNull(),
  cron: text('cron').notNull(),
  /** QWeather answers per location: the zone its answers are for. */
  zoneId: text('zone_id').references(() => zones.id),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  /** No successful poll for this long flags the feed as silent. */
  silentAfterSeconds: integer('silent_after_seconds').notNull().default(1800),
  etag: text('etag'),
  lastModified: text('last_modified'),
  lastPolledAt: text('last_polled_at'),
  lastOkAt: text('last_ok_at'),
  lastStatus: integer('last_status'),
  failures: integer('failures').notNull().default(0),
  lastError: text('last_error'),
  backoffUntil: text('backoff_until'),
  /** When silence was last escalated, so it is escalated once per silence. */
  escalatedAt: text('escalated_at'),
  createdAt: text('created_at').notNull(),
});

/** One row per cron slot claimed: with several API processes, the first to claim a slot runs it. */
export const cronClaims = sqliteTable('cron_claims', {
  key: text('key').primaryKey(),
  holder: text('holder').notNull(),
  claimedAt: text('claimed_at').notNull(),
});
