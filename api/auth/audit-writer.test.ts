import { describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema/access.js';
import { testDatabase } from '../../test/harness.js';
import { createAuditWriter } from './audit-writer.js';

const row = (i: number) => ({ at: new Date().toISOString(), actorType: 'key', actor: 'key:gateway', action: 'POST /api/sensors/readings', target: '/api/sensors/readings', outcome: '202', ip: '127.0.0.1', details: { i } });

describe('the audit writer', () => {
  it("answers each caller only once its row is committed, however many write at once", async () => {
    const database = await testDatabase({ seed: false });
    try {
      const write = createAuditWriter(database.db);
      const seen = await Promise.all(Array.from({ length: 300 }, async (_, i) => {
        await write(row(i));
        const rows = await database.db.select().from(auditLog);
        return rows.some((r) => (r.details as { i?: number }).i === i);
      }));
      expect(seen.every(Boolean)).toBe(true);
      expect(await database.db.$count(auditLog)).toBe(300);
    } finally {
      database.dispose();
    }
  });

  it('fails only the caller whose row is bad, not those that shared its commit', async () => {
    const database = await testDatabase({ seed: false });
    try {
      const write = createAuditWriter(database.db);
      const bad = { ...row(1), actor: null } as unknown as ReturnType<typeof row>;
      const results = await Promise.allSettled([write(row(0)), write(bad), write(row(2))]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await database.db.$count(auditLog)).toBe(2);
    } finally {
      database.dispose();
    }
  });
});
