import { describe, expect, it } from 'vitest';
import { auditLog } from './schema/access.js';
import { testDatabase } from '../test/harness.js';
import { createGroupCommit } from './group-commit.js';

const row = (i: number) => ({ at: new Date().toISOString(), actorType: 'key' as const, actor: 'key:gateway', action: 'POST /api/sensors/readings', target: '/api/sensors/readings', outcome: '202', ip: '127.0.0.1', details: { i } });

describe('group commit', () => {
  it('answers each caller only once its writes are committed, however many write at once', async () => {
    const database = await testDatabase({ seed: false });
    try {
      const commit = createGroupCommit(database.db);
      const seen = await Promise.all(Array.from({ length: 300 }, async (_, i) => {
        await commit([database.db.insert(auditLog).values(row(i)), database.db.insert(auditLog).values(row(1000 + i))]);
        const rows = await database.db.select().from(auditLog);
        return rows.some((r) => (r.details as { i?: number }).i === i) && rows.some((r) => (r.details as { i?: number }).i === 1000 + i);
      }));
      expect(seen.every(Boolean)).toBe(true);
      expect(await database.db.$count(auditLog)).toBe(600);
    } finally {
      database.dispose();
    }
  });

  it('fails only the caller whose write is bad, keeping its writes all-or-nothing, not those that shared its commit', async () => {
    const database = await testDatabase({ seed: false });
    try {
      const commit = createGroupCommit(database.db);
      const bad = { ...row(1), actor: null } as unknown as ReturnType<typeof row>;
      const results = await Promise.allSettled([
        commit([database.db.insert(auditLog).values(row(0))]),
        commit([database.db.insert(auditLog).values(row(10)), database.db.insert(auditLog).values(bad)]),
        commit([database.db.insert(auditLog).values(row(2))]),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      const kept = (await database.db.select().from(auditLog)).map((r) => (r.details as { i: number }).i).sort((a, b) => a - b);
      expect(kept).toEqual([0, 2]);
    } finally {
      database.dispose();
    }
  });
});
