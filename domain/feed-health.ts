/** How a polled feed is doing, as the board shows it. */
export type FeedHealth = 'ok' | 'pending' | 'failing' | 'silent' | 'disabled';

export interface FeedHealthInput { enabled: boolean; createdAt: string; lastOkAt: string | null; failures: number; silentAfterSeconds: number }

/** Failing after three failed polls in a row; silent when no poll has succeeded for the allowed time. */
export function feedHealth(feed: FeedHealthInput, now: Date): FeedHealth {
  if (!feed.enabled) return 'disabled';
  if (feed.failures >= 3) return 'failing';
  const since = Date.parse(feed.lastOkAt ?? feed.createdAt);
  if (now.getTime() - since >= feed.silentAfterSeconds * 1000) return 'silent';
  return feed.lastOkAt ? 'ok' : 'pending';
}

/** Exponential back-off after failed polls: 30 s, 1 min, 2 min, ... up to 30 minutes. */
export function backoffMs(failures: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, failures - 1), 30 * 60_000);
}
