import { randomUUID } from 'node:crypto';
import { and, eq, gte, inArray, like, sql } from 'drizzle-orm';
import pThrottle from 'p-throttle';
import type { Db } from '../db/client.js';
import { members, messages, pushSubscriptions, runEvents, type Channel } from '../db/schema/index.js';
import type { Language } from '../db/schema/crews.js';
import { SendError, type Transport } from './transports/types.js';
import { smsSegments } from '../domain/sms.js';

export interface Recipient {
  memberId: string;
  phone: string;
  language: Language;
  /** Channels for this person in this send (push-first members get push now, SMS later). */
  channels: Channel[];
  pushSubscriptions: { id: string; json: string }[];
}

export interface Envelope {
  /** runId|subject: with member, channel and attempt it names the message forever. */
  scope: string;
  attempt: number;
  runId?: string | undefined;
  taskId?: string | undefined;
  drill: boolean;
  recipients: Recipient[];
  /** The text for one person; `messageId` lets it carry that message's signed link. */
  text: (language: Language, messageId: string) => string;
  /** The push payload (JSON) for a recipient; defaults to the text. */
  push?: (language: Language, messageId: string) => string;
}

export interface DeliveryReport { queued: number; sent: number; failed: { memberId: string; channel: Channel; error: string }[] }

export interface DeliveryOptions {
  transports: Partial<Record<Channel, Transport>>;
  /** Messages per second per channel's sender (a Twilio long code sends 1 segment a second, a short code 100). */
  perSecond: Partial<Record<Channel, number>>;
  /** At most this many SMS to one number in 24 hours. */
  dailyCapPerNumber: number;
  concurrency: number;
}

const throttles = new Map<string, <T>(fn: () => Promise<T>) => Promise<T>>();

/** One limiter per sender and rate for the whole worker process, shared by every activity. */
function throttleFor(channel: Channel, perSecond: number) {
  const key = `${channel}:${perSecond}`;
  let limit = throttles.get(key);
  if (!limit) {
    const throttled = pThrottle({ limit: Math.max(1, Math.round(perSecond)), interval: 1000, strict: true })((fn: () => Promise<unknown>) => fn());
    limit = <T>(fn: () => Promise<T>) => throttled(fn) as Promise<T>;
    throttles.set(key, limit);
  }
  return limit;
}

/**
 * Writes one `pending` row per (member, channel[, device]) before anything is sent, then sends
 * what is still pending, concurrently and within each sender's rate, and records the outcome.
 * Rows already sent by an earlier try are not sent again. A transient failure leaves its row
 * pending and is rethrown once the rest are through, so the activity retries only what is left.
 */
export async function deliver(db: Db, options: DeliveryOptions, envelope: Envelope, signal?: AbortSignal): Promise<DeliveryReport> {
  const now = new Date().toISOString();
  // A send small enough to go out at once is marked as possibly sent as it is written, which saves
  // a write per message on the way to the first text; a larger one marks each row just before its send.
  const recipientsNow = envelope.recipients.reduce((n, r) => n + r.channels.length + r.pushSubscriptions.length, 0);
  const sendingSince = recipientsNow <= options.concurrency ? now : null;
  const rows = envelope.recipients.flatMap((r) => r.channels.filter((channel) => options.transports[channel]).flatMap((channel) => {
    const base = { runId: envelope.runId ?? null, taskId: envelope.taskId ?? null, memberId: r.memberId, channel, drill: envelope.drill, status: 'pending' as const, sendingSince, createdAt: now, updatedAt: now };
    if (channel === 'push') {
      return r.pushSubscriptions.map((s) => {
        const id = randomUUID();
        return { ...base, id, key: `${envelope.scope}|${r.memberId}|push:${s.id}|${envelope.attempt}`, to: s.json, body: (envelope.push ?? envelope.text)(r.language, id) };
      });
    }
    const id = randomUUID();
    return r.phone ? [{ ...base, id, key: `${envelope.scope}|${r.memberId}|${channel}|${envelope.attempt}`, to: r.phone, body: envelope.text(r.language, id) }] : [];
  }));
  if (!rows.length) return { queued: 0, sent: 0, failed: [] };
  const inserted: (typeof messages.$inferSelect)[] = [];
  for (let i = 0; i < rows.length; i += 200) inserted.push(...await db.insert(messages).values(rows.slice(i, i + 200)).onConflictDoNothing().returning());
  // A first try wrote every row just now, all pending; a retry reads back what is still pending.
  const pending = inserted.length === rows.length ? inserted : [];
  // Rows this try wrote: their mark is this try's own, not a sign that an earlier try may have sent them.
  const fresh = new Set(pending.map((m) => m.id));
  const keys = rows.map((r) => r.key);
  for (let i = 0; i < keys.length && pending !== inserted; i += 500) {
    pending.push(...await db.select().from(messages).where(and(inArray(messages.key, keys.slice(i, i + 500)), eq(messages.status, 'pending'))));
  }
  await announceEta(db, envelope, pending, options);

  const report: DeliveryReport = { queued: rows.length, sent: 0, failed: [] };
  let transient: SendError | undefined;
  const sentToday = await dailyCounts(db, pending.filter((m) => m.channel === 'sms').map((m) => m.to));
  const queue = [...pending];
  const workers = Array.from({ length: Math.min(options.concurrency, queue.length) }, async () => {
    // A cancelled attempt (timed out, or its run gone) takes no more rows: the retry sends them.
    for (let row = queue.shift(); row && !signal?.aborted; row = queue.shift()) {
      const message = row;
      const transport = options.transports[message.channel];
      if (!transport) continue;
      if (message.channel === 'sms') {
        const count = (sentToday.get(message.to) ?? 0) + 1;
        sentToday.set(message.to, count);
        if (count > options.dailyCapPerNumber) {
          await finish(db, message, { status: 'failed', error: `daily cap of ${options.dailyCapPerNumber} messages to this number reached` });
          report.failed.push({ memberId: message.memberId, channel: message.channel, error: 'daily cap reached' });
          continue;
        }
      }
      try {
        const outgoing = { id: message.id, to: message.to, body: message.body, channel: message.channel, memberId: message.memberId };
        if (message.sendingSince && !fresh.has(message.id)) {
          const found = await transport.findSent?.(outgoing, message.sendingSince);
          if (found) {
            await finish(db, message, { status: 'sent', provider: found.provider, providerMessageId: found.providerMessageId, sentAt: new Date().toISOString() });
            report.sent += 1;
            continue;
          }
        }
        const send = async () => {
          // Waiting for the sender's rate can outlast the attempt: once Temporal has given it up, the retry sends.
          signal?.throwIfAborted();
          if (!(fresh.has(message.id) && message.sendingSince)) await db.update(messages).set({ sendingSince: new Date().toISOString() }).where(eq(messages.id, message.id));
          return transport.send(outgoing);
        };
        // A sender's rate counts segments: a long Chinese text costs several slots.
        const limit = throttleFor(message.channel, options.perSecond[message.channel] ?? 100);
        const segments = message.channel === 'sms' ? smsSegments(message.body).segments : 1;
        for (let i = 1; i < segments; i += 1) await limit(async () => undefined);
        const result = await limit(send);
        await finish(db, message, { status: result.provider === 'outbox' ? 'held' : 'sent', provider: result.provider, providerMessageId: result.providerMessageId, sentAt: new Date().toISOString() });
        report.sent += 1;
      } catch (error) {
        const failure = error instanceof SendError ? error : new SendError(String(error), false);
        await finish(db, message, { status: failure.permanent ? 'failed' : 'pending', error: failure.message });
        if (failure.kind === 'invalid-number') await db.update(members).set({ phoneInvalidSince: new Date().toISOString(), phoneInvalidReason: failure.message }).where(eq(members.id, message.memberId));
        if (failure.kind === 'gone') await db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, message.key.split('|push:')[1]?.split('|')[0] ?? ''));
        if (failure.permanent) report.failed.push({ memberId: message.memberId, channel: message.channel, error: failure.message });
        else if (!transient || (failure.retryAfterMs ?? 0) > (transient.retryAfterMs ?? 0)) transient = failure;
      }
    }
  });
  await Promise.all(workers);
  signal?.throwIfAborted();
  if (transient) throw transient;
  // Report every permanent failure of this send, including those of an earlier, retried try.
  // (by scope and attempt: a member flagged by that try is no longer among this try's rows)
  const failed = await db.select().from(messages).where(and(like(messages.key, `${envelope.scope}|%|${envelope.attempt}`), eq(messages.status, 'failed')));
  report.failed = failed.map((m) => ({ memberId: m.memberId, channel: m.channel, error: m.error ?? 'failed' }));
  return report;
}

async function finish(db: Db, row: typeof messages.$inferSelect, change: Partial<typeof messages.$inferInsert>): Promise<void> {
  await db.update(messages).set({ ...change, attempts: row.attempts + 1, updatedAt: new Date().toISOString() }).where(eq(messages.id, row.id));
}

async function dailyCounts(db: Db, numbers: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (!numbers.length) return counts;
  const since = new Date(Date.now() - 86_400_000).toISOString();
  const unique = [...new Set(numbers)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db.select({ to: messages.to, n: sql<number>`count(*)` }).from(messages)
      .where(and(inArray(messages.to, unique.slice(i, i + 500)), eq(messages.status, 'sent'), gte(messages.sentAt, since))).groupBy(messages.to);
    for (const r of rows) counts.set(r.to, Number(r.n));
  }
  return counts;
}

/** Big fan-outs say on the run when their last message is expected out (at the sender's rate). */
async function announceEta(db: Db, envelope: Envelope, pending: (typeof messages.$inferSelect)[], options: DeliveryOptions): Promise<void> {
  const sms = pending.filter((m) => m.channel === 'sms').reduce((n, m) => n + smsSegments(m.body).segments, 0);
  const rate = options.perSecond.sms ?? 100;
  if (!envelope.runId || sms / rate < 10) return;
  const eta = new Date(Date.now() + (sms / rate) * 1000).toISOString();
  await db.insert(runEvents).values({
    runId: envelope.runId, key: `eta|${envelope.scope}|${envelope.attempt}`, at: new Date().toISOString(), type: 'delivery.eta', actor: 'system',
    message: `${sms} SMS segments queued at ${rate}/s; the last is expected out at ${eta}`, data: { segments: sms, perSecond: rate, eta },
  }).onConflictDoNothing();
}

/** Everyone a run has messaged, once each: who must hear that it is over. */
export async function runRecipients(db: Db, runId: string): Promise<string[]> {
  const rows = await db.selectDistinct({ memberId: messages.memberId }).from(messages).where(eq(messages.runId, runId));
  return rows.map((r) => r.memberId).sort();
}
