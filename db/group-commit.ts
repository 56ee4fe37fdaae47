import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from './client.js';

type Statements = [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]];
interface Waiting { statements: Statements; done: () => void; failed: (error: unknown) => void }

/**
 * Group commit: the writes of requests that arrive while one transaction commits go into the
 * next transaction together, so concurrent requests share one fsync instead of queueing for one
 * each. Every caller still waits until its own writes are durable, and each caller's writes stay
 * all-or-nothing: if a shared transaction fails, each caller's part is retried on its own, so
 * one bad write fails only its own request.
 */
export function createGroupCommit(db: Db): (statements: Statements) => Promise<void> {
  const queue: Waiting[] = [];
  let committing = false;
  const commitNext = () => {
    if (committing || !queue.length) return;
    committing = true;
    const group = queue.splice(0, 200);
    const all = group.flatMap((w) => w.statements) as Statements;
    db.batch(all).then(
      () => { for (const w of group) w.done(); },
      () => Promise.all(group.map((w) => db.batch(w.statements).then(w.done, w.failed))),
    ).finally(() => {
      committing = false;
      commitNext();
    });
  };
  return (statements) => new Promise<void>((done, failed) => {
    queue.push({ statements, done, failed });
    // Writes of the same tick go together even when nothing is being committed yet.
    if (queue.length === 1) setImmediate(commitNext);
  });
}

const committers = new WeakMap<Db, (statements: Statements) => Promise<void>>();

/** One group committer per database handle, shared by every request of the process. */
export function groupCommitFor(db: Db): (statements: Statements) => Promise<void> {
  let commit = committers.get(db);
  if (!commit) {
    commit = createGroupCommit(db);
    committers.set(db, commit);
  }
  return commit;
}
