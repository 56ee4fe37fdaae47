export interface Threshold { above: number; clearBelow: number; sustainedSeconds: number }
export interface ThresholdState { tripped: boolean; overSince: string | null; lastTime: string | null }
export type Change = 'trip' | 'clear' | undefined;

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
