import { inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { Logger } from '../config/logger.js';
import { members, type Channel } from '../db/schema/index.js';
import { endText, taskText, type Bilingual } from '../domain/message-text.js';
import { crewMembers, findAudience, findCrewTiers, findFacilities, zoneName } from './directory.js';
import { deliver, runRecipients, type DeliveryReport } from './outbox.js';
import { syncRun } from './runs.js';
import { outboxTransport, type Transport } from './transports.js';
import type { SyncRunInput } from './types.js';

export interface ActivityDeps {
  db: Db;
  logger: Logger;
  /** The city's time zone, for the clock time in messages. */
  timeZone?: string;
  /** Transports per channel; the outbox alone when none are configured. */
  transports?: Partial<Record<Channel, Transport>>;
}

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
  drill: boolean;
  text: { kind: 'task' | 'notice'; code: string; title: Bilingual; place?: Bilingual };
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
  // Push needs a subscription per device, which crew dispatch adds; until then SMS goes to the outbox.
  const transports = deps.transports ?? { sms: outboxTransport };
  return {
    async syncRun(input: SyncRunInput): Promise<void> {
      await syncRun(deps.db, input);
    },
    findCrewTiers: (input: { zoneId: string; specialty: string }) => findCrewTiers(deps.db, input),
    findFacilities: (input: { zoneId: string; type: string; limit: number }) => findFacilities(deps.db, input),
    findAudience: (input: { zoneId: string; specialties: string[]; cellFacilityType?: string }) => findAudience(deps.db, input),
    zoneName: (zoneId: string) => zoneName(deps.db, zoneId),

    /** Sends a task or notice to crews' members; idempotent per (run, subject, member, channel, attempt). */
    async messageCrews(input: MessageCrewsInput): Promise<DeliveryReport> {
      const people = (await crewMembers(deps.db, input.crewIds)).filter((m) => input.who === 'members' || m.supervisor);
      const at = new Date();
      return deliver(deps.db, transports, {
        scope: `${input.runId}|${input.subject}`,
        attempt: input.attempt,
        runId: input.runId,
        taskId: input.taskId,
        drill: input.drill,
        channels: input.channels,
        recipients: people.map((m) => ({ memberId: m.id, phone: m.phone, language: m.language })),
        text: (language) => taskText({ ...input.text, drill: input.drill, at, timeZone }, language),
      });
    },

    /** Tells the crews concerned (or everyone the run messaged) that a task was cancelled or the run is over. */
    async announceEnd(input: AnnounceEndInput): Promise<DeliveryReport> {
      const people = input.crewIds
        ? await crewMembers(deps.db, input.crewIds)
        : await deps.db.select().from(members).where(inArray(members.id, await runRecipients(deps.db, input.runId)));
      const at = new Date();
      return deliver(deps.db, transports, {
        scope: `${input.runId}|${input.subject}`,
        attempt: 1,
        runId: input.runId,
        drill: input.drill,
        channels: ['sms', 'push'],
        recipients: people.map((m) => ({ memberId: m.id, phone: m.phone, language: m.language })),
        text: (language) => endText(input.kind, { drill: input.drill, subject: input.title, reason: input.reason, at, timeZone, code: input.code }, language),
      });
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
