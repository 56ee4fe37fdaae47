import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { drillRuns, runs, sensorRules, sensors, triggerLog, type DrillRunStatus } from '../db/schema/index.js';
import { related } from '../domain/grid.js';
import { loadGrid } from '../db/grid.js';
import { drillNoticeText, type DrillNoticeKind } from '../domain/drills/text.js';
import type { DeliveryReport, Envelope, Recipient } from './outbox.js';
import { crewMembers } from './directory.js';
import type { MemberRow } from '../db/schema/index.js';
import type { InjectRule as DrillSensorRule } from '../domain/drills/injects.js';

export interface DrillRunRecord {
  runId: string;
  drillId: string;
  playbookId: string;
  workflowId: string;
  runWorkflowId: string;
  status: DrillRunStatus;
  announcedAt: string;
  startsAt: string;
  startedAt?: string;
  endedAt?: string;
  endedReason?: string;
  fed: { id: string; at: string; outcome: string }[];
}

export interface AnnounceDrillInput { runId: string; subject: string; crewIds: string[]; kind: DrillNoticeKind; name: string; startsAt: string; reason?: string }
export interface DrillInjectLog { drillId: string; injectId: string; source: 'drill:warning' | 'drill:sensor'; action: string; hazard: string; level: string; zoneId: string; runId: string; workflowId: string; reason: string; at: string }

interface Sending {
  send(envelope: Envelope): Promise<DeliveryReport>;
  recipients(people: MemberRow[], channels: ('sms' | 'push')[], phase: 'first'): Promise<Recipient[]>;
  timeZone: string;
}

/** The drill workflow's side effects: its record, its notices, and what it needs to know of the city. */
export function drillActivities(db: Db, sending: Sending) {
  return {
    /** Upserts the drill run's row; the workflow sends its whole record each time, so retries are harmless. */
    async recordDrillRun(record: DrillRunRecord): Promise<void> {
      const row = { ...record, startedAt: record.startedAt ?? null, endedAt: record.endedAt ?? null, endedReason: record.endedReason ?? null };
      await db.insert(drillRuns).values(row).onConflictDoUpdate({ target: drillRuns.runId, set: row });
    },

    /** Tells the participants about the drill itself; idempotent per (run, subject, member, channel). */
    async announceDrill(input: AnnounceDrillInput): Promise<DeliveryReport> {
      const people = await crewMembers(db, input.crewIds);
      const at = new Date();
      return sending.send({
        scope: `${input.runId}|${input.subject}`,
        attempt: 1,
        runId: input.runId,
        drill: true,
        recipients: await sending.recipients(people, ['sms', 'push'], 'first'),
        text: (language) => drillNoticeText({ kind: input.kind, name: input.name, startsAt: new Date(input.startsAt), at, timeZone: sending.timeZone, reason: input.reason }, language),
      });
    },

    /** An open real (not drill) run in the drill's zone, above it or below it: it takes priority. */
    async realIncidentNear(input: { zoneId: string }): Promise<{ runId: string; hazard: string; zoneId: string } | null> {
      const near = related(await loadGrid(db), input.zoneId);
      const open = await db.select({ id: runs.id, hazard: runs.hazard, zoneId: runs.zoneId }).from(runs)
        .where(and(eq(runs.status, 'open'), eq(runs.drill, false), inArray(runs.zoneId, [...near])));
      const first = open[0];
      return first ? { runId: first.id, hazard: first.hazard, zoneId: first.zoneId } : null;
    },

    /** The threshold rules on a sensor, which a drill reading goes through as a real one would. */
    async drillSensorRules(sensorId: string): Promise<{ sensorName: string; rules: DrillSensorRule[] }> {
      const sensor = await db.query.sensors.findFirst({ where: eq(sensors.id, sensorId) });
      const rules = await db.select().from(sensorRules).where(eq(sensorRules.sensorId, sensorId));
      // Threshold rules only: a drill reading is one value at one moment, with no history for a rate or a silence.
      const usable = rules.flatMap((r) => (r.kind === 'threshold' && r.hazard && r.level && r.above !== null && r.clearBelow !== null
        ? [{ id: r.id, hazard: r.hazard, level: r.level, above: r.above, clearBelow: r.clearBelow, sustainedSeconds: r.sustainedSeconds }] : []));
      return { sensorName: sensor?.name ?? sensorId, rules: usable };
    },

    /** Injects go to the trigger log like real triggers, with a drill source so nobody mistakes them. */
    async logDrillInject(entry: DrillInjectLog): Promise<void> {
      const identifier = `${entry.drillId}/${entry.runId}/${entry.injectId}`;
      const seen = await db.select({ id: triggerLog.id }).from(triggerLog).where(and(eq(triggerLog.source, entry.source), eq(triggerLog.identifier, identifier))).limit(1);
      if (seen.length) return;
      await db.insert(triggerLog).values({ at: entry.at, source: entry.source, identifier, msgType: 'Drill', action: entry.action, hazard: entry.hazard, level: entry.level, zoneId: entry.zoneId, runId: entry.runId, workflowId: entry.workflowId, reason: entry.reason, by: `drill:${entry.drillId}` });
    },
  };
}
