import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { messages, type Channel } from '../db/schema/index.js';
import type { Language } from '../db/schema/crews.js';
import { SendError, type Transport } from './transports.js';

export interface Recipient { memberId: string; phone: string; language: Language }
export interface Envelope {
  /** runId|subject: together with member, channel and attempt it names the message forever. */
  scope: string;
  attempt: number;
  runId?: string | undefined;
  taskId?: string | undefined;
  drill: boolean;
  channels: Channel[];
  recipients: Recipient[];
  text: (language: Language) => string;
}

export interface DeliveryReport { queued: number; sent: number; failed: { memberId: string; channel: Channel; error: string }[] }

/**
 * Writes one `pending` row per (member, channel) before sending, then sends what is still
 * pending and records the outcome. Rows already sent by an earlier try are not sent again.
 * A transient failure leaves the row pending and throws, so the activity retries with backoff.
 */
export async function deliver(db: Db, transports: Partial<Record<Channel, Transport>>, envelope: Envelope): Promise<DeliveryReport> {
  const now = new Date().toISOString();
  const rows = envelope.recipients.flatMap((r) => envelope.channels
    .filter((channel) => transports[channel] && (channel !== 'sms' || r.phone))
    .map((channel) => ({
      id: randomUUID(),
      key: `${envelope.scope}|${r.memberId}|${channel}|${envelope.attempt}`,
      runId: envelope.runId ?? null,
      taskId: envelope.taskId ?? null,
      memberId: r.memberId,
      channel,
      to: r.phone,
      body: envelope.text(r.language),
      drill: envelope.drill,
      status: 'pending' as const,
      createdAt: now,
      updatedAt: now,
    })));
  if (!rows.length) return { queued: 0, sent: 0, failed: [] };
  for (let i = 0; i < rows.length; i += 200) await db.insert(messages).values(rows.slice(i, i + 200)).onConflictDoNothing();
  const keys = rows.map((r) => r.key);
  const pending = [];
  for (let i = 0; i < keys.length; i += 500) {
    pending.push(...await db.select().from(messages).where(and(inArray(messages.key, keys.slice(i, i + 500)), eq(messages.status, 'pending'))));
  }
  const report: DeliveryReport = { queued: rows.length, sent: 0, failed: [] };
  let transient: SendError | undefined;
  for (const row of pending) {
    const transport = transports[row.channel];
    if (!transport) continue;
    try {
      const result = await transport.send({ id: row.id, to: row.to, body: row.body, channel: row.channel });
      await db.update(messages).set({ status: 'sent', provider: result.provider, providerMessageId: result.providerMessageId, sentAt: new Date().toISOString(), attempts: row.attempts + 1, updatedAt: new Date().toISOString() }).where(eq(messages.id, row.id));
      report.sent += 1;
    } catch (error) {
      const sendError = error instanceof SendError ? error : new SendError(String(error), false);
      await db.update(messages).set({ status: sendError.permanent ? 'failed' : 'pending', error: sendError.message, attempts: row.attempts + 1, updatedAt: new Date().toISOString() }).where(eq(messages.id, row.id));
      if (sendError.permanent) report.failed.push({ memberId: row.memberId, channel: row.channel, error: sendError.message });
      else transient ??= sendError;
    }
  }
  if (transient) throw transient;
  return report;
}

/** Everyone a run has messaged, once each: who must hear that it is over. */
export async function runRecipients(db: Db, runId: string): Promise<string[]> {
  const rows = await db.selectDistinct({ memberId: messages.memberId }).from(messages).where(eq(messages.runId, runId));
  return rows.map((r) => r.memberId).sort();
}
