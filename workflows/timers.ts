import { condition } from '@temporalio/workflow';
import type { Clock, StepView } from './messages.js';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Waits up to `ms` for `done()`. While `paused()` the clock stops and the remaining time is kept
 * on `clock`, so pause/resume and continue-as-new lose nothing. Returns true when `done()` held,
 * false on timeout. If cancelled, the timer stays on the clock for the next run to resume.
 */
export async function timed(clock: Clock, paused: () => boolean, ms: number, done: () => boolean): Promise<boolean> {
  const result = await countDown(clock, paused, ms, done);
  delete clock.timerEndsAt;
  delete clock.timerRemainingMs;
  return result;
}

/** `timed` on a step's own clock and pause switch. */
export function timedStep(step: StepView, ms: number, done: () => boolean): Promise<boolean> {
  return timed(step, () => step.paused, ms, done);
}

async function countDown(clock: Clock, paused: () => boolean, ms: number, done: () => boolean): Promise<boolean> {
  let remaining = clock.timerRemainingMs ?? (clock.timerEndsAt ? Date.parse(clock.timerEndsAt) - Date.now() : ms);
  for (;;) {
    if (done()) return true;
    if (paused()) {
      clock.timerRemainingMs = remaining;
      delete clock.timerEndsAt;
      await condition(() => !paused() || done());
      continue;
    }
    if (remaining <= 0) return false;
    const started = Date.now();
    delete clock.timerRemainingMs;
    clock.timerEndsAt = iso(started + remaining);
    const woke = await condition(() => done() || paused(), remaining);
    if (!woke) return done();
    remaining -= Date.now() - started;
  }
}

/** Waits for `done()` with no deadline, but not while the step is paused. */
export async function untimed(step: StepView, done: () => boolean): Promise<void> {
  await condition(() => done() && !step.paused);
}
