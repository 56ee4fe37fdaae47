import { randomUUID } from 'node:crypto';
import { and, count, desc, eq, type SQL } from 'drizzle-orm';
import { WorkflowExecutionAlreadyStartedError, type WorkflowHandle } from '@temporalio/client';
import type { z } from '@hono/zod-openapi';
import { drillWorkflowId, incidentWorkflowId } from '../domain/ids.js';
import { parseDuration } from '../domain/duration.js';
import { crews, messages, runEvents, runs, zones } from '../db/schema/index.js';
import { buildReport, type IncidentReport } from '../domain/report.js';
import { actionUpdate, stateQuery, type RunAction, type RunInput, type RunView } from '../workflows/messages.js';
import type { runPlaybook } from '../workflows/run-playbook.js';
import { runSearchAttributes } from './search-attributes.js';
import { ApiError } from './errors.js';
import type { AppDeps } from './deps.js';
import { updateWorkflow } from './workflow-update.js';
import type { LaunchRun, RunListQuery } from './schemas.js';

/** Starts a run's workflow and records its row; refuses a second open run for one hazard and zone. */
export async function launchRun(deps: AppDeps, body: z.output<typeof LaunchRun>, actor: string, idempotencyKey?: string): Promise<{ runId: string; workflowId: string }> {
  const playbook = deps.playbooks.playbooks.get(body.playbookId);
  if (!playbook) throw new ApiError('unprocessable', `playbookId: no valid playbook "${body.playbookId}"`, { errors: [{ path: 'body.playbookId', message: 'no such playbook' }] });
  if (!playbook.levels.includes(body.level)) {
    throw new ApiError('unprocessable', `level: playbook ${playbook.id} handles levels ${playbook.levels.join(', ')}`, { errors: [{ path: 'body.level', message: 'not handled by this playbook' }] });
  }
  const zone = await deps.db.query.zones.findFirst({ where: eq(zones.id, body.zoneId) });
  if (!zone) throw new ApiError('unprocessable', `zoneId: no zone "${body.zoneId}"`, { errors: [{ path: 'body.zoneId', message: 'no such zone' }] });
  const timers: Record<string, number> = {};
  for (const [name, text] of Object.entries(body.timers ?? {})) {
    if (!(name in playbook.timers)) throw new ApiError('unprocessable', `timers.${name}: playbook ${playbook.id} has no such timer`, { errors: [{ path: `body.timers.${name}`, message: 'no such timer' }] });
    timers[name] = parseDuration(text);
  }

  // With an Idempotency-Key the run's id comes from it, so a retry after a crash finds the run it started.
  const runId = idempotencyKey ? `run_${idempotencyKey.slice(0, 32)}` : `run_${randomUUID()}`;
  const workflowId = deps.config.temporal.workflowIdPrefix + (body.drill ? drillWorkflowId(playbook.hazard, zone.id, runId) : incidentWorkflowId(playbook.hazard, zone.id));
  const startedAt = new Date().toISOString();
  const input: RunInput = { runId, playbook, zoneId: zone.id, level: body.level, reason: body.reason, drill: body.drill, startedBy: actor, timers };
  let temporalRunId: string;
  try {
    const handle = await deps.temporal.workflow.start<typeof runPlaybook>('runPlaybook', {
      taskQueue: deps.config.temporal.taskQueue,
      workflowId,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      staticSummary: `${playbook.title.en} · ${zone.name} · level ${body.level}${body.drill ? ' · DRILL' : ''}`,
      ...(deps.searchAttributes ? { typedSearchAttributes: runSearchAttributes(playbook.hazard, zone.id, body.level) } : {}),
    });
    temporalRunId = handle.firstExecutionRunId;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      if (idempotencyKey && (await runningRunId(deps, workflowId)) === runId) return { runId, workflowId };
      const open = await deps.db.query.runs.findFirst({ where: and(eq(runs.workflowId, workflowId), eq(runs.status, 'open')) });
      throw new ApiError('conflict', `A ${playbook.hazard} run is already open for zone ${zone.id}; steer it instead of starting another`, { runId: open?.id, workflowId });
    }
    throw error;
  }
  // The workflow's first sync writes this row too; whichever lands first wins, the other is a no-op.
  await deps.db.insert(runs).values({
    id: runId, workflowId, temporalRunId, playbookId: playbook.id, playbookVersion: playbook.version, hazard: playbook.hazard, zoneId: zone.id,
    level: body.level, status: 'open', drill: body.drill, reason: body.reason, startedBy: actor, startedAt, updatedAt: startedAt,
  }).onConflictDoNothing();
  return { runId, workflowId };
}

/** The run id of the workflow now running under an id, to tell our own earlier start from someone else's. */
async function runningRunId(deps: AppDeps, workflowId: string): Promise<string | undefined> {
  return deps.temporal.workflow.getHandle(workflowId).query(stateQuery).then((view) => view.runId, () => undefined);
}

export async function listRuns(deps: AppDeps, query: z.output<typeof RunListQuery>) {
  const filters: SQL[] = [];
  if (query.status) filters.push(eq(runs.status, query.status));
  if (query.hazard) filters.push(eq(runs.hazard, query.hazard));
  if (query.zoneId) filters.push(eq(runs.zoneId, query.zoneId));
  if (query.drill) filters.push(eq(runs.drill, query.drill === 'true'));
  const rows = await deps.db
    .select({
      id: runs.id, workflowId: runs.workflowId, playbookId: runs.playbookId, playbookVersion: runs.playbookVersion, hazard: runs.hazard,
      zoneId: runs.zoneId, level: runs.level, status: runs.status, drill: runs.drill, reason: runs.reason, startedBy: runs.startedBy,
      startedAt: runs.startedAt, closedAt: runs.closedAt, closedReason: runs.closedReason, updatedAt: runs.updatedAt,
    })
    .from(runs)
    .where(filters.length ? and(...filters) : undefined)
    .orderBy(desc(runs.startedAt))
    .limit(query.limit);
  return rows;
}

async function findRun(deps: AppDeps, id: string) {
  const row = await deps.db.query.runs.findFirst({ where: eq(runs.id, id) });
  if (!row) throw new ApiError('not-found', `No run "${id}"`);
  return row;
}

/** The execution chain this run started (a workflow id is reused by later incidents in the zone). */
function handleFor(deps: AppDeps, row: { workflowId: string; temporalRunId: string | null }): WorkflowHandle<typeof runPlaybook> {
  return deps.temporal.workflow.getHandle<typeof runPlaybook>(row.workflowId, undefined, row.temporalRunId ? { firstExecutionRunId: row.temporalRunId } : {});
}

/** A run's state: live from the workflow when it can answer, else its last snapshot. */
export async function getRun(deps: AppDeps, id: string) {
  const row = await findRun(deps, id);
  let state = row.snapshot as RunView | null;
  let live = false;
  if (row.status === 'open') {
    try {
      const queried = await handleFor(deps, row).query(stateQuery);
      if (queried.runId === row.id) {
        state = queried;
        live = true;
      }
    } catch (error) {
      deps.logger.warn({ err: error, runId: id }, 'state query failed; answering from the snapshot');
    }
  }
  const timeline = await deps.db.select().from(runEvents).where(eq(runEvents.runId, id)).orderBy(runEvents.id);
  const { snapshot: _snapshot, ...summary } = row;
  return { ...summary, live, state, timeline: timeline.map(({ runId: _r, id: _i, ...e }) => e) };
}

/** Sends an operator action as a Temporal update; a refusal by the workflow's validator becomes a 409. */
export async function actOnRun(deps: AppDeps, id: string, action: RunAction) {
  const row = await findRun(deps, id);
  if (action.type === 'reassign' && !(await deps.db.query.crews.findFirst({ where: eq(crews.id, action.crewId) }))) {
    throw new ApiError('unprocessable', `crewId: no crew "${action.crewId}"`, { errors: [{ path: 'body.crewId', message: 'no such crew' }] });
  }
  if (row.status === 'closed') throw new ApiError('action-refused', `Run ${id} is closed`);
  return updateWorkflow(deps, () => handleFor(deps, row).executeUpdate(actionUpdate, { args: [action] }), {
    ended: `Run ${id} is no longer running`,
    unavailable: `Run ${id} cannot take actions right now; try again shortly`,
    context: { runId: id },
  });
}

/** The incident report: timeline, level history, who was notified and dispatched, task timings, notes. */
export async function getReport(deps: AppDeps, id: string): Promise<IncidentReport> {
  const run = await getRun(deps, id);
  if (!run.state) throw new ApiError('conflict', `Run ${id} has not reported its state yet; try again in a moment`);
  const notified = await deps.db
    .select({ memberId: messages.memberId, channel: messages.channel, status: messages.status, count: count() })
    .from(messages)
    .where(eq(messages.runId, id))
    .groupBy(messages.memberId, messages.channel, messages.status)
    .orderBy(messages.memberId);
  const title = deps.playbooks.playbooks.get(run.playbookId)?.title ?? { 'zh-CN': run.playbookId, en: run.playbookId };
  return buildReport(run.state, title, run.timeline, notified);
}

export async function isDrill(deps: AppDeps, id: string): Promise<boolean> {
  return (await findRun(deps, id)).drill;
}
