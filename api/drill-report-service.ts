import { and, asc, eq, inArray, lte } from 'drizzle-orm';
import { crews, drillRuns, drills, runs, type DrillRow, type DrillRunRow } from '../db/schema/index.js';
import { measureDrill, type DrillMetrics, type TaskTiming } from '../domain/drills/metrics.js';
import type { DrillReport, TrendPoint } from '../domain/drills/report.js';
import type { RunView } from '../workflows/messages.js';
import { ApiError } from './errors.js';
import type { AppDeps } from './deps.js';
import { getRun } from './runs-service.js';
import { findDrill } from './drills-service.js';

const TREND_LENGTH = 12;

function measure(drill: DrillRow, dr: DrillRunRow, view: RunView | null, fallbackStart: string | null): DrillMetrics {
  const tasks: TaskTiming[] = view?.tasks ?? [];
  return measureDrill({ startedAt: dr.startedAt ?? fallbackStart ?? dr.startsAt, tasks, objectives: drill.objectives, participants: drill.participants });
}

/**
 * The after-action report of one drill run: timings per crew and task, objectives met or missed,
 * non-responders, the injects fed, and the trend against earlier drill runs of the same playbook
 * (measured from their last snapshots, each against its own drill's objectives).
 */
export async function drillReport(deps: AppDeps, drillId: string, runId: string): Promise<DrillReport> {
  const drill = await findDrill(deps, drillId);
  const dr = await deps.db.query.drillRuns.findFirst({ where: and(eq(drillRuns.runId, runId), eq(drillRuns.drillId, drillId)) });
  if (!dr) throw new ApiError('not-found', `Drill ${drillId} has no run "${runId}"`);
  const started = await deps.db.query.runs.findFirst({ where: eq(runs.id, runId) });
  const run = started ? await getRun(deps, runId) : null;
  const view = (run?.state ?? null) as RunView | null;
  const metrics = measure(drill, dr, view, run?.startedAt ?? null);

  const earlier = await deps.db.select().from(drillRuns)
    .where(and(eq(drillRuns.playbookId, dr.playbookId), lte(drillRuns.announcedAt, dr.announcedAt)))
    .orderBy(asc(drillRuns.announcedAt));
  // Firings that never started (still in their lead, or pre-empted) have nothing to compare.
  const recent = earlier.filter((r) => r.startedAt || r.runId === runId).slice(-TREND_LENGTH);
  const drillsById = new Map((await deps.db.select().from(drills).where(inArray(drills.id, [...new Set(recent.map((r) => r.drillId))]))).map((d) => [d.id, d]));
  const snapshots = new Map((await deps.db.select({ id: runs.id, snapshot: runs.snapshot, startedAt: runs.startedAt }).from(runs).where(inArray(runs.id, recent.map((r) => r.runId)))).map((r) => [r.id, r]));
  const trend: TrendPoint[] = recent.map((r) => {
    const d = drillsById.get(r.drillId) ?? drill;
    const m = r.runId === runId ? metrics : measure(d, r, (snapshots.get(r.runId)?.snapshot ?? null) as RunView | null, snapshots.get(r.runId)?.startedAt ?? null);
    return {
      runId: r.runId, drillId: r.drillId, drillName: d.name, startedAt: r.startedAt, current: r.runId === runId, medianAckSeconds: m.summary.medianAckSeconds,
      objectivesMet: m.summary.objectivesMet, objectivesTotal: m.summary.objectivesTotal, nonResponders: m.nonResponders.length, tasks: m.summary.tasks,
    };
  });

  const crewIds = metrics.crews.map((c) => c.crewId);
  const crewNames = Object.fromEntries((crewIds.length ? await deps.db.select({ id: crews.id, name: crews.name }).from(crews).where(inArray(crews.id, crewIds)) : []).map((c) => [c.id, c.name]));
  return {
    drill: { id: drill.id, name: drill.name, playbookId: drill.playbookId, zoneId: drill.zoneId, level: drill.level, onRealIncident: drill.onRealIncident },
    run: { runId, status: dr.status, startsAt: dr.startsAt, startedAt: dr.startedAt, endedAt: dr.endedAt, endedReason: dr.endedReason, finalLevel: view?.level ?? null, fed: dr.fed },
    crewNames,
    metrics,
    trend,
  };
}
