import { getTableColumns, gte } from 'drizzle-orm';
import { runs } from '../db/schema/index.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../config/logger.js';

/** A run as the live board shows it (the row without its snapshot). */
export type LiveRun = Omit<typeof runs.$inferSelect, 'snapshot' | 'temporalRunId'>;
type Listener = (changed: LiveRun[]) => void;

/**
 * One poller per process, however many consoles listen: every `intervalMs` it reads the runs
 * whose row changed (the worker's syncRun stamps `updatedAt` on every change) and hands them to
 * every subscriber. It runs only while someone listens, so an idle API touches nothing.
 */
export function liveRuns(db: Db, logger: Logger, intervalMs = 1000) {
  const listeners = new Set<Listener>();
  let timer: ReturnType<typeof setInterval> | undefined;
  let since = '';
  // Rows stamped in the same millisecond as the last look are read again; this keeps each sent once.
  let sent = new Map<string, string>();
  let busy = false;

  async function look(): Promise<void> {
    if (busy) return;
    busy = true;
    try {
      // Every column the board shows, not the snapshot (the largest): this runs every second.
      const { snapshot: _s, temporalRunId: _t, ...columns } = getTableColumns(runs);
      const rows = await db.select(columns).from(runs).where(gte(runs.updatedAt, since)).orderBy(runs.updatedAt);
      const fresh = rows.filter((r) => sent.get(r.id) !== r.updatedAt);
      if (!fresh.length) return;
      const last = fresh[fresh.length - 1]?.updatedAt ?? since;
      sent = new Map(fresh.filter((r) => r.updatedAt === last).map((r) => [r.id, r.updatedAt]));
      since = last;
      for (const listener of listeners) listener(fresh);
    } catch (error) {
      logger.warn({ err: error }, 'live runs poll failed; trying again next tick');
    } finally {
      busy = false;
    }
  }

  return {
    /** Calls `listener` with every batch of changed runs until the returned function is called. */
    subscribe(listener: Listener): () => void {
      listeners.add(listener);
      if (!timer) {
        since = new Date().toISOString();
        sent = new Map();
        timer = setInterval(() => void look(), intervalMs);
      }
      return () => {
        listeners.delete(listener);
        if (!listeners.size && timer) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
  };
}
