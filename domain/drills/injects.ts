import type { Inject } from '../../db/schema/drills.js';
import { isMoreSevere, type Level } from '../levels.js';
import { initialThresholdState, step, type Threshold, type ThresholdState } from '../thresholds.js';

/** A sensor's threshold rule as a drill reading goes through it. */
export type InjectRule = Threshold & { id: string; hazard: string; level: string };

/** What one inject asks of the drill run, decided as a real trigger would decide it. */
export type InjectDecision =
  | { kind: 'escalate'; level: Level; reason: string }
  | { kind: 'note'; reason: string }
  | { kind: 'sensors-clear'; reason: string };

/**
 * A warning at a level above the run's escalates it (if the playbook has that level), anything
 * else is noted, as triggerUpdate does for real warnings. A reading goes through the sensor's
 * threshold rules for the run's hazard with the drill's own rule state (a drill never moves a
 * real rule): a trip escalates or notes, a clear reports sensors-clear, no change is noted.
 */
export function decideInject(inject: Inject, run: { hazard: string; level: Level; levels: readonly Level[] }, sensor: { name: string; rules: InjectRule[]; state: Map<string, ThresholdState> }, at: string): InjectDecision[] {
  const raise = (level: Level, reason: string): InjectDecision =>
    (isMoreSevere(level, run.level) && run.levels.includes(level) ? { kind: 'escalate', level, reason } : { kind: 'note', reason: `${reason} (level ${level})` });
  if (inject.kind === 'warning') return [raise(inject.level, `drill warning ${inject.id}: ${inject.headline}`)];
  const reading = `drill reading ${inject.id}: ${sensor.name} ${inject.value}${inject.unit ? ` ${inject.unit}` : ''}`;
  const decisions: InjectDecision[] = [];
  for (const rule of sensor.rules.filter((r) => r.hazard === run.hazard)) {
    const before = sensor.state.get(rule.id) ?? initialThresholdState;
    const out = step(rule, before, { time: at, value: inject.value });
    sensor.state.set(rule.id, out.state);
    if (out.change === 'trip') decisions.push(raise(rule.level as Level, `${reading}, at or above ${rule.above}`));
    if (out.change === 'clear') decisions.push({ kind: 'sensors-clear', reason: `${reading}, back under ${rule.clearBelow}` });
  }
  return decisions.length ? decisions : [{ kind: 'note', reason: reading }];
}
