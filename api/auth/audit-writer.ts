import type { Db } from '../../db/client.js';
import { auditLog } from '../../db/schema/access.js';

type AuditRow = typeof auditLog.$inferInsert;
interface Waiting { row: AuditRow; done: () => void; failed: (error: unknown) => void }

/**
 * Group commit for the audit log: rows that arrive while one insert is being committed go in the
 * next insert together, so concurrent writes share one fsync instead of queueing for one each.
 * Every caller still waits until its own row is durable, so nothing is answered unaudited.
 */
export function createAuditWriter(db: Db): (row: AuditRow) => Promise<void> {
  let queue: Waiting[] = [];
  let committing: Promise<void> | undefined;
  const commitNext = () => {
    if (committing || !queue.length) return;
    const batch = queue.splice(0, 500);
    committing = db.insert(auditLog).values(batch.map((w) => w.row)).then(
      () => { for (const w of batch) w.done(); },
      // One bad row must not fail the requests that merely shared its commit: each goes alone.
      () => Promise.all(batch.map((w) => db.insert(auditLog).values(w.row).then(w.done, w.failed))),
    ).finally(() => {
      committing = undefined;
      commitNext();
    });
  };
  return (row) => new Promise<void>((done, failed) => {
    queue.push({ row, done, failed });
    // Rows of the same tick go together even when nothing is being committed yet.
    if (queue.length === 1) setImmediate(commitNext);
  });
}

const writers = new WeakMap<Db, (row: AuditRow) => Promise<void>>();

/** One writer per database handle, shared by every request of the process. */
export function auditWriterFor(db: Db): (row: AuditRow) => Promise<void> {
  let writer = writers.get(db);
  if (!writer) {
    writer = createAuditWriter(db);
    writers.set(db, writer);
  }
  return writer;
}
