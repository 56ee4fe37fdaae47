import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import cron, { type RunCoordinator, type ScheduledTask } from 'node-cron';
import { eq, lt } from 'drizzle-orm';
import { cronClaims, feeds, idempotencyKeys, triggerLog } from '../db/schema/index.js';
import { feedHealth } from '../domain/feed-health.js';
import type { AppDeps } from './deps.js';
import { pollFeed } from './feed-poller.js';
import { checkSilence, escalateToDutyOfficer, pruneReadings } from './sensor-rules.js';

/**
 * node-cron asks this before each slot; the first process to insert the slot's row runs it and
 * the others skip. With several API processes every feed is polled once per slot, and a process
 * that dies simply stops claiming.
 */
export function claimsCoordinator(deps: AppDeps, holder: string): RunCoordinator {
  return {
    async shouldRun(key: string) {
      const claimed = await deps.db.insert(cronClaims).values({ key: deps.config.temporal.workflowIdPrefix + key, holder, claimedAt: new Date().toISOString() }).onConflictDoNothing().returning();
      return claimed.length === 1;
    },
  };
}

export interface Scheduler { holder: string; reconcile(): Promise<void>; stop(): Promise<void> }

/**
 * The API process's clock: a cron task per registered feed, a sweep each minute for silent
 * sensors and feeds, and an hourly prune of old readings. Feeds added or changed through the API
 * of any process are picked up within `reconcileMs`.
 */
export async function startScheduler(deps: AppDeps, options: { reconcileMs?: number; holder?: string } = {}): Promise<Scheduler> {
  const holder = options.holder ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const coordinator = claimsCoordinator(deps, holder);
  const timezone = deps.config.timeZone;
  const common = { timezone, noOverlap: true, distributed: true, runCoordinator: coordinator, suppressMissedWarning: true } as const;
  const polls = new Map<string, { task: ScheduledTask; signature: string }>();
  const guard = (what: string, fn: () => Promise<unknown>) => async () => {
    try {
      await fn();
    } catch (error) {
      deps.logger.error({ err: error }, `${what} failed`);
    }
  };
  const housekeeping = [
    cron.schedule('0 * * * * *', guard('silence sweep', async () => {
      const now = new Date();
      await checkSilence(deps, now);
      await checkFeeds(deps, now);
    }), { ...common, name: 'sweep' }),
    cron.schedule('30 17 * * * *', guard('readings retention', async () => {
      const now = new Date();
      await pruneReadings(deps, now, deps.config.scheduler.readingsRetentionDays);
      const dayAgo = new Date(now.getTime() - 86_400_000).toISOString();
      await deps.db.delete(cronClaims).where(lt(cronClaims.claimedAt, dayAgo));
      await deps.db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, dayAgo));
    }), { ...common, name: 'retention' }),
  ];

  async function reconcile() {
    const list = await deps.db.select().from(feeds);
    const wanted = new Map(list.filter((f) => f.enabled).map((f) => [f.id, f]));
    for (const [id, entry] of polls) {
      const feed = wanted.get(id);
      if (!feed || `${feed.cron}|${feed.url}` !== entry.signature) {
        await entry.task.destroy();
        polls.delete(id);
      }
    }
    for (const feed of wanted.values()) {
      if (polls.has(feed.id) || !cron.validate(feed.cron)) continue;
      const task = cron.schedule(feed.cron, guard(`poll of ${feed.id}`, async () => {
        // Read the row fresh: another process may have polled, failed or backed off since.
        const current = await deps.db.query.feeds.findFirst({ where: eq(feeds.id, feed.id) });
        if (current?.enabled) await pollFeed(deps, current);
      }), { ...common, name: `feed:${feed.id}` });
      polls.set(feed.id, { task, signature: `${feed.cron}|${feed.url}` });
    }
  }
  await reconcile();
  const timer = setInterval(() => void guard('feed reconcile', reconcile)(), options.reconcileMs ?? 15_000);
  timer.unref();
  deps.logger.info({ holder, feeds: polls.size }, 'scheduler started');
  return {
    holder,
    reconcile,
    async stop() {
      clearInterval(timer);
      for (const { task } of polls.values()) await task.destroy();
      for (const task of housekeeping) await task.destroy();
      polls.clear();
    },
  };
}

/**
 * Flags feeds gone silent or failing, and while a run of level II or I covers their zones puts
 * it before the duty officer, once per silence; a feed that recovers is logged and re-armed.
 */
export async function checkFeeds(deps: AppDeps, now: Date, by = 'system:feed-watch'): Promise<{ feedId: string; health: string; escalatedTo: string[] }[]> {
  const out: { feedId: string; health: string; escalatedTo: string[] }[] = [];
  for (const feed of await deps.db.select().from(feeds)) {
    const health = feedHealth(feed, now);
    const bad = health === 'silent' || health === 'failing';
    if (!bad) {
      if (feed.escalatedAt) {
        await deps.db.update(feeds).set({ escalatedAt: null }).where(eq(feeds.id, feed.id));
        await deps.db.insert(triggerLog).values({ at: now.toISOString(), source: `feed:${feed.kind}`, identifier: feed.id, msgType: 'health', action: 'noted', zoneId: feed.zoneId, reason: `${feed.name} is answering again`, by });
      }
      continue;
    }
    if (feed.escalatedAt) continue;
    const zoneIds = feed.zoneId ? [feed.zoneId] : await cityRoots(deps);
    const text = `Feed ${feed.name} is ${health}: ${feed.lastError ?? 'no answer'}; last good poll ${feed.lastOkAt ?? 'never'}. Watch the official source by hand until it recovers.`;
    const escalatedTo = await escalateToDutyOfficer(deps, zoneIds, text, by);
    if (escalatedTo.length) {
      await deps.db.update(feeds).set({ escalatedAt: now.toISOString() }).where(eq(feeds.id, feed.id));
      await deps.db.insert(triggerLog).values({ at: now.toISOString(), source: `feed:${feed.kind}`, identifier: feed.id, msgType: 'health', action: 'escalated', zoneId: feed.zoneId, workflowId: escalatedTo[0] ?? null, reason: text, by });
    }
    out.push({ feedId: feed.id, health, escalatedTo });
  }
  return out;
}

async function cityRoots(deps: AppDeps): Promise<string[]> {
  const all = await deps.db.query.zones.findMany({ columns: { id: true, parentId: true } });
  return all.filter((z) => !z.parentId).map((z) => z.id);
}
