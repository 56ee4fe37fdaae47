import { randomUUID } from 'node:crypto';
import { and, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { ScheduleAlreadyRunning, ScheduleNotFoundError, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { z } from '@hono/zod-openapi';
import { campaigns, crews, facilities, findings, inspections, zones } from '../db/schema/index.js';
import { loadGrid } from '../db/grid.js';
import { loadChecklists, type ChecklistTemplates } from '../config/checklists.js';
import { parseDuration } from '../domain/duration.js';
import { computeIndicators, type IndicatorRow, type YearReport } from '../domain/indicators.js';
import { campaignName, campaignStateQuery, campaignWorkflowId, findingWorkflowId, type CampaignInput } from '../workflows/campaign-messages.js';
import type { remediateFinding } from '../workflows/finding.js';
import type { FacilityType } from '../db/schema/zones.js';
import type { runCampaign } from '../workflows/campaign.js';
import { ApiError } from './errors.js';
import type { AppDeps } from './deps.js';
import type { CampaignSchedule, StartCampaign } from './campaign-schemas.js';

let defaultChecklists: ChecklistTemplates | undefined;
/** The checklist templates: injected (tests) or config/checklists.yaml, validated once. */
export const checklistsOf = (deps: AppDeps): ChecklistTemplates => deps.checklists ?? (defaultChecklists ??= loadChecklists());

type Scope = Pick<z.output<typeof StartCampaign>, 'facilityTypes' | 'zoneIds' | 'crewIds' | 'timers' | 'name'>;

/** Checks what a campaign names exists; unknown zones, crews or types without a checklist are 422s naming the field. */
async function campaignInput(deps: AppDeps, body: Scope, actor: string): Promise<Omit<CampaignInput, 'dueAt' | 'dueInMs'>> {
  const checklists = checklistsOf(deps);
  const fail = (path: string, message: string): never => { throw new ApiError('unprocessable', `${path}: ${message}`, { errors: [{ path: `body.${path}`, message }] }); };
  body.facilityTypes.forEach((t, i) => { if (!checklists[t]) fail(`facilityTypes.${i}`, `no checklist template for "${t}"`); });
  const knownZones = new Set((await deps.db.select({ id: zones.id }).from(zones).where(inArray(zones.id, body.zoneIds))).map((z) => z.id));
  body.zoneIds.forEach((z, i) => { if (!knownZones.has(z)) fail(`zoneIds.${i}`, `no zone "${z}"`); });
  const knownCrews = new Set((await deps.db.select({ id: crews.id }).from(crews).where(inArray(crews.id, body.crewIds))).map((c) => c.id));
  body.crewIds.forEach((c, i) => { if (!knownCrews.has(c)) fail(`crewIds.${i}`, `no crew "${c}"`); });
  const used = Object.fromEntries(body.facilityTypes.map((t) => [t, checklists[t]]));
  return {
    name: body.name, facilityTypes: body.facilityTypes, zoneIds: body.zoneIds, crewIds: body.crewIds, checklists: used, startedBy: actor,
    remindBeforeMs: parseDuration(body.timers.remindBefore), escalateEveryMs: parseDuration(body.timers.escalateEvery),
    remediation: { dueMs: parseDuration(body.timers.remediationDue), reinspectionDueMs: parseDuration(body.timers.reinspectionDue) },
    workflowIdPrefix: deps.config.temporal.workflowIdPrefix,
  };
}

/** Starts a campaign's workflow; the campaign row is written by the API and by the workflow's first activity, whichever lands first. */
export async function startCampaign(deps: AppDeps, body: z.output<typeof StartCampaign>, actor: string): Promise<{ campaignId: string; workflowId: string; dueAt: string }> {
  const input = await campaignInput(deps, body, actor);
  const startedAt = new Date();
  const dueAt = body.dueAt ? new Date(body.dueAt).toISOString() : new Date(startedAt.getTime() + parseDuration(body.dueIn ?? '0s')).toISOString();
  if (dueAt <= startedAt.toISOString()) throw new ApiError('unprocessable', 'dueAt: must be in the future', { errors: [{ path: 'body.dueAt', message: 'must be in the future' }] });
  const campaignId = `cmp_${randomUUID()}`;
  const workflowId = campaignWorkflowId(deps.config.temporal.workflowIdPrefix, campaignId);
  await deps.temporal.workflow.start<typeof runCampaign>('runCampaign', {
    taskQueue: deps.config.temporal.taskQueue, workflowId, args: [{ ...input, campaignId, dueAt }], workflowIdConflictPolicy: 'FAIL',
    staticSummary: `City check: ${body.name}`,
  });
  await deps.db.insert(campaigns).values({
    id: campaignId, workflowId, name: campaignName(body.name, startedAt), facilityTypes: body.facilityTypes, zoneIds: body.zoneIds, crewIds: body.crewIds, status: 'open',
    startedBy: actor, startedAt: startedAt.toISOString(), dueAt,
  }).onConflictDoNothing();
  return { campaignId, workflowId, dueAt };
}

/**
 * Gives every open campaign whose workflow is not running one (the seeded demo, or after Temporal
 * lost it); the workflow adopts the rows already written, and the open findings with them.
 * Campaigns adopted this way get the default reminder and escalation timers.
 */
export async function adoptCampaigns(deps: Pick<AppDeps, 'db' | 'temporal' | 'config' | 'logger'> & { checklists?: ChecklistTemplates }): Promise<string[]> {
  const open = await deps.db.select().from(campaigns).where(eq(campaigns.status, 'open'));
  const checklists = deps.checklists ?? (defaultChecklists ??= loadChecklists());
  const adopted: string[] = [];
  for (const c of open) {
    try {
      if ((await deps.temporal.workflow.getHandle(c.workflowId).describe()).status.name === 'RUNNING') continue;
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) {
        deps.logger.error({ err: error, campaignId: c.id }, 'could not check the campaign workflow');
        continue;
      }
    }
    const workflowId = campaignWorkflowId(deps.config.temporal.workflowIdPrefix, c.id);
    await deps.db.update(campaigns).set({ workflowId }).where(eq(campaigns.id, c.id));
    await deps.temporal.workflow.start<typeof runCampaign>('runCampaign', {
      taskQueue: deps.config.temporal.taskQueue, workflowId, workflowIdConflictPolicy: 'USE_EXISTING', staticSummary: `City check: ${c.name}`,
      args: [{
        campaignId: c.id, name: c.name, facilityTypes: c.facilityTypes, zoneIds: c.zoneIds, crewIds: c.crewIds,
        checklists: Object.fromEntries(c.facilityTypes.map((t) => [t, checklists[t]])), dueAt: c.dueAt, startedBy: c.startedBy,
        remindBeforeMs: 3 * 86_400_000, escalateEveryMs: 86_400_000, remediation: { dueMs: 7 * 86_400_000, reinspectionDueMs: 3 * 86_400_000 },
        workflowIdPrefix: deps.config.temporal.workflowIdPrefix,
      }],
    });
    adopted.push(c.id);
  }
  // A closed campaign's open findings are tracked by their own workflows; restart any that were lost.
  const orphans = await deps.db.select({ finding: findings, crewId: inspections.crewId }).from(findings)
    .innerJoin(campaigns, eq(campaigns.id, findings.campaignId)).innerJoin(inspections, eq(inspections.id, findings.inspectionId))
    .where(and(eq(campaigns.status, 'closed'), inArray(findings.status, ['open', 'remediated'])));
  for (const { finding, crewId } of orphans) {
    const workflowId = findingWorkflowId(deps.config.temporal.workflowIdPrefix, finding.id);
    try {
      await deps.temporal.workflow.start<typeof remediateFinding>('remediateFinding', {
        taskQueue: deps.config.temporal.taskQueue, workflowId, workflowIdConflictPolicy: 'FAIL',
        args: [{ findingId: finding.id, specialty: checklists[finding.facilityType as FacilityType]?.remediation ?? 'patrol', inspectionCrewId: crewId, timers: { dueMs: 7 * 86_400_000, reinspectionDueMs: 3 * 86_400_000 } }],
      });
      adopted.push(finding.id);
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) deps.logger.error({ err: error, findingId: finding.id }, 'could not adopt finding');
    }
  }
  return adopted;
}

const scheduleId = (deps: AppDeps, id: string) => `${deps.config.temporal.workflowIdPrefix}campaign-schedule:${id}`;

/** A recurring campaign: a Temporal Schedule that starts one every year on the day, in the city's time zone. */
export async function createSchedule(deps: AppDeps, body: z.output<typeof CampaignSchedule>, actor: string): Promise<{ scheduleId: string }> {
  const input = await campaignInput(deps, body, actor);
  const id = scheduleId(deps, body.id);
  try {
    await deps.temporal.schedule.create({
      scheduleId: id,
      spec: { calendars: [{ month: monthNames[body.at.month - 1], dayOfMonth: body.at.day, hour: body.at.hour }], timezone: deps.config.timeZone },
      action: {
        type: 'startWorkflow', workflowType: 'runCampaign', taskQueue: deps.config.temporal.taskQueue,
        workflowId: `${deps.config.temporal.workflowIdPrefix}campaign-scheduled:${body.id}`,
        args: [{ ...input, dueInMs: parseDuration(body.dueIn), scheduleId: body.id }],
      },
      // A missed April start (server down) still runs within a week; a late one never doubles up.
      policies: { overlap: 'SKIP', catchupWindow: '7 days' },
      memo: { name: body.name },
    });
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning) throw new ApiError('conflict', `A campaign schedule "${body.id}" exists`);
    throw error;
  }
  return { scheduleId: id };
}

const monthNames = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'] as const;

export async function describeSchedule(deps: AppDeps, id: string) {
  try {
    const d = await deps.temporal.schedule.getHandle(scheduleId(deps, id)).describe();
    return { id, scheduleId: d.scheduleId, name: d.memo?.name ?? null, timezone: d.spec.timezone ?? null, nextActionTimes: d.info.nextActionTimes.map((t) => t.toISOString()), recentActions: d.info.recentActions.length, paused: d.state.paused };
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) throw new ApiError('not-found', `No campaign schedule "${id}"`);
    throw error;
  }
}

export async function deleteSchedule(deps: AppDeps, id: string): Promise<void> {
  try {
    await deps.temporal.schedule.getHandle(scheduleId(deps, id)).delete();
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) throw new ApiError('not-found', `No campaign schedule "${id}"`);
    throw error;
  }
}

export async function listCampaigns(deps: AppDeps, status?: 'open' | 'closed') {
  const rows = await deps.db.select().from(campaigns).where(status ? eq(campaigns.status, status) : undefined).orderBy(desc(campaigns.startedAt));
  const counts = rows.length ? await deps.db.select({ campaignId: inspections.campaignId, total: sql<number>`count(*)`, done: sql<number>`sum(case when ${inspections.status} = 'done' then 1 else 0 end)` })
    .from(inspections).where(and(inArray(inspections.campaignId, rows.map((r) => r.id)), eq(inspections.kind, 'inspection'))).groupBy(inspections.campaignId) : [];
  const open = rows.length ? await deps.db.select({ campaignId: findings.campaignId, n: sql<number>`count(*)` }).from(findings)
    .where(and(inArray(findings.campaignId, rows.map((r) => r.id)), inArray(findings.status, ['open', 'remediated']))).groupBy(findings.campaignId) : [];
  return rows.map((r) => {
    const c = counts.find((x) => x.campaignId === r.id);
    return { ...r, inspections: Number(c?.total ?? 0), done: Number(c?.done ?? 0), openFindings: Number(open.find((x) => x.campaignId === r.id)?.n ?? 0) };
  });
}

export async function getCampaign(deps: AppDeps, id: string) {
  const row = await deps.db.query.campaigns.findFirst({ where: eq(campaigns.id, id) });
  if (!row) throw new ApiError('not-found', `No campaign "${id}"`);
  let live = null;
  if (row.status === 'open') {
    try {
      live = await deps.temporal.workflow.getHandle(row.workflowId).query(campaignStateQuery);
    } catch (error) {
      deps.logger.warn({ err: error, campaignId: id }, 'campaign state query failed; answering from the database');
    }
  }
  const list = await deps.db.select({ inspection: inspections, facilityName: facilities.name }).from(inspections)
    .innerJoin(facilities, eq(facilities.id, inspections.facilityId)).where(eq(inspections.campaignId, id)).orderBy(inspections.createdAt, inspections.facilityId);
  const found = await deps.db.select({ finding: findings, facilityName: facilities.name }).from(findings)
    .innerJoin(facilities, eq(facilities.id, findings.facilityId)).where(eq(findings.campaignId, id)).orderBy(findings.openedAt);
  return {
    ...row, events: live?.events ?? [],
    inspections: list.map((r) => ({ ...r.inspection, facilityName: r.facilityName })),
    findings: found.map((r) => ({ ...r.finding, facilityName: r.facilityName })),
  };
}

/** Indicators for one campaign, a year's campaigns, or everything. */
export async function indicators(deps: AppDeps, query: { year?: number | undefined; campaignId?: string | undefined; tier?: 'district' | 'street' | 'grid' | undefined }): Promise<IndicatorRow[]> {
  const filters: SQL[] = [];
  if (query.campaignId) filters.push(eq(campaigns.id, query.campaignId));
  if (query.year) filters.push(gte(campaigns.startedAt, `${query.year}-01-01`), lt(campaigns.startedAt, `${query.year + 1}-01-01`));
  const scope = await deps.db.select({ id: campaigns.id }).from(campaigns).where(filters.length ? and(...filters) : undefined);
  if (query.campaignId && !scope.length) throw new ApiError('not-found', `No campaign "${query.campaignId}"`);
  const ids = scope.map((c) => c.id);
  const insp = ids.length ? await deps.db.select().from(inspections).where(and(inArray(inspections.campaignId, ids), eq(inspections.kind, 'inspection'))) : [];
  const found = ids.length ? await deps.db.select().from(findings).where(inArray(findings.campaignId, ids)) : [];
  // A campaign's share is of the facilities it covers; a year's is of every facility in the city.
  const all = await deps.db.select({ id: facilities.id, type: facilities.type, zoneId: facilities.zoneId }).from(facilities);
  const inScope = query.campaignId ? all.filter((f) => insp.some((i) => i.facilityId === f.id)) : all;
  const grid = await loadGrid(deps.db);
  return computeIndicators({ zones: grid, facilities: inScope, inspections: insp, findings: found }, new Date(), query.tier);
}

export async function yearReport(deps: AppDeps, year: number): Promise<YearReport> {
  const rows = (await listCampaigns(deps)).filter((c) => c.startedAt.startsWith(String(year)));
  const critical = await deps.db.select({ facility: facilities.name, title: findings.title, openedAt: findings.openedAt }).from(findings)
    .innerJoin(facilities, eq(facilities.id, findings.facilityId))
    .where(and(eq(findings.severity, 'critical'), inArray(findings.status, ['open', 'remediated']))).orderBy(findings.openedAt);
  const city = await deps.db.query.zones.findFirst({ where: eq(zones.tier, 'city') });
  return {
    year, city: city?.name ?? '', generatedAt: new Date().toISOString(),
    campaigns: rows.map((c) => ({ id: c.id, name: c.name, status: c.status, startedAt: c.startedAt, dueAt: c.dueAt, closedAt: c.closedAt, inspections: c.inspections, done: c.done })),
    indicators: await indicators(deps, { year }), openCritical: critical,
  };
}
