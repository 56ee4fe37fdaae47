import type { ChecklistStep, DecisionStep, WaitStep } from '../playbooks/schema.js';
import type { StepView } from './messages.js';
import type { RunState } from './run-state.js';
import { timedStep as timed, untimed } from './timers.js';

/** A checklist is done when the duty officer has ticked every item. */
export async function runChecklist(run: RunState, _step: ChecklistStep, view: StepView): Promise<void> {
  await untimed(view, () => (view.items ?? []).every((i) => i.tickedAt));
  run.setStatus(view, 'done');
}

/**
 * Asks the duty officer; on timeout delegates to the deputy (told by the run's timeline and
 * notification); on the deputy's timeout applies the playbook's default.
 */
export async function runDecision(run: RunState, step: DecisionStep, view: StepView, askDeputy: () => Promise<void>): Promise<void> {
  const decision = view.decision;
  if (!decision) throw new Error(`decision step ${step.id} has no decision state`);
  const chosen = () => decision.chosen !== undefined;
  if (decision.askedOf === 'duty-officer' && !(await timed(view, run.timer(step.timeout), chosen))) {
    decision.askedOf = 'deputy';
    run.emit('decision.delegated', 'system', `${step.title.en}: no answer from the duty officer; asking the deputy`, { stepId: step.id });
    await askDeputy();
  }
  if (!chosen() && !(await timed(view, run.timer(step.deputyTimeout), chosen))) {
    Object.assign(decision, { chosen: step.default, by: 'system', at: new Date(Date.now()).toISOString(), defaulted: true });
    run.emit('decision.defaulted', 'system', `${step.title.en}: no answer; default "${step.default}" applied`, { stepId: step.id, optionId: step.default });
  }
  run.setStatus(view, 'done', `chose ${decision.chosen}`);
}

/** Waits a duration, or until a reported condition holds (with an optional deadline). */
export async function runWait(run: RunState, step: WaitStep, view: StepView): Promise<void> {
  const until = step.until;
  if (!until) {
    await timed(view, run.timer(step.for ?? ''), () => false);
    run.setStatus(view, 'done');
    return;
  }
  const holds = () => run.view.conditions[until];
  if (step.timeout || step.for) {
    const met = await timed(view, run.timer(step.timeout ?? step.for ?? ''), holds);
    run.setStatus(view, 'done', met ? `${until}` : `timed out waiting for ${until}`);
    return;
  }
  await untimed(view, holds);
  run.setStatus(view, 'done', until);
}
