import { CancellationScope, ParentClosePolicy, condition, isCancellation, sleep, startChild, uuid4, workflowInfo, type ChildWorkflowHandle } from '@temporalio/workflow';
import type { DrillRunRecord } from '../activities/drills.js';
import type { Inject, RealIncidentPolicy } from '../db/schema/drills.js';
import { decideInject, type InjectDecision } from '../domain/drills/injects.js';
import { parseDuration } from '../domain/duration.js';
import { drillWorkflowId } from '../domain/ids.js';
import type { ThresholdState } from '../domain/thresholds.js';
import type { Level, Playbook } from '../playbooks/schema.js';
import { messaging, store } from './activities.js';
import { triggerSignal, type RunAction, type RunInput } from './messages.js';
import { runPlaybook } from './run-playbook.js';

export interface DrillInput {
  drillId: string;
  name: string;
  playbook: Playbook;
  zoneId: string;
  level: Level;
  participants: string[];
  injects: Inject[];
  timers: Record<string, number>;
  /** Participants are told this long before the run starts (the Schedule fires this early). */
  leadMs: number;
  /** The drill run is stood down this long after its start (pauses not counted). */
  windowMs: number;
  onRealIncident: RealIncidentPolicy;
  /** How often the drill looks for a real incident in its zone. */
  checkEveryMs: number;
  workflowIdPrefix: string;
  startedBy: string;
}

export interface DrillOutcome { runId: string; status: 'ended' | 'pre-empted'; reason: string }

const by = (input: DrillInput) => `drill:${input.drillId}`;

/**
 * One firing of a drill: tells the participants ahead, runs the playbook in drill mode under its
 * own workflow id (never an incident's), feeds the scenario's injects at their offsets through
 * the run's trigger signal, and gives way to a real incident in the zone as the drill's policy says.
 */
export async function drill(input: DrillInput): Promise<DrillOutcome> {
  const runId = `run_${uuid4()}`;
  const record: DrillRunRecord = {
    runId, drillId: input.drillId, playbookId: input.playbook.id, workflowId: workflowInfo().workflowId,
    runWorkflowId: input.workflowIdPrefix + drillWorkflowId(input.playbook.hazard, input.zoneId, runId),
    status: 'announced', announcedAt: now(), startsAt: new Date(Date.now() + input.leadMs).toISOString(), fed: [],
  };
  const firing: Firing = {
    runId, record,
    save: (patch) => { Object.assign(record, patch); return store.recordDrillRun(record); },
    tell: (kind, subject, reason) => messaging.announceDrill({
      runId, subject, crewIds: input.participants, kind, name: input.name, startsAt: record.startsAt, ...(reason ? { reason } : {}),
    }).catch(() => undefined),
  };
  try {
    return await play(input, firing);
  } catch (error) {
    if (!isCancellation(error)) throw error;
    // Cancelled (an overlap policy of cancel-other, or an operator): the run and the record still end properly.
    await CancellationScope.nonCancellable(async () => {
      const reason = 'the drill was cancelled';
      await firing.child?.signal(triggerSignal, { type: 'stand-down', reason, by: by(input) }).catch(() => undefined);
      await firing.tell('ended', 'drill-ended', reason);
      await firing.save({ status: 'ended', endedAt: now(), endedReason: reason });
    });
    throw error;
  }
}

interface Firing {
  runId: string;
  record: DrillRunRecord;
  child?: ChildWorkflowHandle<typeof runPlaybook>;
  save(patch: Partial<DrillRunRecord>): Promise<void>;
  tell(kind: 'upcoming' | 'paused' | 'resumed' | 'ended', subject: string, reason?: string): Promise<unknown>;
}

const now = () => new Date(Date.now()).toISOString();

async function play(input: DrillInput, firing: Firing): Promise<DrillOutcome> {
  const { runId, record, save, tell } = firing;
  await save({});
  await tell('upcoming', 'drill-upcoming');
  await sleep(Math.max(1, input.leadMs));
  const before = await store.realIncidentNear({ zoneId: input.zoneId });
  if (before && input.onRealIncident === 'end') {
    const reason = `a real ${before.hazard} incident is open in ${before.zoneId} (${before.runId}); the drill does not start`;
    await tell('ended', 'drill-ended', reason);
    await save({ status: 'pre-empted', endedAt: now(), endedReason: reason });
    return { runId, status: 'pre-empted', reason };
  }

  const runInput: RunInput = { runId, playbook: input.playbook, zoneId: input.zoneId, level: input.level, reason: `drill: ${input.name}`, drill: true, startedBy: by(input), timers: input.timers, onlyCrews: input.participants };
  // Started outside the drill's cancellation: a cancelled drill stands its run down rather than killing it mid-step.
  const child = await CancellationScope.nonCancellable(() => startChild(runPlaybook, { workflowId: record.runWorkflowId, args: [runInput], parentClosePolicy: ParentClosePolicy.ABANDON }));
  firing.child = child;
  await save({ status: 'running', startedAt: now() });
  let closed = false;
  void child.result().then(() => { closed = true; }, () => { closed = true; });
  // A run stood down meanwhile cannot take signals; that is no reason to fail the drill.
  const tellRun = (a: RunAction) => child.signal(triggerSignal, a).catch(() => undefined);

  const pending = [...input.injects].sort((a, b) => parseDuration(a.at) - parseDuration(b.at));
  const sensorState = new Map<string, ThresholdState>();
  let level = input.level;
  let origin = Date.now();
  let preempted: string | undefined;
  while (!closed) {
    const next = pending[0];
    const due = next ? origin + parseDuration(next.at) : Number.POSITIVE_INFINITY;
    const wake = Math.min(due, Date.now() + input.checkEveryMs, origin + input.windowMs);
    if (await condition(() => closed, Math.max(1, wake - Date.now()))) break;
    const real = await store.realIncidentNear({ zoneId: input.zoneId });
    if (real) {
      const reason = `a real ${real.hazard} incident is open in ${real.zoneId} (${real.runId}) and takes priority`;
      if (input.onRealIncident === 'end') {
        preempted = reason;
        await tellRun({ type: 'stand-down', reason, by: by(input) });
        await tell('ended', 'drill-ended', reason);
        break;
      }
      origin += await pauseWhileReal(input, tellRun, record, save, tell, reason);
      continue;
    }
    if (Date.now() >= origin + input.windowMs) {
      await tellRun({ type: 'stand-down', reason: 'the drill window is over', by: by(input) });
      break;
    }
    if (next && Date.now() >= due) {
      pending.shift();
      level = await feed(input, tellRun, record, next, level, sensorState);
      await save({});
    }
  }
  await condition(() => closed);
  const reason = preempted ?? 'the drill run was stood down';
  await save({ status: preempted ? 'pre-empted' : 'ended', endedAt: now(), endedReason: reason });
  return { runId, status: preempted ? 'pre-empted' : 'ended', reason };
}

/** Holds the scenario while a real incident is open; returns how long it held, so offsets shift. */
async function pauseWhileReal(input: DrillInput, tellRun: (a: RunAction) => Promise<unknown>, record: DrillRunRecord, save: (p: Partial<DrillRunRecord>) => Promise<void>, tell: (kind: 'paused' | 'resumed', subject: string, reason?: string) => Promise<unknown>, reason: string): Promise<number> {
  const from = Date.now();
  const pauses = record.fed.filter((f) => f.id === 'pause').length + 1;
  await save({ status: 'paused' });
  await tellRun({ type: 'note', text: `drill paused: ${reason}`, by: by(input) });
  await tell('paused', `drill-paused-${pauses}`, reason);
  while (await store.realIncidentNear({ zoneId: input.zoneId })) await sleep(input.checkEveryMs);
  record.fed.push({ id: 'pause', at: new Date(from).toISOString(), outcome: `paused ${Math.round((Date.now() - from) / 1000)} s: ${reason}` });
  await save({ status: 'running' });
  await tellRun({ type: 'note', text: 'drill resumed: the real incident is over', by: by(input) });
  await tell('resumed', `drill-resumed-${pauses}`);
  return Date.now() - from;
}

/** Feeds one inject to the run through its trigger signal, as a real warning or reading would arrive. */
async function feed(input: DrillInput, tellRun: (a: RunAction) => Promise<unknown>, record: DrillRunRecord, inject: Inject, level: Level, state: Map<string, ThresholdState>): Promise<Level> {
  const at = new Date(Date.now()).toISOString();
  const sensor = inject.kind === 'reading' ? await store.drillSensorRules(inject.sensorId) : { sensorName: '', rules: [] };
  const decisions = decideInject(inject, { hazard: input.playbook.hazard, level, levels: input.playbook.levels }, { name: sensor.sensorName, rules: sensor.rules, state }, at);
  for (const d of decisions) {
    await tellRun(action(d, by(input)));
    if (d.kind === 'escalate') level = d.level;
    await store.logDrillInject({
      drillId: input.drillId, injectId: inject.id, source: inject.kind === 'warning' ? 'drill:warning' : 'drill:sensor', action: d.kind === 'escalate' ? 'escalated' : d.kind === 'note' ? 'noted' : 'stand-down-requested',
      hazard: input.playbook.hazard, level: d.kind === 'escalate' ? d.level : level, zoneId: input.zoneId, runId: record.runId, workflowId: record.runWorkflowId, reason: d.reason, at,
    });
  }
  record.fed.push({ id: inject.id, at, outcome: decisions.map((d) => (d.kind === 'escalate' ? `escalated to ${d.level}` : d.kind)).join(', ') });
  return level;
}

function action(d: InjectDecision, who: string): RunAction {
  if (d.kind === 'escalate') return { type: 'escalate', level: d.level, reason: d.reason, by: who };
  if (d.kind === 'sensors-clear') return { type: 'condition', name: 'sensors-clear', value: true, by: who };
  return { type: 'note', text: d.reason, by: who };
}
