import { describe, expect, it } from 'vitest';
import { scheduleSpec } from './schedule.js';

const now = new Date('2026-11-30T12:00:00Z');

describe('a drill schedule', () => {
  it('fires a recurring drill its lead ahead, in the city time zone, skipping holidays all day', () => {
    const out = scheduleSpec({ kind: 'recurring', cron: '0 9 1 * *' }, 30 * 60_000, ['2026-10-01'], 'Asia/Shanghai', now);
    expect(out).toEqual({ ok: true, once: false, spec: {
      cronExpressions: ['30 8 1 * *'], timezone: 'Asia/Shanghai',
      skip: [{ year: 2026, month: 'OCTOBER', dayOfMonth: 1, hour: '*', minute: '*', second: '*', comment: 'skip 2026-10-01' }],
    } });
  });

  it('passes any cron through when there is no lead', () => {
    const out = scheduleSpec({ kind: 'recurring', cron: '*/15 8-18 * * 1-5' }, 0, [], 'Asia/Shanghai', now);
    expect(out.ok && out.spec.cronExpressions).toEqual(['*/15 8-18 * * 1-5']);
  });

  it('turns a one-off drill into a calendar at the local wall-clock time of its firing', () => {
    const out = scheduleSpec({ kind: 'once', at: '2026-12-05T10:00:00+08:00' }, 15 * 60_000, [], 'Asia/Shanghai', now);
    expect(out).toMatchObject({ ok: true, once: true, spec: { calendars: [{ year: 2026, month: 'DECEMBER', dayOfMonth: 5, hour: 9, minute: 45, second: 0 }] } });
  });

  it('refuses what it cannot keep: a past one-off, a lead across midnight, a lead with a wildcard hour, a malformed cron', () => {
    expect(scheduleSpec({ kind: 'once', at: '2026-11-30T12:10:00Z' }, 15 * 60_000, [], 'UTC', now)).toMatchObject({ ok: false, path: 'schedule.at' });
    expect(scheduleSpec({ kind: 'recurring', cron: '10 0 * * *' }, 30 * 60_000, [], 'UTC', now)).toMatchObject({ ok: false, path: 'lead' });
    expect(scheduleSpec({ kind: 'recurring', cron: '0 * * * *' }, 60_000, [], 'UTC', now)).toMatchObject({ ok: false, path: 'schedule.cron' });
    expect(scheduleSpec({ kind: 'recurring', cron: 'every monday' }, 0, [], 'UTC', now)).toMatchObject({ ok: false, path: 'schedule.cron' });
  });
});
