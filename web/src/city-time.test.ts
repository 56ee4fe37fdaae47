import { describe, expect, it } from 'vitest';
import { wallClockToIso } from './city-time';

describe('wallClockToIso', () => {
  it("reads a typed time on the city's clock, not the device's", () => {
    expect(wallClockToIso('2026-07-01T08:00', 'Asia/Shanghai')).toBe('2026-07-01T00:00:00.000Z');
    expect(wallClockToIso('2026-01-01T00:30', 'Asia/Shanghai')).toBe('2025-12-31T16:30:00.000Z');
  });

  it('follows summer time on both sides of a change', () => {
    expect(wallClockToIso('2026-03-07T12:00', 'America/New_York')).toBe('2026-03-07T17:00:00.000Z');
    expect(wallClockToIso('2026-03-09T12:00', 'America/New_York')).toBe('2026-03-09T16:00:00.000Z');
  });

  it('refuses what is not a date and time', () => {
    expect(() => wallClockToIso('tomorrow', 'Asia/Shanghai')).toThrow(RangeError);
  });
});
