import { describe, expect, it } from 'vitest';
import { isMoreSevere, levelMatches } from './levels.js';
import { parseDuration } from './duration.js';

describe('response levels', () => {
  it('orders I (red) above IV (blue)', () => {
    expect(isMoreSevere('I', 'II')).toBe(true);
    expect(isMoreSevere('IV', 'III')).toBe(false);
  });

  it('matches step conditions by list, minimum and maximum level', () => {
    expect(levelMatches(undefined, 'IV')).toBe(true);
    expect(levelMatches({ levels: ['I', 'II'] }, 'III')).toBe(false);
    expect(levelMatches({ minLevel: 'II' }, 'I')).toBe(true);
    expect(levelMatches({ minLevel: 'II' }, 'III')).toBe(false);
    expect(levelMatches({ maxLevel: 'III' }, 'II')).toBe(false);
  });
});

describe('durations', () => {
  it('parses playbook durations to milliseconds', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(() => parseDuration('soon')).toThrow('not a duration');
  });
});
