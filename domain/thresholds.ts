export interface Threshold { above: number; clearBelow: number; sustainedSeconds: number }
export interface ThresholdState { tripped: boolean; overSince: string | null; lastTime: string | null }
export type Change = 'trip' | 'clear' | undefined;

/** A rule that has seen nothing yet. */
export const initialThresholdState: ThresholdState = Object.freeze({ tripped: false, overSince: null, lastTime: null });

/**
 * One reading through a threshold with hysteresis: trips once the value has stayed at or above
 * `above` for `sustainedSeconds`, clears only when it falls under `clearBelow` (so a value that
 * hovers at the line does not flap). Readings older than the last one seen change nothing.
 */
export function step(rule: Threshold, state: ThresholdState, reading: { time: string; value: number }): { state: ThresholdState; change: Change } {
  if (state.lastTime && reading.time <= state.lastTime) return { state, change: undefined };
  const next: ThresholdState = { ...state, lastTime: reading.time };
  if (reading.value >= rule.above) {
    next.overSince = state.overSince ?? reading.time;
    const held = (Date.parse(reading.time) - Date.parse(next.overSince)) / 1000;
    if (!state.tripped && held >= rule.sustainedSeconds) return { state: { ...next, tripped: true }, change: 'trip' };
    return { state: next, change: undefined };
  }
  next.overSince = null;
  if (state.tripped && reading.value < rule.clearBelow) return { state: { ...next, tripped: false }, change: 'clear' };
  return { state: next, change: undefined };
}

export interface Sample { time: string; value: number }

/**
 * The rise over the window ending at `at`: the value then minus the earliest value inside the
 * window (a falling value gives a negative rise). `history` is one sensor's readings, any order.
 */
export function riseOver(history: readonly Sample[], at: Sample, windowSeconds: number): number {
  const from = Date.parse(at.time) - windowSeconds * 1000;
  let first: Sample | undefined;
  for (const s of history) {
    const t = Date.parse(s.time);
    if (t < from || s.time > at.time) continue;
    if (!first || s.time < first.time) first = s;
  }
  return first ? at.value - first.value : 0;
}

/**
 * A rule over several sensors (every water gauge in a street) trips with the first of them and
 * clears with the last: the run hears once, and stand-down waits for all of them.
 */
export function groupChange(change: Change, othersTripped: boolean): Change {
  return othersTripped ? undefined : change;
}

/** Whether a sensor has been silent longer than allowed, given its last reading's time. */
export function isSilent(lastTime: string | null, since: string, silentSeconds: number, now: Date): boolean {
  const last = Date.parse(lastTime ?? since);
  return now.getTime() - last >= silentSeconds * 1000;
}
