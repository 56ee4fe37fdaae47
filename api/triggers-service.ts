import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { parse } from 'yaml';
import { alerts, runs, triggerLog, zones } from '../db/schema/index.js';
import { incidentWorkflowId } from '../domain/ids.js';
import { matchZones, type MatchZone } from '../domain/warnings/areas.js';
import { mapInfo, pickInfo, triggerMappingSchema, type TriggerMapping } from '../domain/warnings/mapping.js';
import type { Warning } from '../domain/warnings/types.js';
import { triggerSignal, triggerUpdate, type RunInput, type TriggerResult } from '../workflows/messages.js';
import type { Playbook } from '../playbooks/schema.js';
import type { Level } from '../domain/levels.js';
import type { runPlaybook } from '../workflows/run-playbook.js';
import type { AppDeps } from './deps.js';
import { runSearchAttributes } from './search-attributes.js';

export type TriggerAction = 'started' | 'awaiting-confirmation' | 'escalated' | 'downgraded' | 'noted' | 'stand-down-requested' | 'duplicate' | 'no-matching-zone' | 'unmapped' | 'expired';
export interface TriggerOutcome { identifier: string; msgType: string; action: TriggerAction; hazard?: string; level?: string; zoneIds?: string[]; runId?: string; workflowId?: string; reason: string }

/** Reads and validates the trigger mapping (config/triggers.yaml or STORMDESK_TRIGGERS_FILE). */
export function loadTriggerMapping(path: string): TriggerMapping {
  const parsed = triggerMappingSchema.safeParse(parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/**
 * Turns warnings into decisions: a repeat changes nothing; a Cancel asks the runs it reached to
 * stand down; anything else starts, escalates or notes exactly one run per (hazard, zone), by
 * update-with-start on the incident's workflow id. Every decision goes to the trigger log.
 */
export async function handleWarnings(deps: AppDeps, mapping: TriggerMapping, warnings: Warning[], options: { zoneId?: string | undefined; by: string; now?: Date; resumed?: boolean }): Promise<TriggerOutcome[]> {
  const now = options.now ?? new Date();
  const outcomes: TriggerOutcome[] = [];
  for (const warning of warnings) outcomes.push(...await decide(deps, mapping, warning, options.zoneId, options.by, now, options.resumed ?? false));
  return outcomes;
}

/**
 * A message counts as received only once its decision is complete: a copy of one whose first
 * request failed (Temporal down) or died half-way is decided again, which is safe because runs
 * are reached by update id. The decision and its trigger-log rows are committed together; of two
 * copies deciding at once, the one that commits first reports it, the other a duplicate. A
 * `resumed` request (the retry of one that died after committing) gets the committed decision.
 */
async function decide(deps: AppDeps, mapping: TriggerMapping, warning: Warning, zoneId: string | undefined, by: string, now: Date, resumed: boolean): Promise<TriggerOutcome[]> {
  const base = { identifier: warning.identifier, msgType: warning.msgType };
  const logRow = (r: TriggerOutcome) => ({ at: now.toISOString(), source: warning.source, identifier: warning.identifier, msgType: warning.msgType, action: r.action, hazard: r.hazard ?? null, level: r.level ?? null, zoneId: r.zoneIds?.[0] ?? null, runId: r.runId ?? null, workflowId: r.workflowId ?? null, reason: r.reason, by });
  const thisAlert = and(eq(alerts.sender, warning.sender), eq(alerts.identifier, warning.identifier));
  const duplicate = async (): Promise<TriggerOutcome[]> => {
    if (resumed) {
      // The rows committed with the decision: same identifier, written at the decision's own time.
      const [decision] = await deps.db.select({ decidedAt: alerts.decidedAt }).from(alerts).where(thisAlert);
      const committed = decision?.decidedAt ? await deps.db.select().from(triggerLog).where(and(eq(triggerLog.source, warning.source), eq(triggerLog.identifier, warning.identifier), eq(triggerLog.at, decision.decidedAt), ne(triggerLog.action, 'duplicate'))).orderBy(triggerLog.id) : [];
      if (committed.length) {
        return committed.map((r) => ({ ...base, action: r.action as TriggerAction, reason: r.reason, ...(r.hazard ? { hazard: r.hazard } : {}), ...(r.level ? { level: r.level } : {}), ...(r.zoneId ? { zoneIds: [r.zoneId] } : {}), ...(r.runId ? { runId: r.runId } : {}), ...(r.workflowId ? { workflowId: r.workflowId } : {}) }));
      }
    }
    const outcome: TriggerOutcome = { ...base, action: 'duplicate', reason: `message ${warning.identifier} from ${warning.sender} was already received` };
    await deps.db.insert(triggerLog).values(logRow(outcome));
    return [outcome];
  };
  await deps.db.insert(alerts).values({ sender: warning.sender, identifier: warning.identifier, source: warning.source, msgType: warning.msgType, receivedAt: now.toISOString() }).onConflictDoNothing();
  const [claimed] = await deps.db.select({ decidedAt: alerts.decidedAt }).from(alerts).where(thisAlert);
  if (claimed?.decidedAt) return duplicate();
  const outcomes = await decideOnce(deps, mapping, warning, zoneId, by, now, base);
  const workflowIds = outcomes.map((o) => o.workflowId ?? '').filter(Boolean);
  const mark = deps.db.update(alerts).set({ decidedAt: now.toISOString(), ...(workflowIds.length ? { workflowIds } : {}) }).where(and(thisAlert, isNull(alerts.decidedAt))).returning({ sender: alerts.sender });
  const [first] = outcomes.length ? await deps.db.batch([mark, logIfDecided(deps.db, outcomes.map(logRow))]) : [await mark];
  return first.length ? outcomes : duplicate();
}

/**
 * Trigger-log rows that are written only if the statement just before them in the same batch
 * changed a row (the one that marked the decision): the decision and its log commit together, in
 * one batch rather than an interactive transaction that would hold the write lock across awaits.
 */
export function logIfDecided(db: AppDeps['db'], rows: (typeof triggerLog.$inferInsert)[]) {
  const values = sql.join(rows.map((r) => sql`(${r.at}, ${r.source}, ${r.identifier}, ${r.msgType}, ${r.action}, ${r.hazard ?? null}, ${r.level ?? null}, ${r.zoneId ?? null}, ${r.runId ?? null}, ${r.workflowId ?? null}, ${r.reason}, ${r.by})`), sql`, `);
  return db.run(sql`INSERT INTO "trigger_log" ("at", "source", "identifier", "msg_type", "action", "hazard", "level", "zone_id", "run_id", "workflow_id", "reason", "by") SELECT * FROM (VALUES ${values}) WHERE changes() = 1`);
}

async function decideOnce(deps: AppDeps, mapping: TriggerMapping, warning: Warning, zoneId: string | undefined, by: string, now: Date, base: { identifier: string; msgType: Warning['msgType'] }): Promise<TriggerOutcome[]> {

  if (warning.msgType === 'Cancel') {
    const earlier = warning.references.length ? await deps.db.select().from(alerts).where(inArray(alerts.identifier, warning.references)) : [];
    const workflowIds = [...new Set(earlier.flatMap((a) => a.workflowIds))];
    if (!workflowIds.length) return [{ ...base, action: 'noted', reason: 'a Cancel for messages that started no run' }];
    const outcomes: TriggerOutcome[] = [];
    for (const workflowId of workflowIds) {
      const open = await deps.db.query.runs.findFirst({ where: and(eq(runs.workflowId, workflowId), eq(runs.status, 'open')) });
      if (!open) continue;
      await deps.temporal.workflow.getHandle(workflowId).signal(triggerSignal, { type: 'condition', name: 'warning-cancelled', value: true, by });
      outcomes.push({ ...base, action: 'stand-down-requested', hazard: open.hazard, zoneIds: [open.zoneId], runId: open.id, workflowId, reason: 'the warning was cancelled; the run moves to recovery and waits for the duty officer to stand it down' });
    }
    return outcomes.length ? outcomes : [{ ...base, action: 'noted', reason: 'a Cancel for runs already closed' }];
  }

  if (warning.status !== 'Actual') return [{ ...base, action: 'unmapped', reason: `status ${warning.status}: only Actual messages start runs` }];
  const info = pickInfo(warning, mapping);
  if (!info) return [{ ...base, action: 'unmapped', reason: 'the message has no <info>' }];
  if (info.expires && Date.parse(info.expires) < now.getTime()) return [{ ...base, action: 'expired', reason: `expired at ${info.expires}` }];
  const mapped = mapInfo(info, mapping);
  if ('reason' in mapped) return [{ ...base, action: 'unmapped', reason: mapped.reason }];
  const playbook = deps.playbooks.playbooks.get(mapped.playbookId);
  if (!playbook) return [{ ...base, action: 'unmapped', hazard: mapped.hazard, level: mapped.level, reason: `playbook ${mapped.playbookId} is not loaded` }];
  const allZones = (await deps.db.select().from(zones)) as MatchZone[];
  const zoneIds = zoneId ? [zoneId] : matchZones(info.areas, allZones, mapping.zoneTier);
  if (!zoneIds.length) return [{ ...base, action: 'no-matching-zone', hazard: mapped.hazard, level: mapped.level, reason: `no ${mapping.zoneTier} of the city lies in the warning's areas` }];

  const outcomes: TriggerOutcome[] = [];
  for (const zone of zoneIds) {
    const reason = `${info.headline ?? info.event} (${warning.source} ${warning.msgType})`;
    const reached = await reachRun(deps, { playbook, hazard: mapped.hazard, zoneId: zone, level: mapped.level, key: `${warning.sender}|${warning.identifier}|${mapped.hazard}|${zone}`, source: warning.source, identifier: warning.identifier, reason, by, now });
    outcomes.push({ ...base, ...reached, hazard: mapped.hazard, zoneIds: [zone] });
  }
  return outcomes;
}

export interface Reach { playbook: Playbook; hazard: string; zoneId: string; level: Level; key: string; source: string; identifier: string; reason: string; by: string; now: Date; attempt?: number }

/**
 * Starts, escalates or notes the one run for (hazard, zone): an update-with-start on the
 * incident's workflow id, deduplicated by `key`. Warnings and sensor rules both come through here.
 */
export async function reachRun(deps: AppDeps, r: Reach): Promise<{ action: TriggerResult['action']; level: Level; runId: string; workflowId: string; reason: string }> {
  const workflowId = deps.config.temporal.workflowIdPrefix + incidentWorkflowId(r.hazard, r.zoneId);
  const confirm = r.playbook.start.confirmLevels.includes(r.level);
  const confirmTimeout = r.playbook.start.confirmTimeout ? r.playbook.timers[r.playbook.start.confirmTimeout] : undefined;
  const input: RunInput = {
    runId: `run_${randomUUID()}`, playbook: r.playbook, zoneId: r.zoneId, level: r.level, reason: r.reason, drill: false, startedBy: r.by, triggerKey: r.key,
    ...(confirm ? { confirmation: { timeoutMs: confirmTimeout ?? 600_000 } } : {}),
  };
  const start = new WithStartWorkflowOperation<typeof runPlaybook>('runPlaybook', {
    workflowId, taskQueue: deps.config.temporal.taskQueue, args: [input], workflowIdConflictPolicy: 'USE_EXISTING', workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    ...(deps.searchAttributes ? { typedSearchAttributes: runSearchAttributes(r.hazard, r.zoneId, r.level) } : {}),
  });
  let result: TriggerResult;
  try {
    result = await deps.temporal.workflow.executeUpdateWithStart(triggerUpdate, {
      args: [{ key: r.key, source: r.source, identifier: r.identifier, hazard: r.hazard, level: r.level, reason: r.reason, by: r.by }],
      updateId: r.key,
      startWorkflowOperation: start,
    });
  } catch (error) {
    // The open run is closing (stood down, writing its last records): let it finish, then this
    // trigger opens the next run for the hazard and zone instead of being lost.
    if (error instanceof WorkflowUpdateFailedError && (r.attempt ?? 0) < 3) {
      await Promise.race([deps.temporal.workflow.getHandle(workflowId).result().catch(() => undefined), new Promise((done) => setTimeout(done, 10_000))]);
      return reachRun(deps, { ...r, attempt: (r.attempt ?? 0) + 1 });
    }
    throw error;
  }
  if (result.action === 'started' || result.action === 'awaiting-confirmation') {
    const startedAt = r.now.toISOString();
    await deps.db.insert(runs).values({ id: result.runId, workflowId, temporalRunId: null, playbookId: r.playbook.id, playbookVersion: r.playbook.version, hazard: r.hazard, zoneId: r.zoneId, level: r.level, status: 'open', drill: false, reason: r.reason, startedBy: r.by, startedAt, updatedAt: startedAt }).onConflictDoNothing();
  }
  const reason = result.action === 'noted' ? `a ${r.hazard} run is already open for ${r.zoneId} at level ${result.level}; noted on it` : r.reason;
  return { action: result.action, level: result.level, runId: result.runId, workflowId, reason };
}
