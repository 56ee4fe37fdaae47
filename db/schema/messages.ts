import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const channels = ['sms', 'push'] as const;
export type Channel = (typeof channels)[number];
/** `held`: kept in the outbox only, because no provider is configured (the embedded default). */
export const messageStatuses = ['pending', 'held', 'sent', 'delivered', 'failed', 'undelivered'] as const;
export type MessageStatus = (typeof messageStatuses)[number];

/**
 * The outbox: one row per message to one member on one channel. The row is written `pending`
 * before the send and keyed by its business identity, so a retried activity or a worker that
 * died mid-send never messages a person twice, and a failed send is never lost.
 */
export const messages = sqliteTable('messages', {
  id: text('id').primaryKey(),
  /** runId|subject|memberId|channel|attempt: at most one message per key, ever. */
  key: text('key').notNull(),
  runId: text('run_id'),
  taskId: text('task_id'),
  memberId: text('member_id').notNull(),
  channel: text('channel', { enum: channels }).notNull(),
  to: text('to').notNull(),
  body: text('body').notNull(),
  drill: integer('drill', { mode: 'boolean' }).notNull().default(false),
  status: text('status', { enum: messageStatuses }).notNull().default('pending'),
  provider: text('provider'),
  providerMessageId: text('provider_message_id'),
  error: text('error'),
  attempts: integer('attempts').notNull().default(0),
  /** Set just before a send: a row still pending with this set was being sent when its worker died, so the provider is asked before sending again. */
  sendingSince: text('sending_since'),
  createdAt: text('created_at').notNull(),
  sentAt: text('sent_at'),
  updatedAt: text('updated_at').notNull(),
}, (t) => [
  uniqueIndex('messages_key_uq').on(t.key),
  // Stand-down tells everyone a run messaged; the outbox page lists a run's messages.
  index('messages_run_idx').on(t.runId),
  // Status callbacks find a message by the provider's id.
  index('messages_provider_idx').on(t.providerMessageId),
]);

export type MessageRow = typeof messages.$inferSelect;
