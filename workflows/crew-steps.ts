import { CancellationScope, condition, isCancellation, patched, uuid4 } from '@temporalio/workflow';
import { nextCandidate, uncoveredCells, type CrewTier } from '../domain/dispatch.js';
import type { DispatchStep, NotifyStep } from '../playbooks/schema.js';
import type { MessageCrewsInput } from '../activities/index.js';
import { lookup, messaging, store } from './activities.js';
import type { StepView, TaskView } from './messages.js';
import type { RunState } from './run-state.js';
import { timed, timedStep } from './timers.js';

const now = () => new Date(Date.now()).toISOString();
const closed: TaskView['status'][] = ['verified', 'waived', 'cancelled'];

export interface CrewContext {
  run: RunState;
  /** True while the run hands over to continue-as-new: interrupted work resumes, nothing is cancelled. */
  suspending(): boolean;
}

function newTask(run: RunState, step: { id: string }, kind: TaskView['kind'], title: TaskView['title'], zoneId: string, extra: Partial<TaskView> = {}): TaskView {
  const task: TaskView = {
    id: `task_${uuid4()}`,
    // Short enough to type in an SMS reply; the run id disambiguates the rare clash.
    code: uuid4().replace(/-/g, '').slice(0, 4).toUpperCase(),
    kind, stepId: step.id, title, zoneId, status: 'unassigned', attempts: [], createdAt: now(), ...extra,
  };
  run.view.tasks.push(task);
  return task;
}

/** Sends and records; a delivery that keeps failing is surfaced on the run, not thrown. */
async function page(run: RunState, input: Omit<MessageCrewsInput, 'runId' | 'drill'>): Promise<void> {
  try {
    const report = await messaging.messageCrews({ ...input, runId: run.view.runId, drill: run.view.drill });
    for (const f of report.failed) run.emit('delivery.failed', 'system', `message to ${f.memberId} by ${f.channel} failed: ${f.error}`, { ...f, subject: input.subject });
  } catch (error) {
    if (isCancellation(error)) throw error;
    run.emit('delivery.failed', 'system', `could not message crews ${input.crewIds.join(', ')} about ${input.subject}; the duty officer must call them`, { crewIds: input.crewIds });
  }
}

/** Tells the crew that its task is off, in a scope the cancellation itself cannot interrupt. */
async function tellCancelled(ctx: CrewContext, task: TaskView, reason: string): Promise<void> {
  if (!task.crewId) return;
  const crewId = task.crewId;
  await CancellationScope.nonCancellable(() => messaging.announceEnd({
    runId: ctx.run.view.runId, subject: `${task.id}|cancel`, kind: 'cancelled', crewIds: [crewId], drill: ctx.run.view.drill, title: task.title, reason, code: task.code,
  })).catch(() => ctx.run.emit('delivery.failed', 'system', `could not tell crew ${crewId} that task ${task.code} is cancelled`));
}

/**
 * Notify: page crews; with `ack`, each crew gets a notice to acknowledge and the step waits for
 * every crew (or, with a quorum, for N crews in each grid cell), re-paging only what is missing.
 */
export async function runNotify(ctx: CrewContext, step: NotifyStep, view: StepView): Promise<void> {
  const { run } = ctx;
  const consoleRoles = step.to.roles.filter((r) => r === 'duty-officer' || r === 'coordinator');
  if (consoleRoles.length) run.emit('notify.console', 'system', `${step.message.en} (to ${consoleRoles.join(', ')})`, { stepId: step.id, roles: consoleRoles });
  const crewRoles = step.to.roles.filter((r) => r === 'crew' || r === 'supervisor');
  if (!crewRoles.length && !step.to.specialties.length) {
    run.setStatus(view, 'done');
    return;
  }
  const who = crewRoles.includes('crew') || !crewRoles.length ? 'members' : 'supervisors';
  const audienceQuery = { zoneId: run.view.zoneId, specialties: step.to.specialties, ...(step.ack?.quorum?.facilityType ? { cellFacilityType: step.ack.quorum.facilityType } : {}), ...onlyCrews(run) };
  // A local activity since 'audience-lookup-local': one round trip less before the first text.
  const audience = patched('audience-lookup-local') ? await lookup.findAudience(audienceQuery) : await store.findAudience(audienceQuery);
  const pageCrews = (crewIds: string[], attempt: number) => Promise.all(crewIds.map((crewId) => {
    const notice = run.view.tasks.find((t) => t.stepId === step.id && t.crewId === crewId);
    return page(run, { subject: notice?.id ?? step.id, attempt, ...(notice ? { taskId: notice.id } : {}), crewIds: [crewId], who, channels: step.channels, text: { kind: 'notice', code: notice?.code ?? '', title: step.message } });
  }));

  if (!step.ack) {
    await page(run, { subject: step.id, attempt: 1, crewIds: audience.crewIds, who, channels: step.channels, text: { kind: 'notice', code: 'INFO', title: step.message } });
    run.setStatus(view, 'done', `paged ${audience.crewIds.length} crews`);
    return;
  }
  const ack = step.ack;
  let notices = run.view.tasks.filter((t) => t.stepId === step.id);
  if (!notices.length) {
    notices = audience.crewIds.map((crewId) => newTask(run, step, 'notice', step.message, run.view.zoneId, { crewId, status: 'assigned', assignedAt: now(), attempts: [{ crewId, zoneId: run.view.zoneId, at: now(), outcome: 'pending' }] }));
    await pageCrews(audience.crewIds, 1);
  }
  const acked = () => new Set(notices.filter((n) => n.status === 'acknowledged').map((n) => n.crewId ?? ''));
  const missing = () => (ack.quorum ? uncoveredCells(audience.cells, acked(), ack.quorum.perCell) : notices.filter((n) => n.status !== 'acknowledged').map((n) => n.crewId ?? ''));
  run.setStatus(view, 'waiting-ack');
  for (let round = 1; ; round += 1) {
    if (await timedStep(view, run.timer(ack.timeout), () => missing().length === 0)) break;
    if (round > ack.repages) {
      run.emit('notify.unconfirmed', 'system', `${step.title.en}: still unconfirmed after ${ack.repages} re-pages: ${missing().join(', ')}; the duty officer must follow up`, { stepId: step.id, missing: missing() });
      run.setStatus(view, 'done', `unconfirmed: ${missing().join(', ')}`);
      return;
    }
    // Re-page only the crews that can still close a gap: unacknowledged, in an uncovered cell.
    const gaps = new Set(missing());
    const again = notices.filter((n) => n.status !== 'acknowledged' && (!ack.quorum || audience.cells.some((c) => gaps.has(c.cellId) && c.crewIds.includes(n.crewId ?? '')))).map((n) => n.crewId ?? '');
    run.emit('notify.repage', 'system', `${step.title.en}: re-paging ${again.length} crew${again.length === 1 ? '' : 's'} (round ${round + 1})`, { stepId: step.id, crewIds: again, missing: [...gaps] });
    await pageCrews(again, round + 1);
  }
  run.setStatus(view, 'done', 'confirmed');
}

/**
 * Dispatch: one task per target (the zone, or each facility of a type in it), each assigned to a
 * crew covering it, re-assigned when unacknowledged and escalated up the grid; done only when
 * verified (核查结案) by a supervisor, a clear sensor, or waived by an officer.
 */
export async function runDispatch(ctx: CrewContext, step: DispatchStep, view: StepView): Promise<void> {
  const { run } = ctx;
  let tasks = run.view.tasks.filter((t) => t.stepId === step.id);
  if (!tasks.length) {
    const targets = step.target.type === 'zone'
      ? [{ zoneId: run.view.zoneId, place: (await store.zoneName(run.view.zoneId)).name, facilityId: undefined, openFault: undefined }]
      : (await store.findFacilities({ zoneId: run.view.zoneId, type: step.target.facilityType, limit: step.target.limit })).map((f) => ({ zoneId: f.zoneId, place: f.name, facilityId: f.id, openFault: f.openFault }));
    if (!targets.length) {
      run.setStatus(view, 'skipped', `no ${step.target.type === 'facilities' ? step.target.facilityType : 'target'} in zone ${run.view.zoneId}`);
      return;
    }
    tasks = targets.map((t) => newTask(run, step, 'task', step.task, t.zoneId, { place: t.place, ...(t.facilityId ? { facilityId: t.facilityId } : {}), ...(t.openFault ? { openFault: t.openFault } : {}) }));
    for (const t of tasks) flagOpenFault(run, t);
  }
  const refresh = () => {
    const open = tasks.filter((t) => !closed.includes(t.status));
    const status = open.some((t) => t.status === 'assigned' || t.status === 'unassigned') ? 'waiting-ack'
      : open.some((t) => t.status === 'acknowledged') ? 'running'
      : open.length ? 'awaiting-verification' : view.status;
    if (status !== view.status) run.setStatus(view, status);
  };
  refresh();
  await Promise.all(tasks.map((task) => driveTask(ctx, step, view, task, refresh)));
  const verified = tasks.filter((t) => t.status === 'verified' || t.status === 'waived').length;
  run.setStatus(view, 'verified', `${verified} of ${tasks.length} tasks verified or waived`);
}

/**
 * Readiness: a facility with an open critical finding is flagged on the run's timeline and in the
 * crew's message ("pumping station 3: open fault since 2027-05-12"). Only state and message text
 * change, never the commands, so histories recorded before this replay unchanged.
 */
function flagOpenFault(run: RunState, task: TaskView): void {
  const fault = task.openFault;
  if (!fault || !task.place) return;
  const since = fault.since.slice(0, 10);
  run.emit('facility.open-fault', 'system', `${task.place.en}: open critical finding "${fault.title}" since ${since}`, { taskId: task.id, facilityId: task.facilityId, ...fault });
  task.place = { 'zh-CN': `${task.place['zh-CN']}，存在未整改严重问题：${fault.title}（自${since}）`, en: `${task.place.en}, open fault "${fault.title}" since ${since}` };
}

async function driveTask(ctx: CrewContext, step: DispatchStep, view: StepView, task: TaskView, refresh: () => void): Promise<void> {
  const { run } = ctx;
  const paused = () => view.paused;
  try {
    let tiers: CrewTier[] | undefined;
    while (task.status === 'assigned' || task.status === 'unassigned' || (task.status === 'acknowledged' && task.reassignTo)) {
      if (task.reassignTo) {
        const current = task.attempts.at(-1);
        if (current && current.outcome !== 'timed-out') current.outcome = 'reassigned';
        const previous = task.crewId;
        await assign(run, step, task, { crewId: task.reassignTo, zoneId: task.zoneId });
        delete task.reassignTo;
        if (previous && previous !== task.crewId) await tellCancelled(ctx, { ...task, crewId: previous }, 'reassigned by the duty officer');
      } else if (task.status === 'unassigned' || task.attempts.at(-1)?.outcome !== 'pending') {
        tiers ??= await store.findCrewTiers({ zoneId: task.zoneId, specialty: step.specialty, ...onlyCrews(run) });
        const next = nextCandidate(tiers, task.attempts, step.attemptsPerTier);
        if (!next) {
          task.status = 'unassigned';
          delete task.crewId;
          run.emit('task.unassigned', 'system', `task ${task.code} (${task.title.en}): no ${step.specialty} crew acknowledged at any tier; the duty officer must assign it`, { taskId: task.id });
          refresh();
          await condition(() => task.reassignTo !== undefined || task.status !== 'unassigned');
          continue;
        }
        await assign(run, step, task, next);
      }
      refresh();
      const answeredOrMoved = () => task.status !== 'assigned' || task.reassignTo !== undefined;
      let answered: boolean;
      const grace = run.timers.pushGrace ?? 120_000;
      if (patched('push-then-sms') && grace < run.timer(step.ackTimeout) && task.attempts.at(-1)?.outcome === 'pending') {
        // Push went first to those who prefer it; if nobody acknowledges within the grace, SMS follows.
        answered = await timed(task, paused, grace, answeredOrMoved);
        if (!answered) {
          await page(run, { ...taskPage(task), phase: 'sms-followup' });
          answered = await timed(task, paused, run.timer(step.ackTimeout) - grace, answeredOrMoved);
        }
      } else {
        answered = await timed(task, paused, run.timer(step.ackTimeout), answeredOrMoved);
      }
      const attempt = task.attempts.at(-1);
      if (!answered && attempt) {
        attempt.outcome = 'timed-out';
        run.emit('task.ack-timeout', 'system', `task ${task.code}: crew ${attempt.crewId} did not acknowledge in time; trying the next crew`, { taskId: task.id, crewId: attempt.crewId });
      } else if (attempt && task.status === 'acknowledged' && attempt.outcome === 'pending') {
        attempt.outcome = 'acknowledged';
      }
      if (task.status === 'acknowledged' && !task.reassignTo) {
        refresh();
        await condition(() => task.status !== 'acknowledged' || task.reassignTo !== undefined);
      }
    }
    refresh();
    if (task.status === 'awaiting-verification') await verify(ctx, step, view, task, refresh);
  } catch (error) {
    if (isCancellation(error) && !ctx.suspending() && !closed.includes(task.status)) {
      const reason = view.reason ?? 'cancelled';
      const current = task.attempts.at(-1);
      if (current?.outcome === 'pending') current.outcome = 'cancelled';
      task.status = 'cancelled';
      run.emit('task.cancelled', 'system', `task ${task.code} cancelled`, { taskId: task.id });
      await tellCancelled(ctx, task, reason);
    }
    throw error;
  }
}

async function assign(run: RunState, step: DispatchStep, task: TaskView, to: { crewId: string; zoneId: string }): Promise<void> {
  task.attempts.push({ ...to, at: now(), outcome: 'pending' });
  task.crewId = to.crewId;
  task.status = 'assigned';
  task.assignedAt = now();
  run.emit('task.assigned', 'system', `task ${task.code} (${task.title.en}) assigned to crew ${to.crewId}`, { taskId: task.id, crewId: to.crewId, zoneId: to.zoneId });
  await page(run, { ...taskPage(task), phase: 'first' });
}

/** The message that assigns a task to its current crew (one attempt, every channel). */
function taskPage(task: TaskView): Omit<MessageCrewsInput, 'runId' | 'drill'> {
  return {
    subject: task.id, attempt: task.attempts.length, taskId: task.id, crewIds: task.crewId ? [task.crewId] : [], who: 'members', channels: ['sms', 'push'],
    text: { kind: 'task', code: task.code, title: task.title, ...(task.place ? { place: task.place } : {}) },
  };
}

/** Waits for a supervisor's verification (or a clear sensor); when overdue, escalates to the crew's supervisors and keeps waiting. */
async function verify(ctx: CrewContext, step: DispatchStep, view: StepView, task: TaskView, refresh: () => void): Promise<void> {
  const { run } = ctx;
  const sensorClear = () => step.verify.sensorClear && run.view.conditions['sensors-clear'];
  const settled = () => closed.includes(task.status) || sensorClear();
  if (!(await timed(task, () => view.paused, run.timer(step.verify.timeout), settled))) {
    run.emit('task.verify-overdue', 'system', `task ${task.code}: reported done but not verified in time; escalated to supervisors and the duty officer`, { taskId: task.id });
    if (task.crewId) {
      await page(run, { subject: `${task.id}|verify`, attempt: 1, taskId: task.id, crewIds: [task.crewId], who: 'supervisors', channels: ['sms', 'push'], text: { kind: 'notice', code: task.code, title: { 'zh-CN': `请核查任务：${task.title['zh-CN']}`, en: `Please verify: ${task.title.en}` }, ...(task.place ? { place: task.place } : {}) } });
    }
    await condition(settled);
  }
  if (!closed.includes(task.status)) {
    task.status = 'verified';
    task.verifiedAt = now();
    task.verifiedBy = 'sensor';
    run.emit('task.verified', 'sensor', `task ${task.code} verified: sensors back under their clear level`, { taskId: task.id });
  }
  refresh();
}

/** A drill's participants, when it names them: only they are paged (absent on real runs, so their inputs are unchanged). */
function onlyCrews(run: RunState): { onlyCrews?: string[] } {
  return run.input.onlyCrews ? { onlyCrews: run.input.onlyCrews } : {};
}
