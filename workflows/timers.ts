import { condition } from '@temporalio/workflow';
import type { StepView } from './messages.js';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Waits up to `ms` for `done()`, honouring the step's pause: while paused the clock stops and
 * the remaining time is kept on the step, so pause/resume and continue-as-new lose nothing.
 * Returns true when `done()` held, false on timeout. If cancelled, the timer stays on the step.
 */
export async function timed(step: StepView, ms: number, done: () => boolean): Promise<boolean> {
  const result = await countDown(step, ms, done);
  delete step.timerEndsAt;
  delete step.timerRemainingMs;
  return result;
}

async function countDown(step: StepView, ms: number, done: () => boolean): Promise<boolean> {
  let remaining = step.timerRemainingMs ?? (step.timerEndsAt ? Date.parse(step.timerEndsAt) - Date.now() : ms);
  for (;;) {
    if (done()) return true;
    if (step.paused) {
      step.timerRemainingMs = remaining;
      delete step.timerEndsAt;
      await condition(() => !step.paused || done());
      continue;
    }
    if (remaining <= 0) return false;
    const started = Date.now();
    delete step.timerRemainingMs;
    step.timerEndsAt = iso(started + remaining);
    const woke = await condition(() => done() || step.paused, remaining);
    if (!woke) return done();
    remaining -= Date.now() - started;
  }
}

/** Waits for `done()` with no deadline, but not while the step is paused. */
export async function untimed(step: StepView, done: () => boolean): Promise<void> {
  await condition(() => done() && !step.paused);
}
