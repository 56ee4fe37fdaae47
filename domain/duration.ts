const unitMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses "30s", "10m", "1.5h", "2d" into milliseconds; throws on anything else. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  return Math.round(Number(match[1]) * unitMs[match[2] as keyof typeof unitMs]);
}

/** Durations a run may wait: at least `minMs`, at most 30 days (longer runs continue as new, timers do not). */
export function inRange(ms: number, minMs: number): boolean {
  return ms >= minMs && ms <= 30 * 86_400_000;
}
