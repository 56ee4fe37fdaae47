import {
  CancellationScope, allHandlersFinished, condition, continueAsNew, isCancellation, patched, setHandler, workflowInfo,
} from '@temporalio/workflow';
import type { RunRecord } from '../activities/types.js';
import { messaging, store } from './activities.js';
import { runDispatch, runNotify, type CrewContext } from './crew-steps.js';
import { Interpreter } from './interpreter.js';
import { actionUpdate, stateQuery, triggerSignal, triggerUpdate, type RunInput, type RunOutcome, type TriggerInput, type TriggerResult } from './messages.js';
import { levelRank } from '../domain/levels.js';
import { ActionRefused, RunState } from './run-state.js';


/** One run of a playbook: an incident (or drill) from launch to stand-down. */
export async function runPlaybook(input: RunInput): Promise<RunOutcome> {
  const run = new RunState(input);
  const crew: CrewContext = { run, suspending: () => interpreter.suspending };
  const interpreter: Interpreter = new Interpreter(run, {
    askDeputy: async (step) => run.emit('notify.console', 'system', `${step.title.en}: the deputy duty officer is asked to decide`, { stepId: step.id, roles: ['deputy'] }),
    notify: (step) => runNotify(crew, step, run.step(step.id)),
    dispatch: (step) => runDispatch(crew, step, run.step(step.id)),
  });

  // Handlers before the first await, so nothing sent at start is dropped.
  setHandler(stateQuery, () => run.view);
  setHandler(actionUpdate, (action) => run.apply(action), { validator: (action) => run.validate(action) });
  setHandler(triggerSignal, (action) => {
    try {
      run.validate(action);
      run.apply(action);
    } catch (error) {
      if (!(error instanceof ActionRefused)) throw error;
      run.emit('trigger.ignored', action.by, `${action.type} from ${action.by} ignored: ${error.message}`, { action });
    }
  });

  let firstTrigger = true;
  setHandler(triggerUpdate, (t): TriggerResult => {
    if (firstTrigger && t.key === input.triggerKey) {
      firstTrigger = false;
      // This update may be handled before the workflow body has run (update-with-start): answer from the input.
      return { runId: run.view.runId, action: input.confirmation && !input.carried ? 'awaiting-confirmation' : 'started', level: run.view.level };
    }
    if (levelRank(t.level) > levelRank(run.view.level) && run.playbook.levels.includes(t.level)) {
      run.apply({ type: 'escalate', level: t.level, reason: `${t.source} ${t.identifier}: ${t.reason}`, by: t.by });
      return { runId: run.view.runId, action: 'escalated', level: run.view.level };
    }
    run.apply({ type: 'note', text: `${t.source} ${t.identifier} (level ${t.level}): ${t.reason}`, by: t.by });
    return { runId: run.view.runId, action: 'noted', level: run.view.level };
  }, { validator: (_t: TriggerInput) => { if (run.view.phase === 'closed') throw new ActionRefused('the run is closed'); } });

  const flusher = startFlusher(run);
  if (!input.carried) run.emit('run.started', input.startedBy, `run started at level ${input.level}: ${input.reason}`, { level: input.level });
  const declined = input.confirmation && !input.carried ? !(await awaitConfirmation(run, input.confirmation.timeoutMs)) : false;

  const plan = new CancellationScope();
  let epoch = run.levelEpoch;
  const planDone = declined ? Promise.resolve() : plan.run(async () => {
    watchLevel().catch(ignoreCancellation);
    await interpreter.runPlan();
  });
  async function watchLevel(): Promise<void> {
    for (;;) {
      await condition(() => run.levelEpoch !== epoch);
      epoch = run.levelEpoch;
      interpreter.replan();
    }
  }

  const maxEvents = input.maxHistoryEvents ?? Number.POSITIVE_INFINITY;
  const tooLong = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > maxEvents;
  let planFinished = false;
  const finished = () => {
    planFinished = true;
    if (run.view.phase !== 'active' || run.view.standDown) return;
    run.view.phase = 'monitoring';
    run.emit('run.monitoring', 'system', 'all steps settled; the run stays open until it is stood down');
  };
  void planDone.then(finished, finished);

  const autoClose = () => planFinished && run.playbook.standDown.auto;
  await condition(() => run.view.standDown !== undefined || autoClose() || tooLong());
  if (!run.view.standDown && !autoClose()) {
    interpreter.suspending = true;
    plan.cancel();
    await interpreter.settled();
    await condition(allHandlersFinished);
    await flusher.stop();
    return continueAsNew<typeof runPlaybook>({ ...input, carried: run.carry() });
  }

  const standDown = run.view.standDown ?? { at: new Date(Date.now()).toISOString(), by: 'system', reason: 'all steps complete' };
  run.view.standDown = standDown;
  interpreter.cancelAll(`stand-down: ${standDown.reason}`);
  plan.cancel();
  await interpreter.settled();
  // Runs recorded before stand-down announcements existed replay without them.
  const told = patched('announce-stand-down')
    ? await messaging.announceEnd({
      runId: run.view.runId, subject: 'stand-down', kind: 'stood-down', drill: run.view.drill, title: run.playbook.title, reason: standDown.reason,
    }).catch(() => undefined)
    : undefined;
  // Whatever nobody answered is over too: unacknowledged notices close with the run.
  for (const task of run.view.tasks) {
    if (task.status === 'assigned' || task.status === 'unassigned') task.status = 'cancelled';
  }
  run.view.phase = 'closed';
  run.emit('run.closed', standDown.by, `stood down: ${standDown.reason}; ${told?.queued ?? 0} messages to the people involved`, { told: told?.queued ?? 0 });
  await condition(allHandlersFinished);
  await flusher.stop();
  return { runId: input.runId, closedAt: standDown.at, reason: standDown.reason, by: standDown.by };
}

/** Waits for the duty officer to confirm a run a low-level warning started; silence starts it. */
async function awaitConfirmation(run: RunState, timeoutMs: number): Promise<boolean> {
  run.view.phase = 'awaiting-confirmation';
  run.emit('run.awaiting-confirmation', 'system', `waiting up to ${Math.round(timeoutMs / 1000)} s for the duty officer to confirm`);
  const answered = await condition(() => run.view.confirmation !== undefined || run.view.standDown !== undefined, timeoutMs);
  if (!answered) {
    run.view.confirmation = { accepted: true, by: 'system', at: new Date(Date.now()).toISOString() };
    run.emit('run.confirmed', 'system', 'no answer in time: started anyway');
  }
  const accepted = run.view.confirmation?.accepted !== false && run.view.standDown === undefined;
  if (!accepted) run.view.standDown ??= { at: new Date(Date.now()).toISOString(), by: run.view.confirmation?.by ?? 'system', reason: 'declined by the duty officer' };
  run.view.phase = 'active';
  return accepted;
}

function ignoreCancellation(error: unknown): void {
  if (!isCancellation(error)) throw error;
}

/** Writes the timeline and the run's row in batches, off the steps' critical path. */
function startFlusher(run: RunState): { stop(): Promise<void> } {
  let stopping = false;
  const record = (): RunRecord => ({
    id: run.view.runId,
    workflowId: run.view.workflowId,
    temporalRunId: workflowInfo().firstExecutionRunId,
    playbookId: run.view.playbookId,
    playbookVersion: run.view.playbookVersion,
    hazard: run.view.hazard,
    zoneId: run.view.zoneId,
    level: run.view.level,
    status: run.view.phase === 'closed' ? 'closed' : 'open',
    drill: run.view.drill,
    reason: run.view.reason,
    startedBy: run.input.startedBy,
    startedAt: run.view.startedAt,
    closedAt: run.view.phase === 'closed' ? run.view.standDown?.at : undefined,
    closedReason: run.view.phase === 'closed' ? run.view.standDown?.reason : undefined,
  });
  // Only what changed crosses into history: tasks that differ from the last write, and the full
  // snapshot every tenth write and at the end (it serves reports once Temporal forgets the run).
  const written = new Map<string, string>();
  let writes = 0;
  const flush = async (final = false) => {
    const events = run.pending.splice(0, run.pending.length);
    // Remember what is sent as it is now: tasks may change while the write is under way.
    const changed = run.view.tasks.map((t) => [t, JSON.stringify(t)] as const).filter(([t, json]) => written.get(t.id) !== json);
    const snapshot = final || writes % 10 === 0 ? run.view : undefined;
    await store.syncRun({ run: record(), events, tasks: changed.map(([t]) => t), snapshot });
    for (const [t, json] of changed) written.set(t.id, json);
    writes += 1;
  };
  // Non-cancellable: stand-down cancels the plan, never the record of it.
  const loop = CancellationScope.nonCancellable(async () => {
    while (!stopping) {
      await condition(() => run.pending.length > 0 || stopping);
      if (run.pending.length) await flush();
    }
    await flush(true);
  });
  return {
    async stop() {
      stopping = true;
      await loop;
    },
  };
}
