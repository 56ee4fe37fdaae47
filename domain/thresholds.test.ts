import { describe, expect, it } from 'vitest';
import { groupChange, isSilent, riseOver, step, type ThresholdState } from './thresholds.js';

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

describe('a rate-of-change rule (water rising fast)', () => {
  const history = [
    { time: '2026-07-20T03:00:00Z', value: 0.05 },
    { time: '2026-07-20T03:05:00Z', value: 0.09 },
    { time: '2026-07-20T03:10:00Z', value: 0.2 },
  ];
  it('measures the rise from the earliest reading inside the window', () => {
    expect(riseOver(history, history[2]!, 600)).toBeCloseTo(0.15);
    expect(riseOver(history, history[2]!, 300)).toBeCloseTo(0.11);
  });
  it('sees no rise without an earlier reading in the window, and a fall as negative', () => {
    expect(riseOver(history, history[0]!, 600)).toBe(0);
    expect(riseOver([...history, { time: '2026-07-20T03:12:00Z', value: 0.1 }], { time: '2026-07-20T03:12:00Z', value: 0.1 }, 120)).toBeCloseTo(-0.1);
  });
});

describe('a rule over every sensor of a zone', () => {
  it('trips with its first sensor and clears with its last', () => {
    expect(groupChange('trip', false)).toBe('trip');
    expect(groupChange('trip', true)).toBeUndefined();
    expect(groupChange('clear', true)).toBeUndefined();
    expect(groupChange('clear', false)).toBe('clear');
  });
});

describe('a silent sensor', () => {
  it('is silent once no reading has come for the allowed time, counted from the rule when it never spoke', () => {
    const now = new Date('2026-07-20T03:30:00Z');
    expect(isSilent('2026-07-20T03:14:00Z', '2026-07-01T00:00:00Z', 900, now)).toBe(true);
    expect(isSilent('2026-07-20T03:16:00Z', '2026-07-01T00:00:00Z', 900, now)).toBe(false);
    expect(isSilent(null, '2026-07-20T03:20:00Z', 900, now)).toBe(false);
  });
});
