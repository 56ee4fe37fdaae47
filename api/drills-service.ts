import { randomUUID } from 'node:crypto';
import { ScheduleAlreadyRunning, ScheduleNotFoundError, type ScheduleOptions, type ScheduleOptionsAction } from '@temporalio/client';
import type { z } from '@hono/zod-openapi';
import { desc, eq, inArray } from 'drizzle-orm';
import { crews, drillRuns, drills, facilities, sensors, zones, type DrillRow, type OverlapPolicy } from '../db/schema/index.js';
import { parseDuration } from '../domain/duration.js';
import { scheduleSpec } from '../domain/drills/schedule.js';
import type { Playbook, Step } from '../playbooks/schema.js';
import type { DrillInput } from '../workflows/drill.js';
import { ApiError, type FieldError } from './errors.js';
import type { AppDeps } from './deps.js';
import type { DrillBody, ScheduleBody } from './drill-schemas.js';

type Drill = z.output<typeof DrillBody>;

const overlap: Record<OverlapPolicy, NonNullable<ScheduleOptions['policies']>['overlap']> = { skip: 'SKIP', 'buffer-one': 'BUFFER_ONE', 'cancel-other': 'CANCEL_OTHER', 'allow-all': 'ALLOW_ALL' };

/** Schedule ids carry the workflow-id prefix, so instances (and parallel tests) sharing a namespace never collide. */
export const drillScheduleId = (deps: AppDeps, drillId: string) => `${deps.config.temporal.workflowIdPrefix}drill:${drillId}`;

function unprocessable(errors: FieldError[]): never {
  throw new ApiError('unprocessable', errors.map((e) => `${e.path.replace(/^body\./, '')}: ${e.message}`).join('; '), { errors });
}

function stepIds(steps: readonly Step[]): string[] {
  return steps.flatMap((s) => [s.id, ...('steps' in s ? stepIds(s.steps) : [])]);
}

/** Checks what zod cannot: that the playbook, zone, crews, sensors, steps and timers a drill names exist. */
export async function validateDrill(deps: AppDeps, d: Drill): Promise<Playbook> {
  const errors: FieldError[] = [];
  const playbook = deps.playbooks.playbooks.get(d.playbookId);
  if (!playbook) unprocessable([{ path: 'body.playbookId', message: `no valid playbook "${d.playbookId}"` }]);
  if (!playbook.levels.includes(d.level)) errors.push({ path: 'body.level', message: `playbook ${playbook.id} handles levels ${playbook.levels.join(', ')}` });
  if (!(await deps.db.query.zones.findFirst({ where: eq(zones.id, d.zoneId) }))) errors.push({ path: 'body.zoneId', message: `no zone "${d.zoneId}"` });
  const knownCrews = new Set((await deps.db.select({ id: crews.id }).from(crews).where(inArray(crews.id, d.participants))).map((c) => c.id));
  d.participants.forEach((id, i) => { if (!knownCrews.has(id)) errors.push({ path: `body.participants.${i}`, message: `no crew "${id}"` }); });
  for (const name of Object.keys(d.timers)) if (!(name in playbook.timers)) errors.push({ path: `body.timers.${name}`, message: `playbook ${playbook.id} has no such timer` });
  const steps = new Set(stepIds(playbook.steps));
  const windowMs = parseDuration(d.window);
  const sensorIds = d.injects.flatMap((i) => (i.kind === 'reading' ? [i.sensorId] : []));
  const knownSensors = new Set(sensorIds.length ? (await deps.db.select({ id: sensors.id }).from(sensors).where(inArray(sensors.id, sensorIds))).map((s) => s.id) : []);
  const facilityIds = d.objectives.flatMap((o) => (o.kind === 'done-within' && o.facilityId ? [o.facilityId] : []));
  const knownFacilities = new Set(facilityIds.length ? (await deps.db.select({ id: facilities.id }).from(facilities).where(inArray(facilities.id, facilityIds))).map((f) => f.id) : []);
  const seen = new Set<string>();
  d.injects.forEach((inject, i) => {
    if (seen.has(inject.id)) errors.push({ path: `body.injects.${i}.id`, message: `"${inject.id}" is used twice` });
    seen.add(inject.id);
    if (parseDuration(inject.at) >= windowMs) errors.push({ path: `body.injects.${i}.at`, message: `falls after the drill window (${d.window})` });
    if (inject.kind === 'reading' && !knownSensors.has(inject.sensorId)) errors.push({ path: `body.injects.${i}.sensorId`, message: `no sensor "${inject.sensorId}"` });
  });
  d.objectives.forEach((o, i) => {
    if (o.kind !== 'done-within') return;
    if (o.stepId && !steps.has(o.stepId)) errors.push({ path: `body.objectives.${i}.stepId`, message: `playbook ${playbook.id} has no step "${o.stepId}"` });
    if (o.facilityId && !knownFacilities.has(o.facilityId)) errors.push({ path: `body.objectives.${i}.facilityId`, message: `no facility "${o.facilityId}"` });
  });
  if (d.schedule) {
    const spec = scheduleSpec(d.schedule, parseDuration(d.lead), d.skipDates, deps.config.timeZone, new Date());
    if (!spec.ok) errors.push({ path: `body.${spec.path}`, message: spec.message });
  }
  if (errors.length) unprocessable(errors);
  return playbook;
}

const asDrill = (row: DrillRow): Drill => ({
  name: row.name, playbookId: row.playbookId, zoneId: row.zoneId, level: row.level as Drill['level'], participants: row.participants, objectives: row.objectives, injects: row.injects,
  timers: row.timers, lead: row.lead, window: row.window, onRealIncident: row.onRealIncident, skipDates: row.skipDates, overlap: row.overlap, ...(row.schedule ? { schedule: row.schedule } : {}),
});

/** The drill workflow's input: the whole validated definition, so a firing replays without the database. */
function drillInput(deps: AppDeps, id: string, d: Drill, playbook: Playbook, by: string): DrillInput {
  return {
    drillId: id, name: d.name, playbook, zoneId: d.zoneId, level: d.level, participants: d.participants, injects: d.injects,
    timers: Object.fromEntries(Object.entries(d.timers).map(([k, v]) => [k, parseDuration(v)])),
    leadMs: parseDuration(d.lead), windowMs: parseDuration(d.window), onRealIncident: d.onRealIncident,
    checkEveryMs: deps.config.drillCheckEveryMs, workflowIdPrefix: deps.config.temporal.workflowIdPrefix, startedBy: by,
  };
}

function action(deps: AppDeps, id: string, input: DrillInput): ScheduleOptionsAction {
  return {
    type: 'startWorkflow', workflowType: 'drill', taskQueue: deps.config.temporal.taskQueue, args: [input],
    // The Schedule appends the firing time, so each firing has its own id.
    workflowId: `${deps.config.temporal.workflowIdPrefix}drill-fire:${id}`,
    staticSummary: `DRILL · ${input.name} · ${input.playbook.title.en} · ${input.zoneId} · level ${input.level}`,
  };
}

/** Creates the drill's Schedule, or brings an existing one in line with the drill (spec, action, policy, paused). */
export async function syncSchedule(deps: AppDeps, row: DrillRow, playbook: Playbook): Promise<void> {
  const handle = deps.temporal.schedule.getHandle(drillScheduleId(deps, row.id));
  if (!row.schedule) {
    await handle.delete().catch((error: unknown) => { if (!(error instanceof ScheduleNotFoundError)) throw error; });
    return;
  }
  const spec = scheduleSpec(row.schedule, parseDuration(row.lead), row.skipDates, deps.config.timeZone, new Date());
  if (!spec.ok) unprocessable([{ path: `body.${spec.path}`, message: spec.message }]);
  const act = action(deps, row.id, drillInput(deps, row.id, asDrill(row), playbook, row.createdBy));
  const policies = { overlap: overlap[row.overlap], catchupWindow: '15 minutes' };
  const state = { paused: row.paused, note: row.paused ? 'paused by a coordinator' : `drill ${row.name}`, ...(spec.once ? { remainingActions: 1 } : {}) };
  try {
    await deps.temporal.schedule.create({ scheduleId: drillScheduleId(deps, row.id), spec: spec.spec, action: act, policies, state, memo: { drillId: row.id } });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await handle.update((previous) => ({ ...previous, spec: spec.spec, action: act, policies, state: { ...previous.state, ...state } }));
  }
}

export async function findDrill(deps: AppDeps, id: string): Promise<DrillRow> {
  const row = await deps.db.query.drills.findFirst({ where: eq(drills.id, id) });
  if (!row) throw new ApiError('not-found', `No drill "${id}"`);
  return row;
}

/** Stores a drill and, when it has a schedule, its Temporal Schedule; a Schedule that cannot be made leaves no drill behind. */
export async function createDrill(deps: AppDeps, d: Drill, by: string): Promise<DrillRow> {
  const playbook = await validateDrill(deps, d);
  const now = new Date().toISOString();
  const id = `drill_${randomUUID().slice(0, 12)}`;
  const { schedule, ...rest } = d;
  await deps.db.insert(drills).values({ id, ...rest, schedule: schedule ?? null, paused: false, createdBy: by, createdAt: now, updatedAt: now });
  const row = await findDrill(deps, id);
  try {
    await syncSchedule(deps, row, playbook);
  } catch (error) {
    await deps.db.delete(drills).where(eq(drills.id, id));
    throw error;
  }
  return row;
}

/** Edits a drill; its Schedule (if any) takes the new definition for the next firing. */
export async function updateDrill(deps: AppDeps, id: string, patch: Partial<Drill>): Promise<DrillRow> {
  const row = await findDrill(deps, id);
  const merged = { ...asDrill(row), ...patch };
  // A one-off drill that has already fired keeps its history; editing it must not trip over its past date.
  const fired = row.schedule?.kind === 'once' && Date.parse(row.schedule.at) - parseDuration(merged.lead) <= Date.now();
  const { schedule: _schedule, ...rest } = merged;
  const playbook = await validateDrill(deps, fired ? rest : merged);
  await deps.db.update(drills).set({ ...rest, updatedAt: new Date().toISOString() }).where(eq(drills.id, id));
  const updated = await findDrill(deps, id);
  if (!fired) await syncSchedule(deps, updated, playbook);
  return updated;
}

export async function scheduleDrill(deps: AppDeps, id: string, body: z.output<typeof ScheduleBody>): Promise<DrillRow> {
  const row = await findDrill(deps, id);
  const merged: Drill = { ...asDrill(row), schedule: body.schedule, ...(body.skipDates ? { skipDates: body.skipDates } : {}), ...(body.overlap ? { overlap: body.overlap } : {}), ...(body.lead ? { lead: body.lead } : {}) };
  const playbook = await validateDrill(deps, merged);
  const updated: DrillRow = { ...row, schedule: body.schedule, skipDates: merged.skipDates, overlap: merged.overlap, lead: merged.lead, updatedAt: new Date().toISOString() };
  // Temporal first: if it refuses, the drill keeps its old schedule rather than claiming one it has not got.
  await syncSchedule(deps, updated, playbook);
  await deps.db.update(drills).set({ schedule: updated.schedule, skipDates: updated.skipDates, overlap: updated.overlap, lead: updated.lead, updatedAt: updated.updatedAt }).where(eq(drills.id, id));
  return updated;
}

export async function setPaused(deps: AppDeps, id: string, paused: boolean, by: string): Promise<DrillRow> {
  const row = await findDrill(deps, id);
  if (!row.schedule) throw new ApiError('conflict', `Drill ${id} has no schedule to ${paused ? 'pause' : 'resume'}`);
  const handle = deps.temporal.schedule.getHandle(drillScheduleId(deps, id));
  try {
    await (paused ? handle.pause(`paused by ${by}`) : handle.unpause(`resumed by ${by}`));
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
    // Temporal lost it (a reset dev server): make it again, in the state asked for.
    const playbook = deps.playbooks.playbooks.get(row.playbookId);
    if (!playbook) throw new ApiError('conflict', `Drill ${id} names playbook ${row.playbookId}, which is not loaded`);
    await syncSchedule(deps, { ...row, paused }, playbook);
  }
  await deps.db.update(drills).set({ paused, updatedAt: new Date().toISOString() }).where(eq(drills.id, id));
  return { ...row, paused };
}

/** Runs the drill now: through its Schedule when it has one (so the overlap policy holds), else as a one-off workflow. */
export async function triggerDrill(deps: AppDeps, id: string, by: string): Promise<{ drillId: string; via: 'schedule' | 'workflow' }> {
  const row = await findDrill(deps, id);
  const playbook = deps.playbooks.playbooks.get(row.playbookId);
  if (!playbook) throw new ApiError('conflict', `Drill ${id} names playbook ${row.playbookId}, which is not loaded`);
  if (row.schedule) {
    try {
      await deps.temporal.schedule.getHandle(drillScheduleId(deps, id)).trigger();
      return { drillId: id, via: 'schedule' };
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    }
  }
  const input = drillInput(deps, id, asDrill(row), playbook, by);
  await deps.temporal.workflow.start('drill', { ...action(deps, id, input), workflowId: `${deps.config.temporal.workflowIdPrefix}drill-fire:${id}-now-${Date.now()}`, args: [input], workflowIdConflictPolicy: 'FAIL' });
  return { drillId: id, via: 'workflow' };
}

/** What Temporal says of the drill's Schedule: paused or not, the next firings, the recent ones. */
export async function describeSchedule(deps: AppDeps, row: DrillRow) {
  if (!row.schedule) return null;
  try {
    const d = await deps.temporal.schedule.getHandle(drillScheduleId(deps, row.id)).describe();
    return {
      scheduleId: d.scheduleId, paused: d.state.paused, note: d.state.note ?? null, overlap: d.policies.overlap, timezone: d.spec.timezone ?? null,
      nextActionTimes: d.info.nextActionTimes.map((t) => t.toISOString()), recentActions: d.info.recentActions.map((a) => ({ scheduledAt: a.scheduledAt.toISOString(), takenAt: a.takenAt.toISOString() })),
    };
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return { scheduleId: drillScheduleId(deps, row.id), missing: true };
    throw error;
  }
}

export async function listDrillRuns(deps: AppDeps, drillId: string) {
  return deps.db.select().from(drillRuns).where(eq(drillRuns.drillId, drillId)).orderBy(desc(drillRuns.announcedAt));
}

/** Creates the Schedules of drills that have none yet (the seeded demo drill on first start, or after a dev-server reset). */
export async function ensureDrillSchedules(deps: AppDeps): Promise<number> {
  let created = 0;
  for (const row of await deps.db.select().from(drills)) {
    const playbook = deps.playbooks.playbooks.get(row.playbookId);
    if (!row.schedule || !playbook) continue;
    try {
      await deps.temporal.schedule.getHandle(drillScheduleId(deps, row.id)).describe();
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
      await syncSchedule(deps, row, playbook).then(() => { created += 1; }, (e: unknown) => deps.logger.warn({ err: e, drillId: row.id }, 'could not create the drill schedule'));
    }
  }
  return created;
}
