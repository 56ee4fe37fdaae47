/** `timeZone`'s offset from UTC at the instant `utcMs`, in ms (from Intl, so summer time is right wherever the city is). */
function offsetMs(utcMs: number, timeZone: string): number {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    .formatToParts(new Date(utcMs)).map((p) => [p.type, p.value]));
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)) - Math.floor(utcMs / 1000) * 1000;
}

/**
 * A wall-clock time as read in `timeZone` ("2026-07-01T08:00", what a datetime-local input
 * gives) as an ISO instant, whatever the zone of the device it was typed on.
 */
export function wallClockToIso(local: string, timeZone: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!match) throw new RangeError(`not a local date and time: ${local}`);
  const [, y, m, d, hh, mm] = match.map(Number);
  const asUtc = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, hh ?? 0, mm ?? 0);
  // Two passes settle the offset when a summer-time change falls between the guess and the answer.
  const first = asUtc - offsetMs(asUtc, timeZone);
  return new Date(asUtc - offsetMs(first, timeZone)).toISOString();
}
