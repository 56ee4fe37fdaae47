import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { runEvents, runs, tasks as taskRows } from '../db/schema/index.js';
import type { SyncRunInput } from './types.js';

/**
 * Writes a run's row and a batch of its timeline in one transaction. Idempotent: the row is
 * upserted and each event is keyed, so a retry after a crash neither duplicates nor loses.
 */
export async function syncRun(db: Db, input: SyncRunInput): Promise<void> {
  const { run, events, tasks, snapshot } = input;
  const now = new Date().toISOString();
  await db.transaction(async (tx) => {
    await tx
      .insert(runs)
      .values({ ...run, closedAt: run.closedAt ?? null, closedReason: run.closedReason ?? null, updatedAt: now, snapshot: snapshot ?? null })
      .onConflictDoUpdate({
        target: runs.id,
        set: {
          // The API may have written the row first, before Temporal named the run.
          temporalRunId: run.temporalRunId,
          level: run.level,
          status: run.status,
          closedAt: run.closedAt ?? null,
          closedReason: run.closedReason ?? null,
          updatedAt: now,
          ...(snapshot === undefined ? {} : { snapshot }),
        },
        // A stale retry must not reopen a run a later write already closed.
        setWhere: sql`${runs.status} = 'open' OR excluded.status = 'closed'`,
      });
    if (events.length) {
      await tx
        .insert(runEvents)
        .values(events.map((e) => ({ runId: run.id, key: e.key, at: e.at, type: e.type, actor: e.actor, message: e.message, data: e.data })))
        .onConflictDoNothing();
    }
    for (const t of tasks) {
      const row = {
        id: t.id, runId: run.id, code: t.code, kind: t.kind, stepId: t.stepId, title: t.title['zh-CN'], zoneId: t.zoneId,
        facilityId: t.facilityId ?? null, crewId: t.crewId ?? null, status: t.status, createdAt: t.createdAt,
        assignedAt: t.assignedAt ?? null, acknowledgedAt: t.acknowledgedAt ?? null, doneAt: t.doneAt ?? null, verifiedAt: t.verifiedAt ?? null, updatedAt: now,
      };
      const { id: _id, runId: _runId, createdAt: _createdAt, ...changes } = row;
      await tx.insert(taskRows).values(row).onConflictDoUpdate({ target: taskRows.id, set: changes });
    }
  });
}
