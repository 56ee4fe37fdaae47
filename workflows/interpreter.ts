import { CancellationScope, CancelledFailure, isCancellation, condition } from '@temporalio/workflow';
import type { StepView } from './messages.js';
import type { Step } from '../playbooks/schema.js';
import { terminalStepStatuses } from './messages.js';
import type { RunState } from './run-state.js';
import { runChecklist, runDecision, runWait } from './steps.js';

export interface StepPorts {
  askDeputy(step: Step): Promise<void>;
  notify(step: Extract<Step, { kind: 'notify' }>): Promise<void>;
  dispatch(step: Extract<Step, { kind: 'dispatch' }>): Promise<void>;
}

/**
 * Walks a playbook's step tree (after samples-typescript's dsl-interpreter). Every step runs in
 * its own cancellation scope so a level change can cancel exactly the steps it makes moot, and
 * every step resumes from its state on the run, so continue-as-new can interrupt anywhere.
 */
export class Interpreter {
  private readonly active = new Map<string, { step: Step; scope: CancellationScope; why?: string }>();
  private readonly background: Promise<void>[] = [];
  /** Set before continue-as-new: interrupted steps keep their status and resume in the next run. */
  suspending = false;

  constructor(private readonly run: RunState, private readonly ports: StepPorts) {}

  async runSteps(steps: Step[]): Promise<void> {
    for (const step of steps) await this.runStep(step);
  }

  /** Runs the top-level plan, then any steps a level change started, until all settle. */
  async runPlan(): Promise<void> {
    await this.runSteps(this.run.playbook.steps);
    while (this.background.length) await this.background.shift();
  }

  async runStep(step: Step): Promise<void> {
    const view = this.run.step(step.id);
    if (terminalStepStatuses.includes(view.status)) return;
    const why = this.run.whyNot(step);
    if (why) {
      this.run.setStatus(view, 'skipped', why);
      this.settleChildren(step, 'skipped', why);
      return;
    }
    const scope = new CancellationScope();
    const entry: { step: Step; scope: CancellationScope; why?: string } = { step, scope };
    this.active.set(step.id, entry);
    try {
      if (view.status === 'pending') this.run.setStatus(view, 'running');
      await scope.run(() => this.execute(step));
    } catch (error) {
      if (this.suspending && isCancellation(error)) return;
      if (isCancellation(error)) {
        this.run.setStatus(view, 'cancelled', entry.why ?? 'cancelled');
        this.settleChildren(step, 'cancelled', entry.why ?? 'cancelled');
      } else {
        this.run.setStatus(view, 'failed', error instanceof Error ? error.message : String(error));
      }
    } finally {
      this.active.delete(step.id);
    }
  }

  private async execute(step: Step): Promise<void> {
    const view = this.run.step(step.id);
    switch (step.kind) {
      case 'sequence':
        await this.runSteps(step.steps);
        this.settleGroup(view);
        return;
      case 'parallel':
        await Promise.all(step.steps.map((s) => this.runStep(s)));
        this.settleGroup(view);
        return;
      case 'checklist': return runChecklist(this.run, step, view);
      case 'decision': return runDecision(this.run, step, view, () => this.ports.askDeputy(step));
      case 'wait': return runWait(this.run, step, view);
      case 'notify': return this.ports.notify(step);
      case 'dispatch': return this.ports.dispatch(step);
    }
  }

  /**
   * Re-plans after a level change: cancels running steps the new level no longer calls for and
   * starts top-level steps it now does (ones skipped, or cancelled by an earlier level change).
   */
  replan(): void {
    for (const entry of this.active.values()) {
      const why = this.run.whyNot(entry.step);
      if (why) {
        entry.why = why;
        entry.scope.cancel();
      }
    }
    for (const step of this.run.playbook.steps) {
      const view = this.run.step(step.id);
      const restartable = view.status === 'skipped' || (view.status === 'cancelled' && view.reason?.startsWith('not at level'));
      if (restartable && !this.run.whyNot(step)) {
        resetSubtree(this.run, step);
        this.background.push(this.runStep(step));
      }
    }
  }

  /** Cancels everything still running (stand-down or continue-as-new). */
  cancelAll(why: string): void {
    for (const entry of this.active.values()) {
      entry.why ??= why;
      entry.scope.cancel();
    }
  }

  /** A group whose scope was cancelled while its children wound down is cancelled, not done. */
  private settleGroup(view: StepView): void {
    if (CancellationScope.current().consideredCancelled) throw new CancelledFailure('group cancelled');
    this.run.setStatus(view, 'done');
  }

  /** A group that is skipped or cancelled takes its not-yet-started steps with it. */
  private settleChildren(step: Step, status: 'skipped' | 'cancelled', why: string): void {
    if (step.kind !== 'sequence' && step.kind !== 'parallel') return;
    for (const child of step.steps) {
      const view = this.run.step(child.id);
      if (view.status === 'pending') this.run.setStatus(view, status, why);
      this.settleChildren(child, status, why);
    }
  }

  async settled(): Promise<void> {
    await condition(() => this.active.size === 0);
  }
}

function resetSubtree(run: RunState, step: Step): void {
  const view = run.step(step.id);
  view.status = 'pending';
  delete view.reason;
  delete view.endedAt;
  if (step.kind === 'sequence' || step.kind === 'parallel') step.steps.forEach((s) => resetSubtree(run, s));
}
