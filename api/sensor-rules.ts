import { and, eq, gte, inArray, isNotNull, isNull, max, or, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { groupCommitFor } from '../db/group-commit.js';
import { facilityEvents, readings, runs, sensorRuleStates, sensorRules, sensors, triggerLog, type FacilityStatus } from '../db/schema/index.js';
import { ancestry, related, type GridZone } from '../domain/grid.js';
import { loadGrid } from '../db/grid.js';
import { incidentWorkflowId } from '../domain/ids.js';
import { levels, type Level } from '../domain/levels.js';
import { groupChange, initialThresholdState, isSilent, riseOver, step, type Change, type Sample, type ThresholdState } from '../domain/thresholds.js';
import { triggerSignal } from '../workflows/messages.js';
import type { AppDeps } from './deps.js';
import { logIfDecided, reachRun, type TriggerAction } from './triggers-service.js';

type Rule = typeof sensorRules.$inferSelect;
type Sensor = typeof sensors.$inferSelect;
export interface Triggered { ruleId: string; sensorId: string; action: string; workflowId: string | null }
interface Reading { sensorId: string; time: string; value: number }

const stateKey = (ruleId: string, sensorId: string) => `${ruleId}|${sensorId}`;

/** Whether a rule watches a sensor: named directly, or a zone rule over its metric in that zone or a zone above it. */
export function watches(rule: Rule, sensor: Sensor, grid: readonly GridZone[]): boolean {
  if (rule.sensorId) return rule.sensorId === sensor.id;
  return rule.zoneId !== null && rule.metric === sensor.metric && ancestry(grid, sensor.zoneId).some((z) => z.id === rule.zoneId);
}

/** The zone a rule's run is for: the trigger tier's zone above the rule's zone (or the sensor's). */
function runZone(deps: AppDeps, grid: readonly GridZone[], zoneId: string): string {
  const tier = deps.trigger?.mapping.zoneTier ?? 'district';
  return ancestry(grid, zoneId).find((z) => z.tier === tier)?.id ?? zoneId;
}

/** What evaluating a batch decided, and the rows that record it, written with the readings in one transaction. */
export interface Evaluation {
  triggered: Triggered[];
  states: (typeof sensorRuleStates.$inferInsert)[];
  log: (typeof triggerLog.$inferInsert)[];
}

/**
 * Evaluates threshold and rate-of-change rules on a batch of readings: each (rule, sensor)
 * keeps its own state, and the rule as a whole trips with its first sensor and clears with its
 * last. A trip reaches the one run for (hazard, zone); a clear reports sensors-clear to it.
 * Nothing is written here: the caller stores the readings, the new states and the log together
 * after the runs were reached, so a failure leaves nothing half-done and a retry redoes it all.
 */
export async function evaluateRules(deps: AppDeps, good: Reading[], known: Map<string, Sensor>, now: Date, by: string): Promise<Evaluation> {
  const evaluation: Evaluation = { triggered: [], states: [], log: [] };
  const sensorIds = [...new Set(good.map((g) => g.sensorId))];
  if (!sensorIds.length) return evaluation;
  const metrics = [...new Set(sensorIds.map((id) => known.get(id)?.metric).filter((m) => m !== undefined))];
  const candidates = await deps.db.select().from(sensorRules).where(and(
    inArray(sensorRules.kind, ['threshold', 'rate-of-change']),
    or(inArray(sensorRules.sensorId, sensorIds), and(isNotNull(sensorRules.zoneId), inArray(sensorRules.metric, metrics))),
  ));
  if (!candidates.length) return evaluation;
  // The grid is needed only to place zone rules and the runs that trips reach.
  let grid: GridZone[] | undefined;
  const gridOnce = async () => (grid ??= await loadGrid(deps.db));
  if (candidates.some((r) => r.zoneId)) await gridOnce();
  const pairs = candidates.flatMap((rule) => sensorIds.flatMap((id) => {
    const sensor = known.get(id);
    return sensor && watches(rule, sensor, grid ?? []) ? [{ rule, sensor }] : [];
  }));
  if (!pairs.length) return evaluation;
  const ruleIds = [...new Set(pairs.map((p) => p.rule.id))];
  const states = new Map((await deps.db.select().from(sensorRuleStates).where(inArray(sensorRuleStates.ruleId, ruleIds))).map((s) => [stateKey(s.ruleId, s.sensorId), s]));
  const history = await rateHistory(deps, pairs, good);
  const bySensor = new Map<string, Reading[]>();
  for (const g of good) bySensor.set(g.sensorId, [...(bySensor.get(g.sensorId) ?? []), g]);
  for (const list of bySensor.values()) list.sort((a, b) => (a.time < b.time ? -1 : 1));

  for (const { rule, sensor } of pairs) {
    const key = stateKey(rule.id, sensor.id);
    const before = states.get(key);
    let state: ThresholdState = before ? { tripped: before.tripped, overSince: before.overSince, lastTime: before.lastTime } : initialThresholdState;
    const threshold = { above: rule.above ?? Infinity, clearBelow: rule.clearBelow ?? -Infinity, sustainedSeconds: rule.sustainedSeconds };
    for (const reading of bySensor.get(sensor.id) ?? []) {
      const value = rule.kind === 'rate-of-change' ? riseOver(history.get(sensor.id) ?? [], reading, rule.windowSeconds ?? 600) : reading.value;
      const out = step(threshold, state, { time: reading.time, value });
      state = out.state;
      states.set(key, { ruleId: rule.id, sensorId: sensor.id, ...state });
      const othersTripped = [...states.values()].some((s) => s.ruleId === rule.id && s.sensorId !== sensor.id && s.tripped);
      const change = groupChange(out.change, othersTripped);
      if (!change) continue;
      const { triggered, log } = await act(deps, { rule, sensor, grid: await gridOnce(), change, value, reading, now, by });
      evaluation.triggered.push(triggered);
      evaluation.log.push(log);
    }
    evaluation.states.push({ ruleId: rule.id, sensorId: sensor.id, ...state });
  }
  return evaluation;
}

/** Readings inside the longest rate window before the batch, and the batch's own, for the sensors that rate rules watch. */
async function rateHistory(deps: AppDeps, pairs: { rule: Rule; sensor: Sensor }[], good: Reading[]): Promise<Map<string, Sample[]>> {
  const rate = pairs.filter((p) => p.rule.kind === 'rate-of-change');
  const history = new Map<string, Sample[]>();
  if (!rate.length) return history;
  const window = Math.max(...rate.map((p) => p.rule.windowSeconds ?? 600));
  const earliest = good.reduce((min, g) => (g.time < min ? g.time : min), good[0]?.time ?? '');
  const from = new Date(Date.parse(earliest) - window * 1000).toISOString();
  const ids = [...new Set(rate.map((p) => p.sensor.id))];
  const rows = await deps.db.select({ sensorId: readings.sensorId, time: readings.time, value: readings.value }).from(readings).where(and(inArray(readings.sensorId, ids), gte(readings.time, from)));
  for (const r of [...rows, ...good.filter((g) => ids.includes(g.sensorId))]) history.set(r.sensorId, [...(history.get(r.sensorId) ?? []), r]);
  return history;
}

async function act(deps: AppDeps, a: { rule: Rule; sensor: Sensor; grid: readonly GridZone[]; change: Exclude<Change, undefined>; value: number; reading: Reading; now: Date; by: string }): Promise<{ triggered: Triggered; log: typeof triggerLog.$inferInsert }> {
  const { rule, sensor } = a;
  const zoneId = runZone(deps, a.grid, rule.zoneId ?? sensor.zoneId);
  const hazard = rule.hazard ?? '';
  const measured = rule.kind === 'rate-of-change' ? `rose ${round(a.value)} ${sensor.unit} in ${rule.windowSeconds ?? 600} s` : `${a.reading.value} ${sensor.unit}`;
  let action = 'noted';
  let workflowId: string | null = null;
  let runId: string | null = null;
  let reason: string;
  const playbook = rule.playbookId ? deps.playbooks.playbooks.get(rule.playbookId) : undefined;
  if (a.change === 'trip') {
    reason = `${sensor.name}: ${measured}, at or above ${rule.above}`;
    if (playbook && levels.includes(rule.level as Level)) {
      const reached = await reachRun(deps, { playbook, hazard, zoneId, level: rule.level as Level, key: `sensor|${rule.id}|${a.reading.time}`, source: 'sensor', identifier: sensor.id, reason, by: a.by, now: a.now });
      ({ action, workflowId, runId } = reached);
    } else {
      reason += `; playbook ${rule.playbookId} is not loaded`;
    }
  } else {
    workflowId = deps.config.temporal.workflowIdPrefix + incidentWorkflowId(hazard, zoneId);
    reason = `${rule.zoneId ? `every ${sensor.metric} sensor in ${rule.zoneId}` : sensor.name}: back under ${rule.clearBelow}`;
    const signalled = await deps.temporal.workflow.getHandle(workflowId).signal(triggerSignal, { type: 'condition', name: 'sensors-clear', value: true, by: a.by }).then(() => true, () => false);
    action = signalled ? 'stand-down-requested' : 'noted';
  }
  return {
    triggered: { ruleId: rule.id, sensorId: sensor.id, action, workflowId },
    log: { at: a.now.toISOString(), source: 'sensor', identifier: `${sensor.id}@${a.reading.time}`, msgType: a.change, action, hazard: hazard || null, level: rule.level, zoneId, runId, workflowId, reason: `${reason} (rule ${rule.id})`, by: a.by },
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** Each sensor's latest reading time (served by the readings primary key). */
export async function lastReadingTimes(db: AppDeps['db']): Promise<Map<string, string | null>> {
  const rows = await db.select({ sensorId: readings.sensorId, time: max(readings.time) }).from(readings).groupBy(readings.sensorId);
  return new Map(rows.map((r) => [r.sensorId, r.time]));
}

/** Sensors and controllers may run a little fast; further ahead than this is a broken clock. */
export const tooFarAhead = (time: string, now: Date) => Date.parse(time) > now.getTime() + 5 * 60_000;

/**
 * Open runs of level II or I covering a zone (the zone, one above it or one below it): silence
 * there is dangerous, so it is put before the duty officer on those runs.
 */
export async function severeRunsOver(deps: AppDeps, zoneIds: readonly string[]): Promise<(typeof runs.$inferSelect)[]> {
  const grid = await loadGrid(deps.db);
  const open = await deps.db.select().from(runs).where(and(eq(runs.status, 'open'), eq(runs.drill, false), inArray(runs.level, ['II', 'I'])));
  return open.filter((run) => zoneIds.some((z) => related(grid, z).has(run.zoneId)));
}

/** Puts a note on each severe run over the zones; the board shows it, and the run's timeline keeps it. */
export async function escalateToDutyOfficer(deps: AppDeps, zoneIds: readonly string[], text: string, by: string): Promise<string[]> {
  const reached: string[] = [];
  for (const run of await severeRunsOver(deps, zoneIds)) {
    const ok = await deps.temporal.workflow.getHandle(run.workflowId).signal(triggerSignal, { type: 'note', text, by }).then(() => true, () => false);
    if (ok) reached.push(run.workflowId);
  }
  return reached;
}

export interface SilenceOutcome { ruleId: string; sensorId: string; action: 'silent' | 'escalated' | 'back'; workflowIds: string[] }

/**
 * Sweeps the silent-sensor rules: a sensor quiet for longer than its rule allows is flagged
 * (once per silence) and, while a run of level II or I covers its zone, escalated to the duty
 * officer; a sensor heard again is unflagged.
 */
export async function checkSilence(deps: AppDeps, now: Date, by = 'system:sensor-watch'): Promise<SilenceOutcome[]> {
  const rules = await deps.db.select().from(sensorRules).where(eq(sensorRules.kind, 'silent'));
  if (!rules.length) return [];
  const grid = await loadGrid(deps.db);
  const allSensors = await deps.db.select().from(sensors);
  const last = await lastReadingTimes(deps.db);
  const states = new Map((await deps.db.select().from(sensorRuleStates).where(inArray(sensorRuleStates.ruleId, rules.map((r) => r.id)))).map((s) => [stateKey(s.ruleId, s.sensorId), s]));
  const outcomes: SilenceOutcome[] = [];
  for (const rule of rules) {
    for (const sensor of allSensors.filter((s) => watches(rule, s, grid))) {
      const lastTime = last.get(sensor.id) ?? null;
      const silent = isSilent(lastTime, rule.createdAt || now.toISOString(), rule.silentSeconds ?? 900, now);
      const was = states.get(stateKey(rule.id, sensor.id))?.tripped ?? false;
      if (silent === was) continue;
      await deps.db.insert(sensorRuleStates).values({ ruleId: rule.id, sensorId: sensor.id, tripped: silent, overSince: silent ? now.toISOString() : null, lastTime })
        .onConflictDoUpdate({ target: [sensorRuleStates.ruleId, sensorRuleStates.sensorId], set: { tripped: silent, overSince: silent ? now.toISOString() : null, lastTime } });
      let outcome: SilenceOutcome;
      if (silent) {
        const text = `${sensor.name} (${sensor.id}) has sent nothing since ${lastTime ?? 'it was installed'}; check it before trusting its zone's readings`;
        const workflowIds = await escalateToDutyOfficer(deps, [sensor.zoneId], text, by);
        outcome = { ruleId: rule.id, sensorId: sensor.id, action: workflowIds.length ? 'escalated' : 'silent', workflowIds };
        await deps.db.insert(triggerLog).values({ at: now.toISOString(), source: 'sensor-watch', identifier: sensor.id, msgType: 'silent', action: outcome.action, zoneId: sensor.zoneId, workflowId: workflowIds[0] ?? null, reason: text, by });
      } else {
        outcome = { ruleId: rule.id, sensorId: sensor.id, action: 'back', workflowIds: [] };
        await deps.db.insert(triggerLog).values({ at: now.toISOString(), source: 'sensor-watch', identifier: sensor.id, msgType: 'back', action: 'noted', zoneId: sensor.zoneId, reason: `${sensor.name} is sending again (last reading ${lastTime})`, by });
      }
      outcomes.push(outcome);
    }
  }
  return outcomes;
}

/** Deletes readings older than the retention period, in slices so writers are not held up. */
export async function pruneReadings(deps: AppDeps, now: Date, retentionDays: number): Promise<number> {
  const before = new Date(now.getTime() - retentionDays * 86_400_000).toISOString();
  let total = 0;
  for (;;) {
    const result = await deps.sqlite.execute({ sql: 'DELETE FROM readings WHERE rowid IN (SELECT rowid FROM readings WHERE time < ? LIMIT 5000)', args: [before] });
    total += result.rowsAffected;
    if (result.rowsAffected < 5000) return total;
  }
}

export interface FacilityEventInput { facilityId: string; time: string; status: FacilityStatus; detail?: string | undefined }

/**
 * A facility's own status event: stored once per (facility, time); a fault reaches the
 * facility-failure run for its zone, the way a warning or a sensor would. The event counts as
 * received only once it was acted on, so a resend after a failed or interrupted request acts on
 * it again (runs are reached by update id) instead of calling it a duplicate.
 */
export async function handleFacilityEvent(deps: AppDeps, facility: { id: string; name: string; zoneId: string }, event: FacilityEventInput, now: Date, by: string, resumed = false) {
  const thisEvent = and(eq(facilityEvents.facilityId, facility.id), eq(facilityEvents.time, event.time));
  await deps.db.insert(facilityEvents).values({ ...event, detail: event.detail ?? null, receivedAt: now.toISOString() }).onConflictDoNothing();
  const [stored] = await deps.db.select({ decidedAt: facilityEvents.decidedAt }).from(facilityEvents).where(thisEvent);
  const grid = await loadGrid(deps.db);
  const zoneId = runZone(deps, grid, facility.zoneId);
  const base = { facilityId: facility.id, status: event.status, zoneId };
  const identifier = `${facility.id}@${event.time}`;
  const duplicate = { ...base, action: 'duplicate' as const, reason: `the ${event.status} event of ${event.time} was already received` };
  if (stored?.decidedAt) {
    // The retry of a request that died after committing gets the committed decision.
    const [committed] = resumed ? await deps.db.select().from(triggerLog).where(and(eq(triggerLog.source, 'facility'), eq(triggerLog.identifier, identifier), eq(triggerLog.at, stored.decidedAt))).orderBy(triggerLog.id).limit(1) : [];
    if (!committed) return duplicate;
    return { ...base, action: committed.action as TriggerAction, reason: committed.reason, ...(committed.hazard ? { hazard: committed.hazard, level: committed.level as Level } : {}), ...(committed.runId ? { runId: committed.runId, workflowId: committed.workflowId ?? '' } : {}) };
  }
  // The decision and its trigger-log row commit together; of two copies deciding at once, the one
  // that commits first reports the decision.
  const record = async (action: string, reason: string, reached?: { runId: string; workflowId: string }, level?: Level) => {
    const [first] = await deps.db.batch([
      deps.db.update(facilityEvents).set({ decidedAt: now.toISOString() }).where(and(thisEvent, isNull(facilityEvents.decidedAt))).returning({ time: facilityEvents.time }),
      logIfDecided(deps.db, [{ at: now.toISOString(), source: 'facility', identifier, msgType: event.status, action, hazard: level ? (deps.trigger?.mapping.facilityFault.hazard ?? null) : null, level: level ?? null, zoneId, runId: reached?.runId ?? null, workflowId: reached?.workflowId ?? null, reason, by }]),
    ]);
    return first.length > 0;
  };
  const [latest] = await deps.db.select({ time: max(facilityEvents.time) }).from(facilityEvents).where(eq(facilityEvents.facilityId, facility.id));
  if (latest?.time !== event.time) {
    const reason = `older than the facility's latest event (${latest?.time}); stored, not acted on`;
    return await record('noted', reason) ? { ...base, action: 'noted' as const, reason } : duplicate;
  }
  const fault = deps.trigger?.mapping.facilityFault;
  const playbook = fault ? deps.playbooks.playbooks.get(fault.playbookId) : undefined;
  if (event.status !== 'fault' || !fault || !playbook) {
    const reason = event.status === 'fault' ? 'no facility-failure playbook is loaded' : `${facility.name}: ${event.status}${event.detail ? ` (${event.detail})` : ''}`;
    return await record('noted', reason) ? { ...base, action: 'noted' as const, reason } : duplicate;
  }
  const reason = `${facility.name}: fault${event.detail ? `: ${event.detail}` : ''}`;
  const reached = await reachRun(deps, { playbook, hazard: fault.hazard, zoneId, level: fault.level, key: `facility|${facility.id}|${event.time}`, source: 'facility', identifier: facility.id, reason, by, now });
  if (!await record(reached.action, reached.reason, reached, fault.level)) return duplicate;
  return { ...base, action: reached.action, hazard: fault.hazard, level: reached.level, runId: reached.runId, workflowId: reached.workflowId, reason: reached.reason };
}

/**
 * The readings of one request, the rule states they moved and the decisions they caused, in one
 * transaction: one commit (one fsync) per request however large the batch, and never half of it.
 */
export async function storeBatch(deps: AppDeps, rows: (typeof readings.$inferInsert)[], evaluation: Evaluation): Promise<void> {
  const statements: BatchItem<'sqlite'>[] = [];
  for (let i = 0; i < rows.length; i += 500) statements.push(deps.db.insert(readings).values(rows.slice(i, i + 500)).onConflictDoNothing());
  if (evaluation.states.length) {
    statements.push(deps.db.insert(sensorRuleStates).values(evaluation.states).onConflictDoUpdate({
      target: [sensorRuleStates.ruleId, sensorRuleStates.sensorId],
      set: { tripped: sql`excluded.tripped`, overSince: sql`excluded.over_since`, lastTime: sql`excluded.last_time` },
    }));
  }
  if (evaluation.log.length) statements.push(deps.db.insert(triggerLog).values(evaluation.log));
  const [first, ...rest] = statements;
  // Committed with whatever other requests write at the same moment: one fsync for all of them.
  if (first) await groupCommitFor(deps.db)([first, ...rest]);
}
