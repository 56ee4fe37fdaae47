import { ApplicationFailure, Context } from '@temporalio/activity';
import { and, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { Logger } from '../config/logger.js';
import { members, pushSubscriptions, type Channel, type MemberRow } from '../db/schema/index.js';
import type { Language } from '../db/schema/crews.js';
import { signLink } from '../domain/links.js';
import { endText, taskText, type Bilingual } from '../domain/message-text.js';
import { crewMembers, findAudience, findCrewTiers, findFacilities, zoneName } from './directory.js';
import { deliver, runRecipients, type DeliveryOptions, type DeliveryReport, type Envelope, type Recipient } from './outbox.js';
import { syncRun } from './runs.js';
import { drillActivities } from './drills.js';
import { assignRemediation, closeCampaign, markOverdue, openCampaign, openReinspection, recordInspection, recordRemediation, type OpenCampaignInput, type RecordInspectionInput } from './campaigns.js';
import { outboxTransport, SendError } from './transports/types.js';
import type { SyncRunInput } from './types.js';

export interface ActivityDeps {
  db: Db;
  logger: Logger;
  /** The city's time zone, for the clock time in messages. */
  timeZone?: string;
  /** Where crews' task links point (STORMDESK_PUBLIC_URL). */
  publicUrl?: string;
  /** Signs crew task links; links are left out of messages without it. */
  linkSecret?: string;
  /** How long a task link stays valid. */
  linkTtlHours?: number;
  delivery?: Partial<DeliveryOptions>;
}

/**
 * `first`: push to members who prefer it and have a device, SMS to everyone else.
 * `sms-followup`: SMS to those who got only push in `first` (their push went unacknowledged).
 * `all`: every channel asked for.
 */
export type Phase = 'first' | 'sms-followup' | 'all';

export interface MessageCrewsInput {
  runId: string;
  /** What the message is about (a step or task id); with member, channel and attempt it is the message's identity. */
  subject: string;
  attempt: number;
  taskId?: string;
  crewIds: string[];
  /** Everyone in the crews, or only their supervisors. */
  who: 'members' | 'supervisors';
  channels: Channel[];
  phase?: Phase;
  drill: boolean;
  text: { kind: 'task' | 'notice' | 'examination'; code: string; title: Bilingual; place?: Bilingual };
}

export interface AnnounceEndInput {
  runId: string;
  subject: string;
  kind: 'cancelled' | 'stood-down';
  /** The crews concerned; absent means everyone the run has messaged. */
  crewIds?: string[];
  drill: boolean;
  title: Bilingual;
  reason: string;
  code?: string;
}

/** Builds the worker's activities around their dependencies (samples-typescript's factory pattern). */
export function createActivities(deps: ActivityDeps) {
  const timeZone = deps.timeZone ?? 'Asia/Shanghai';
  const delivery: DeliveryOptions = {
    // Push needs a device subscription; without provider credentials SMS goes to the outbox (the dev inbox).
    transports: { sms: outboxTransport },
    perSecond: { sms: 100, push: 100 },
    dailyCapPerNumber: 40,
    concurrency: 16,
    ...deps.delivery,
  };

  async function recipients(people: MemberRow[], channels: Channel[], phase: Phase): Promise<Recipient[]> {
    const valid = people.filter((m) => !m.phoneInvalidSince || channels.includes('push'));
    const subs = valid.length ? await deps.db.select().from(pushSubscriptions).where(inArray(pushSubscriptions.memberId, valid.map((m) => m.id))) : [];
    return valid.map((m) => {
      const devices = subs.filter((s) => s.memberId === m.id).map((s) => ({ id: s.id, json: JSON.stringify({ endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } }) }));
      const pushFirst = m.channelPreference === 'push' && devices.length > 0 && channels.includes('push') && !!delivery.transports.push;
      const smsOk = channels.includes('sms') && !m.phoneInvalidSince;
      const chosen: Channel[] = phase === 'all' ? channels.filter((c) => c !== 'sms' || smsOk)
        : phase === 'first' ? (pushFirst ? ['push'] : [...(smsOk ? ['sms' as const] : []), ...(devices.length && channels.includes('push') ? ['push' as const] : [])])
        // The follow-up texts whoever was to be reached by push first, even if their device has since
        // gone (a 404/410 removed it): a push that failed must not leave them unreached. A member
        // already texted has that text under the same key, so is not texted twice.
        : m.channelPreference === 'push' && channels.includes('push') && smsOk ? ['sms'] : [];
      return { memberId: m.id, phone: m.phone, language: m.language, channels: chosen, pushSubscriptions: devices };
    });
  }

  const link = (messageId: string) => (deps.linkSecret && deps.publicUrl
    ? `${deps.publicUrl}/t/${signLink(deps.linkSecret, messageId, new Date(Date.now() + (deps.linkTtlHours ?? 72) * 3_600_000))}`
    : undefined);

  /**
   * Transient provider trouble retries on Temporal's schedule, but no sooner than Retry-After asks.
   * A send heartbeats while it works, so a worker that dies mid-fan-out is noticed within the
   * heartbeat timeout (not the whole start-to-close) and another worker carries on with what is
   * still pending; and it stops taking messages once Temporal gives its attempt up, so two
   * attempts never send side by side.
   */
  async function send(envelope: Envelope): Promise<DeliveryReport> {
    const context = activityContext();
    const beat = context ? setInterval(() => context.heartbeat(), 2_000) : undefined;
    try {
      context?.heartbeat();
      return await deliver(deps.db, delivery, envelope, context?.cancellationSignal);
    } catch (error) {
      if (error instanceof SendError && !error.permanent) {
        throw ApplicationFailure.create({ message: error.message, type: 'ProviderUnavailable', ...(error.retryAfterMs ? { nextRetryDelay: error.retryAfterMs } : {}) });
      }
      throw error;
    } finally {
      clearInterval(beat);
    }
  }

  return {
    ...drillActivities(deps.db, { send, recipients: (people, channels, phase) => recipients(people, channels, phase), timeZone }),
    async syncRun(input: SyncRunInput): Promise<void> {
      await syncRun(deps.db, input);
    },
    findCrewTiers: (input: { zoneId: string; specialty: string; onlyCrews?: string[] }) => findCrewTiers(deps.db, input),
    findFacilities: (input: { zoneId: string; type: string; limit: number }) => findFacilities(deps.db, input),
    findAudience: (input: { zoneId: string; specialties: string[]; cellFacilityType?: string; onlyCrews?: string[] }) => findAudience(deps.db, input),
    zoneName: (zoneId: string) => zoneName(deps.db, zoneId),

    // City examination campaigns (城市体检): inspections, findings, re-inspections.
    openCampaign: (input: OpenCampaignInput) => openCampaign(deps.db, input),
    recordInspection: (input: RecordInspectionInput) => recordInspection(deps.db, input),
    markOverdue: (input: { inspectionIds: string[] }) => markOverdue(deps.db, input),
    closeCampaign: (input: { campaignId: string }) => closeCampaign(deps.db, input),
    assignRemediation: (input: { findingId: string; workflowId: string; specialty: string; dueAt: string }) => assignRemediation(deps.db, input),
    recordRemediation: (input: { findingId: string; note: string; by: string }) => recordRemediation(deps.db, input),
    openReinspection: (input: { findingId: string; inspectionId: string; crewId: string | null; dueAt: string }) => openReinspection(deps.db, input),

    /** Sends a task or notice to crews' members; idempotent per (run, subject, member, channel, attempt). */
    async messageCrews(input: MessageCrewsInput): Promise<DeliveryReport> {
      const people = (await crewMembers(deps.db, input.crewIds)).filter((m) => input.who === 'members' || m.supervisor);
      const at = new Date();
      const text = (language: Language, messageId: string) => taskText({ ...input.text, drill: input.drill, at, timeZone, link: input.taskId ? link(messageId) : undefined, attempt: input.attempt }, language);
      return send({
        scope: `${input.runId}|${input.subject}`,
        attempt: input.attempt,
        runId: input.runId,
        taskId: input.taskId,
        drill: input.drill,
        recipients: await recipients(people, input.channels, input.phase ?? 'all'),
        text,
        push: (language, messageId) => JSON.stringify({
          title: `${input.drill ? (language === 'zh-CN' ? '【演练】' : '[DRILL] ') : ''}${input.text.title[language]}`,
          body: text(language, messageId),
          tag: input.taskId ?? input.subject,
          data: { taskId: input.taskId, code: input.text.code, url: link(messageId) },
          actions: input.taskId ? [{ action: 'ack', title: language === 'zh-CN' ? '确认' : 'Acknowledge' }, { action: 'open', title: language === 'zh-CN' ? '打开' : 'Open' }] : [],
        }),
      });
    },

    /** Tells the crews concerned (or everyone the run messaged) that a task was cancelled or the run is over. */
    async announceEnd(input: AnnounceEndInput): Promise<DeliveryReport> {
      const people = input.crewIds
        ? await crewMembers(deps.db, input.crewIds)
        : await deps.db.select().from(members).where(and(inArray(members.id, await runRecipients(deps.db, input.runId)), isNull(members.phoneInvalidSince)));
      const at = new Date();
      return send({
        scope: `${input.runId}|${input.subject}`,
        attempt: 1,
        runId: input.runId,
        drill: input.drill,
        recipients: await recipients(people, ['sms', 'push'], 'first'),
        text: (language) => endText(input.kind, { drill: input.drill, subject: input.title, reason: input.reason, at, timeZone, code: input.code }, language),
      });
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;

/** The running activity's context; absent when a send is called outside a worker (tests, scripts). */
function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}
