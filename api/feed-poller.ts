import { eq } from 'drizzle-orm';
import { feeds, triggerLog } from '../db/schema/index.js';
import { backoffMs } from '../domain/feed-health.js';
import { parseCap } from '../domain/warnings/cap.js';
import { parseNws, parseQWeather } from '../domain/warnings/feeds.js';
import { WarningParseError, type Warning } from '../domain/warnings/types.js';
import type { AppDeps } from './deps.js';
import { handleWarnings, type TriggerOutcome } from './triggers-service.js';

type Feed = typeof feeds.$inferSelect;
export type PollResult =
  | { feedId: string; result: 'changed'; status: number; outcomes: TriggerOutcome[] }
  | { feedId: string; result: 'unchanged'; status: 304 }
  | { feedId: string; result: 'backing-off'; until: string }
  | { feedId: string; result: 'failed'; status?: number; error: string; backoffUntil: string };

/** Big enough for a national CAP or NWS feed; a body beyond it is a broken feed, not a bigger buffer. */
const MAX_FEED_BYTES = 10 * 1024 * 1024;

/**
 * One poll of a registered feed: asks "changed since?" with the ETag and Last-Modified the last
 * answer gave, hands a changed body to the same decisions as a pushed one, and on failure (an
 * error status, a timeout, a body that does not parse) counts it and backs off exponentially.
 */
export async function pollFeed(deps: AppDeps, feed: Feed, now = new Date(), fetchImpl: typeof fetch = fetch): Promise<PollResult> {
  if (feed.backoffUntil && Date.parse(feed.backoffUntil) > now.getTime()) return { feedId: feed.id, result: 'backing-off', until: feed.backoffUntil };
  const headers: Record<string, string> = { accept: accepts[feed.kind], 'user-agent': 'Stormdesk (duty office feed poller)' };
  if (feed.etag) headers['if-none-match'] = feed.etag;
  if (feed.lastModified) headers['if-modified-since'] = feed.lastModified;
  let status: number | undefined;
  try {
    const response = await fetchImpl(feed.url, { headers, signal: AbortSignal.timeout(deps.config.scheduler.feedTimeoutMs), redirect: 'follow' });
    status = response.status;
    if (status === 304) {
      await deps.db.update(feeds).set({ lastPolledAt: now.toISOString(), lastOkAt: now.toISOString(), lastStatus: 304, failures: 0, lastError: null, backoffUntil: null }).where(eq(feeds.id, feed.id));
      return { feedId: feed.id, result: 'unchanged', status: 304 };
    }
    if (!response.ok) throw new FeedError(`answered ${status} ${response.statusText}`.trim());
    const text = await readCapped(response, MAX_FEED_BYTES);
    const warnings = parse(feed, text);
    const mapping = deps.trigger?.mapping;
    if (!mapping) throw new FeedError('warning triggers are not configured on this instance');
    const outcomes = await handleWarnings(deps, mapping, warnings, { zoneId: feed.zoneId ?? undefined, by: `feed:${feed.id}`, now });
    await deps.db.update(feeds).set({
      lastPolledAt: now.toISOString(), lastOkAt: now.toISOString(), lastStatus: status, failures: 0, lastError: null, backoffUntil: null,
      etag: response.headers.get('etag'), lastModified: response.headers.get('last-modified'),
    }).where(eq(feeds.id, feed.id));
    return { feedId: feed.id, result: 'changed', status, outcomes };
  } catch (error) {
    const message = describe(error);
    const failures = feed.failures + 1;
    const backoffUntil = new Date(now.getTime() + backoffMs(failures)).toISOString();
    await deps.db.update(feeds).set({ lastPolledAt: now.toISOString(), lastStatus: status ?? null, failures, lastError: message, backoffUntil }).where(eq(feeds.id, feed.id));
    await deps.db.insert(triggerLog).values({ at: now.toISOString(), source: `feed:${feed.kind}`, identifier: feed.id, msgType: 'poll', action: 'failed', zoneId: feed.zoneId, reason: `${feed.name}: ${message}; failure ${failures} in a row, next try after ${backoffUntil}`, by: `feed:${feed.id}` });
    deps.logger.warn({ feedId: feed.id, failures, error: message }, 'feed poll failed');
    return { feedId: feed.id, result: 'failed', ...(status ? { status } : {}), error: message, backoffUntil };
  }
}

const accepts: Record<Feed['kind'], string> = {
  cap: 'application/cap+xml, application/xml;q=0.9, text/xml;q=0.8',
  nws: 'application/geo+json, application/json;q=0.9',
  qweather: 'application/json',
};

class FeedError extends Error {}

function parse(feed: Feed, text: string): Warning[] {
  if (feed.kind === 'cap') return [parseCap(text)];
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new FeedError('the body is not valid JSON');
  }
  return feed.kind === 'nws' ? parseNws(body) : parseQWeather(body);
}

function describe(error: unknown): string {
  if (error instanceof WarningParseError) return `the body does not parse: ${error.path}: ${error.problem}`;
  if (error instanceof FeedError) return error.message;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'no answer within the timeout';
  if (error instanceof Error) return `could not be reached: ${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}`;
  return String(error);
}

async function readCapped(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new FeedError(`the body is larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
}
