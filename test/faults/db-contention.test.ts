import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { openDatabase } from '../../db/client.js';
import { startBenchEnv } from '../../bench/harness.js';
import { hammer } from '../../bench/load.js';

describe('one libSQL file under the API and two workers writing at once', () => {
  it('keeps every accepted reading and every run, with no busy or locked error reaching a client', async () => {
    const env = await startBenchEnv({ api: true, extraWorkers: 1, playbooksDir: resolve('playbooks'), env: { STORMDESK_SCHEDULER: 'off' } });
    const database = await openDatabase(`file:${env.dataDir}/stormdesk.db`);
    try {
      const api = env.api;
      if (!api) throw new Error('no API process');
      // Readings, batches and warnings that open runs (whose activities write timelines and outbox rows) all at once.
      const tally = await hammer(api.url, env.auth, 24, 10, { readings: '/api/sensors/readings', cap: '/api/feeds/cap' }, true);
      const stored = Number((await database.client.execute('SELECT count(*) AS n FROM readings')).rows[0]?.n ?? 0);
      const runs = (await database.client.execute('SELECT id, workflow_id FROM runs')).rows;
      const events = Number((await database.client.execute('SELECT count(*) AS n FROM run_events')).rows[0]?.n ?? 0);
      console.log('db-contention', JSON.stringify({ requests: tally.ok + tally.errors + tally.limited, errors: tally.errors, accepted: tally.accepted, stored, runs: runs.length, events }));
      expect(tally.errors).toBe(0);
      expect(tally.ok).toBeGreaterThan(20);
      expect(stored).toBe(tally.accepted);
      expect(runs.length).toBeGreaterThanOrEqual(1);
      expect(events).toBeGreaterThan(0);
    } finally {
      database.close();
      await env.stop();
    }
  }, 180_000);
});
