import { describe, expect, it } from 'vitest';
import { backoffMs, feedHealth } from './feed-health.js';

const now = new Date('2026-07-20T03:00:00Z');
const feed = { enabled: true, createdAt: '2026-07-20T00:00:00Z', lastOkAt: '2026-07-20T02:55:00Z', failures: 0, silentAfterSeconds: 1800 };

describe('feed health', () => {
  it('is ok after a recent success, pending before the first, and disabled when switched off', () => {
    expect(feedHealth(feed, now)).toBe('ok');
    expect(feedHealth({ ...feed, lastOkAt: null, createdAt: '2026-07-20T02:59:00Z' }, now)).toBe('pending');
    expect(feedHealth({ ...feed, enabled: false, failures: 9 }, now)).toBe('disabled');
  });
  it('is failing after three failures in a row, and silent when nothing succeeded for the allowed time', () => {
    expect(feedHealth({ ...feed, failures: 2 }, now)).toBe('ok');
    expect(feedHealth({ ...feed, failures: 3 }, now)).toBe('failing');
    expect(feedHealth({ ...feed, lastOkAt: '2026-07-20T02:30:00Z' }, now)).toBe('silent');
    expect(feedHealth({ ...feed, lastOkAt: null }, now)).toBe('silent');
  });
  it('backs off exponentially, capped at half an hour', () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(backoffMs(20)).toBe(1_800_000);
  });
});
