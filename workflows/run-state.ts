import { workflowInfo } from '@temporalio/workflow';
import { levelMatches, levelRank } from '../domain/levels.js';
import type { Level, Playbook, Step } from '../playbooks/schema.js';
import type { ActionResult, CarriedState, RunAction, RunInput, RunView, StepView, TaskView } from './messages.js';
import { terminalStepStatuses } from './messages.js';
import type { TimelineEvent } from '../activities/types.js';

const now = () => new Date(Date.now()).toISOString();

/** Raised by an update validator: Temporal refuses the update and writes nothing to history. */
export class ActionRefused extends Error {
  override name = 'ActionRefused';
}

/**
 * Everything a run knows, kept in one plain object (`view`) so the state query, continue-as-new
 * and the step executors share one source. Actions are validated here and applied here.
 */
export class RunState {
  readonly view: RunView;
  readonly playbook: Playbook;
  readonly timers: Record<string, number>;
  /** Timeline events not yet written to the database; flushed in batches by the interpreter. */
  readonly pending: TimelineEvent[] = [];
  /** Bumped on every level change so the interpreter can re-plan. */
  levelEpoch = 0;
  seq: number;

  constructor(readonly input: RunInput) {
    this.playbook = input.playbook;
    this.timers = { ...input.playbook.timers, ...input.timers };
    this.seq = input.carried?.seq ?? 0;
    this.view = input.carried?.view ?? {
      runId: input.runId,
      workflowId: workflowInfo().workflowId,
      startedAt: now(),
      reason: input.reason,
      playbookId: input.playbook.id,
      playbookVersion: input.playbook.version,
      hazard: input.playbook.hazard,
      zoneId: input.zoneId,
      drill: input.drill,
      level: input.level,
      phase: 'active',
      dutyOfficer: input.startedBy,
      levelHistory: [{ level: input.level, at: now(), by: input.startedBy, reason: input.reason }],
      steps: flatten(input.playbook.steps, null),
      tasks: [],
      notes: [],
      conditions: { 'warning-cancelled': false, 'sensors-clear': false },
    };
  }

  step(id: string): StepView {
    const found = this.view.steps.find((s) => s.id === id);
    if (!found) throw new Error(`unknown step ${id}`);
    return found;
  }

  task(id: string): TaskView | undefined {
    return this.view.tasks.find((t) => t.id === id);
  }

  timer(name: string): number {
    const ms = this.timers[name];
    if (ms === undefined) throw new Error(`unknown timer ${name}`);
    return ms;
  }

  /** Why `step` does not apply now, or undefined when it does. */
  whyNot(step: Step): string | undefined {
    if (step.realOnly && this.view.drill) return 'real incidents only';
    if (!levelMatches(step.when, this.view.level)) return `not at level ${this.view.level}`;
    const decided = step.when?.decided;
    if (decided && this.view.steps.find((s) => s.id === decided.step)?.decision?.chosen !== decided.option) {
      return `decision ${decided.step} is not "${decided.option}"`;
    }
    return undefined;
  }

  emit(type: string, actor: string, message: string, data: Record<string, unknown> = {}): void {
    this.seq += 1;
    this.pending.push({ key: `e${this.seq}`, at: now(), type, actor, message, data });
  }

  setStatus(step: StepView, status: StepView['status'], reason?: string): void {
    if (step.status === status) return;
    step.status = status;
    if (reason) step.reason = reason;
    if (status === 'running' && !step.startedAt) step.startedAt = now();
    if (terminalStepStatuses.includes(status)) {
      step.endedAt = now();
      delete step.timerEndsAt;
      delete step.timerRemainingMs;
    }
    this.emit(`step.${status}`, 'system', `${step.title.en}: ${status}${reason ? ` (${reason})` : ''}`, { stepId: step.id });
  }

  carry(): CarriedState {
    return { view: this.view, seq: this.seq };
  }

  /** Throws ActionRefused when the action cannot apply now; runs in the update validator. */
  validate(action: RunAction): void {
    const refuse = (why: string): never => { throw new ActionRefused(why); };
    if (this.view.phase === 'closed') refuse('the run is closed');
    switch (action.type) {
      case 'escalate':
      case 'downgrade': {
        if (!this.playbook.levels.includes(action.level)) refuse(`level ${action.level} is not handled by playbook ${this.playbook.id}`);
        const up = levelRank(action.level) > levelRank(this.view.level);
        if (action.type === 'escalate' && !up) refuse(`level ${action.level} is not above the current level ${this.view.level}`);
        if (action.type === 'downgrade' && (up || action.level === this.view.level)) refuse(`level ${action.level} is not below the current level ${this.view.level}`);
        return;
      }
      case 'decide': {
        const step = this.runningStep(action.stepId, 'decision');
        if (!step.decision?.options.some((o) => o.id === action.optionId)) refuse(`"${action.optionId}" is not an option of step ${action.stepId}`);
        return;
      }
      case 'tick': {
        const step = this.runningStep(action.stepId, 'checklist');
        const item = step.items?.find((i) => i.id === action.itemId);
        if (!item) refuse(`step ${action.stepId} has no item "${action.itemId}"`);
        if (item?.tickedAt) refuse(`item "${action.itemId}" was already ticked by ${item.tickedBy}`);
        return;
      }
      case 'pause':
      case 'resume': {
        const step = this.view.steps.find((s) => s.id === action.stepId);
        if (!step) refuse(`no step "${action.stepId}"`);
        if (step && terminalStepStatuses.includes(step.status)) refuse(`step ${action.stepId} is already ${step.status}`);
        if (step && action.type === 'pause' && step.paused) refuse(`step ${action.stepId} is already paused`);
        if (step && action.type === 'resume' && !step.paused) refuse(`step ${action.stepId} is not paused`);
        return;
      }
      case 'handover':
        if (action.to === this.view.dutyOfficer) refuse(`${action.to} is already the duty officer of this run`);
        return;
      case 'stand-down': {
        const open = this.view.tasks.filter((t) => t.kind === 'task').filter((t) => t.status === 'acknowledged' || t.status === 'done' || t.status === 'awaiting-verification');
        if (open.length) refuse(`tasks not yet verified or waived: ${open.map((t) => t.code).join(', ')}; verify or waive them first`);
        return;
      }
      case 'note':
      case 'condition':
        return;
      case 'confirm':
        if (this.view.phase !== 'awaiting-confirmation') refuse('the run is not waiting for confirmation');
        return;
      case 'reassign':
      case 'ack':
      case 'done':
      case 'help':
      case 'verify':
      case 'waive':
        this.validateTask(action);
        return;
    }
  }

  private validateTask(action: Extract<RunAction, { taskId: string }>): void {
    const task = this.task(action.taskId);
    if (!task) throw new ActionRefused(`no task "${action.taskId}" in this run`);
    const allowed: Record<typeof action.type, TaskView['status'][]> = {
      reassign: ['assigned', 'acknowledged', 'unassigned'],
      ack: ['assigned', 'acknowledged'],
      done: ['assigned', 'acknowledged', 'done', 'awaiting-verification'],
      help: ['assigned', 'acknowledged'],
      verify: ['awaiting-verification'],
      waive: ['assigned', 'acknowledged', 'unassigned', 'awaiting-verification'],
    };
    if (task.kind === 'notice' && action.type !== 'ack') throw new ActionRefused(`${task.code} is a notice: it can only be acknowledged`);
    if (!allowed[action.type].includes(task.status)) throw new ActionRefused(`task ${task.code} is ${task.status}; it cannot take "${action.type}" now`);
    if (action.type === 'reassign' && action.crewId === task.crewId) throw new ActionRefused(`task ${task.code} is already assigned to ${action.crewId}`);
  }

  private runningStep(id: string, kind: string): StepView {
    const step = this.view.steps.find((s) => s.id === id);
    if (!step) throw new ActionRefused(`no step "${id}"`);
    if (step.kind !== kind) throw new ActionRefused(`step ${id} is a ${step.kind}, not a ${kind}`);
    if (step.status !== 'running' && step.status !== 'waiting-ack') throw new ActionRefused(`step ${id} is ${step.status}, not running`);
    return step;
  }

  /** Applies a validated action; the step executors see the change on their next condition check. */
  apply(action: RunAction): ActionResult {
    const at = now();
    const ok = (message: string, summary?: string): ActionResult => {
      this.emit(`action.${action.type}`, action.by, message, { action });
      return summary === undefined ? { accepted: true, type: action.type, message } : { accepted: true, type: action.type, message, summary };
    };
    switch (action.type) {
      case 'escalate':
      case 'downgrade': {
        const from = this.view.level;
        this.view.level = action.level;
        this.view.levelHistory.push({ level: action.level, at, by: action.by, reason: action.reason });
        this.levelEpoch += 1;
        return ok(`level ${from} → ${action.level}: ${action.reason}`);
      }
      case 'decide': {
        const decision = this.step(action.stepId).decision;
        if (decision) Object.assign(decision, { chosen: action.optionId, by: action.by, at });
        return ok(`decided "${action.optionId}" on ${action.stepId}`);
      }
      case 'tick': {
        const item = this.step(action.stepId).items?.find((i) => i.id === action.itemId);
        if (item) Object.assign(item, { tickedBy: action.by, tickedAt: at });
        return ok(`ticked "${action.itemId}" on ${action.stepId}`);
      }
      case 'note':
        this.view.notes.push({ at, by: action.by, text: action.text });
        return ok(`note: ${action.text}`);
      case 'pause':
      case 'resume':
        this.step(action.stepId).paused = action.type === 'pause';
        return ok(`${action.type}d step ${action.stepId}`);
      case 'handover': {
        const from = this.view.dutyOfficer;
        this.view.dutyOfficer = action.to;
        const summary = this.handoverSummary(from, action.to);
        return ok(`handed over from ${from} to ${action.to}`, summary);
      }
      case 'confirm':
        this.view.confirmation = { accepted: action.accept, by: action.by, at };
        return ok(action.accept ? 'confirmed: the run starts' : 'declined: the run will not start');
      case 'condition':
        if (this.view.conditions[action.name] === action.value) return ok(`${action.name} already ${action.value}`);
        this.view.conditions[action.name] = action.value;
        return ok(`${action.name}: ${action.value}`);
      case 'stand-down':
        this.view.standDown = { at, by: action.by, reason: action.reason };
        return ok(`stand-down: ${action.reason}`);
      case 'reassign':
      case 'ack':
      case 'done':
      case 'help':
      case 'verify':
      case 'waive':
        return ok(applyTaskAction(this.view, action, at));
    }
  }

  private handoverSummary(from: string, to: string): string {
    const open = this.view.steps.filter((s) => s.status === 'running' || s.status === 'waiting-ack');
    const decisions = open.filter((s) => s.decision && !s.decision.chosen).map((s) => `decision ${s.id}`);
    const items = open.flatMap((s) => (s.items ?? []).filter((i) => !i.tickedAt).map((i) => `${s.id}/${i.id}`));
    const tasks = this.view.tasks.filter((t) => !['verified', 'waived', 'cancelled'].includes(t.status)).map((t) => `${t.code} (${t.status})`);
    return [
      `Level ${this.view.level}; ${from} → ${to}.`,
      `Open decisions: ${decisions.join(', ') || 'none'}.`,
      `Unticked checklist items: ${items.join(', ') || 'none'}.`,
      `Open tasks: ${tasks.join(', ') || 'none'}.`,
    ].join(' ');
  }
}

function applyTaskAction(view: RunView, action: Extract<RunAction, { taskId: string }>, at: string): string {
  const task = view.tasks.find((t) => t.id === action.taskId);
  if (!task) return 'no such task';
  switch (action.type) {
    case 'ack':
      if (task.status === 'acknowledged') return `task ${task.code} already acknowledged`;
      task.status = 'acknowledged';
      task.acknowledgedAt = at;
      return `task ${task.code} acknowledged by ${action.by} via ${action.channel}`;
    case 'done':
      if (task.status === 'awaiting-verification' || task.status === 'done') return `task ${task.code} already reported done`;
      task.acknowledgedAt ??= at;
      task.status = 'awaiting-verification';
      task.doneAt = at;
      return `task ${task.code} reported done by ${action.by} via ${action.channel}; awaiting verification`;
    case 'help':
      task.helpRequested = true;
      return `task ${task.code}: ${action.by} asks for help via ${action.channel}`;
    case 'verify':
      task.status = 'verified';
      task.verifiedAt = at;
      task.verifiedBy = action.by;
      return `task ${task.code} verified by ${action.by}`;
    case 'waive':
      task.status = 'waived';
      task.waivedReason = action.reason;
      return `task ${task.code} waived by ${action.by}: ${action.reason}`;
    case 'reassign':
      task.reassignTo = action.crewId;
      return `task ${task.code} to be reassigned to crew ${action.crewId}`;
  }
}

function flatten(steps: Step[], parentId: string | null): StepView[] {
  return steps.flatMap((s) => {
    const view: StepView = { id: s.id, parentId, kind: s.kind, title: s.title, status: 'pending', paused: false };
    if (s.kind === 'checklist') view.items = s.items.map((i) => ({ id: i.id, label: i.label }));
    if (s.kind === 'decision') view.decision = { options: s.options, askedOf: 'duty-officer' };
    return s.kind === 'sequence' || s.kind === 'parallel' ? [view, ...flatten(s.steps, s.id)] : [view];
  });
}

export type { Level };
