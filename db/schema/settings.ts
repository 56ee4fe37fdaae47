import { sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Values generated once and kept (VAPID keys, the link-signing secret), so every process shares them. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  createdAt: text('created_at').notNull(),
});
