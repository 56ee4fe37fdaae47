import { describe, expect, it } from 'vitest';
import { step, type ThresholdState } from './thresholds.js';

const rule = { above: 0.27, clearBelow: 0.15, sustainedSeconds: 120 };
const run = (values: [string, number][]) => {
  let state: ThresholdState = { tripped: false, overSince: null, lastTime: null };
  return values.map(([time, value]) => {
    const out = step(rule, state, { time: `2026-07-20T${time}Z`, value });
    state = out.state;
    return out.change ?? '-';
  });
};

describe('a threshold with hysteresis (underpass water depth)', () => {
  it('trips only after the water has stayed at the closing depth for the sustained time', () => {
    expect(run([['03:00:00', 0.28], ['03:01:00', 0.3], ['03:02:00', 0.29]])).toEqual(['-', '-', 'trip']);
  });
  it('does not flap while the value hovers between the clear level and the threshold', () => {
    expect(run([['03:00:00', 0.3], ['03:02:00', 0.3], ['03:03:00', 0.2], ['03:04:00', 0.28], ['03:06:00', 0.28], ['03:07:00', 0.1]])).toEqual(['-', 'trip', '-', '-', '-', 'clear']);
  });
  it('restarts the sustained clock when the value dips under the threshold, and ignores readings out of order', () => {
    expect(run([['03:00:00', 0.3], ['03:01:00', 0.2], ['03:02:00', 0.3], ['03:01:30', 0.5], ['03:03:00', 0.3], ['03:04:00', 0.3]])).toEqual(['-', '-', '-', '-', '-', 'trip']);
  });
});
