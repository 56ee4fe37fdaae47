import type { DrillSchedule } from '../../db/schema/drills.js';

const months = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'] as const;
type Month = (typeof months)[number];

/** The subset of Temporal's ScheduleSpec a drill uses (structurally the SDK's type). */
export interface DrillScheduleSpec {
  cronExpressions?: string[];
  calendars?: { year: number; month: Month; dayOfMonth: number; hour: number; minute: number; second: number; comment: string }[];
  skip: { year: number; month: Month; dayOfMonth: number; hour: '*'; minute: '*'; second: '*'; comment: string }[];
  timezone: string;
}

export type SpecResult = { ok: true; spec: DrillScheduleSpec; once: boolean } | { ok: false; path: string; message: string };

const cronField = /^(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$/;

/** Wall-clock parts of an instant in a time zone. */
export function localParts(at: Date, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/**
 * The Schedule spec for a drill: it fires `leadMs` before the drill starts (the drill workflow
 * tells participants, then sleeps the lead), in the city's time zone, minus the skipped dates.
 * A recurring drill with a lead needs a fixed minute and hour in its cron, and the lead may not
 * cross midnight, or the skipped dates would name the wrong day.
 */
export function scheduleSpec(schedule: DrillSchedule, leadMs: number, skipDates: string[], timeZone: string, now: Date): SpecResult {
  const skip = skipDates.map((date) => {
    const [year, month, day] = date.split('-').map(Number) as [number, number, number];
    return { year, month: months[month - 1] as Month, dayOfMonth: day, hour: '*' as const, minute: '*' as const, second: '*' as const, comment: `skip ${date}` };
  });
  if (schedule.kind === 'once') {
    const fireAt = new Date(Date.parse(schedule.at) - leadMs);
    if (fireAt.getTime() <= now.getTime()) return { ok: false, path: 'schedule.at', message: 'must be later than now plus the lead' };
    const p = localParts(fireAt, timeZone);
    return { ok: true, once: true, spec: { calendars: [{ year: p.year, month: months[p.month - 1] as Month, dayOfMonth: p.day, hour: p.hour, minute: p.minute, second: p.second, comment: `once at ${schedule.at}` }], skip, timezone: timeZone } };
  }
  const fields = schedule.cron.trim().split(/\s+/);
  if (fields.length !== 5 || !fields.every((f) => cronField.test(f))) return { ok: false, path: 'schedule.cron', message: 'must be five cron fields: minute hour day-of-month month day-of-week' };
  if (leadMs === 0) return { ok: true, once: false, spec: { cronExpressions: [fields.join(' ')], skip, timezone: timeZone } };
  const [minute, hour, ...rest] = fields as [string, string, string, string, string];
  if (!/^\d+$/.test(minute) || !/^\d+$/.test(hour)) return { ok: false, path: 'schedule.cron', message: 'with a lead, give a fixed minute and hour (for example "0 9 1 * *")' };
  if (leadMs % 60_000 !== 0) return { ok: false, path: 'lead', message: 'must be whole minutes for a recurring drill' };
  const fire = Number(hour) * 60 + Number(minute) - leadMs / 60_000;
  if (fire < 0) return { ok: false, path: 'lead', message: 'must not reach back before midnight of the drill day' };
  return { ok: true, once: false, spec: { cronExpressions: [[fire % 60, Math.floor(fire / 60), ...rest].join(' ')], skip, timezone: timeZone } };
}
