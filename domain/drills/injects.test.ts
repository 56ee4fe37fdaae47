import { describe, expect, it } from 'vitest';
import type { ThresholdState } from '../thresholds.js';
import { decideInject } from './injects.js';

const run = { hazard: 'heavy-rain', level: 'III' as const, levels: ['IV', 'III', 'II', 'I'] as const };
const rule = { id: 'r1', hazard: 'heavy-rain', level: 'II', above: 0.27, clearBelow: 0.15, sustainedSeconds: 0 };

describe('a drill inject', () => {
  it('escalates on a warning above the run level and notes one at or below it', () => {
    const none = { name: '', rules: [], state: new Map<string, ThresholdState>() };
    expect(decideInject({ id: 'w', at: '5m', kind: 'warning', level: 'II', headline: 'orange' }, run, none, '2026-12-01T01:05:00Z')).toEqual([{ kind: 'escalate', level: 'II', reason: 'drill warning w: orange' }]);
    expect(decideInject({ id: 'w', at: '5m', kind: 'warning', level: 'IV', headline: 'blue' }, run, none, '2026-12-01T01:05:00Z')).toEqual([{ kind: 'note', reason: 'drill warning w: blue (level IV)' }]);
  });

  it("goes through the sensor's rules with the drill's own state: trip, then clear", () => {
    const sensor = { name: 'gauge', rules: [rule], state: new Map<string, ThresholdState>() };
    expect(decideInject({ id: 'r', at: '1m', kind: 'reading', sensorId: 's', value: 0.3, unit: 'm' }, run, sensor, '2026-12-01T01:01:00Z')).toEqual([{ kind: 'escalate', level: 'II', reason: 'drill reading r: gauge 0.3 m, at or above 0.27' }]);
    expect(decideInject({ id: 'r2', at: '2m', kind: 'reading', sensorId: 's', value: 0.1 }, run, sensor, '2026-12-01T01:02:00Z')).toEqual([{ kind: 'sensors-clear', reason: 'drill reading r2: gauge 0.1, back under 0.15' }]);
  });

  it('notes a reading no rule acts on', () => {
    const sensor = { name: 'gauge', rules: [{ ...rule, hazard: 'strong-wind' }], state: new Map<string, ThresholdState>() };
    expect(decideInject({ id: 'r', at: '1m', kind: 'reading', sensorId: 's', value: 0.3 }, run, sensor, '2026-12-01T01:01:00Z')).toEqual([{ kind: 'note', reason: 'drill reading r: gauge 0.3' }]);
  });
});
