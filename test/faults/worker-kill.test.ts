import { resolve } from 'node:path';
import { writeFileSync, mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { loadPlaybooks } from '../../playbooks/loader.js';
import { startBenchEnv } from '../../bench/harness.js';
import { startTwilioStandIn } from '../../bench/twilio-stand-in.js';
import { actionUpdate, type RunInput } from '../../workflows/messages.js';

/** `npm run test:faults` runs the full scenario; inside `npm test` it runs small. */
const full = process.env.STORMDESK_FAULTS === 'full';
const runs = full ? 100 : 5;
const killPhaseMs = full ? 90_000 : 12_000;

const zones = ['renhe', 'chenzhou', 'hehua', 'qiyi', 'shahe', 'yingshui'];
const timers = { ackTimeout: 3_000, verifyTimeout: 5_000, quorumTimeout: 5_000, decisionTimeout: 3_000, deputyTimeout: 3_000, rainWatch: 5_000 };

/** An officer's action, sent again while the run refuses it (its step has not begun yet). */
async function untilAccepted(send: () => Promise<unknown>): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await send();
      return;
    } catch (error) {
      if (attempt > 200) throw error;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

describe('worker killed with SIGKILL at random moments', () => {
  it(`loses no run and sends no text twice (${runs} heavy-rain runs)`, async () => {
    const standIn = await startTwilioStandIn(100_000);
    const env = await startBenchEnv({
      env: { TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'faults', TWILIO_FROM: '+15005550006', TWILIO_API_BASE_URL: standIn.url, SMS_PER_SECOND: '500', SMS_DAILY_CAP_PER_NUMBER: '100000', STORMDESK_PUBLIC_URL: 'https://stormdesk.faults' },
    });
    const database = await openDatabase(`file:${env.dataDir}/stormdesk.db`);
    try {
      const playbook = loadPlaybooks(resolve('playbooks')).playbooks.get('heavy-rain');
      if (!playbook) throw new Error('heavy-rain playbook not loaded');
      const started = performance.now();
      const ids: string[] = [];
      let kills = 0;
      const ticks: Promise<void>[] = [];
      // Start the runs while the killing is already going on.
      const killer = (async () => {
        while (performance.now() - started < killPhaseMs) {
          await new Promise((r) => setTimeout(r, 1_500 + Math.random() * 3_500));
          await env.crashWorker(Math.random() * 1_000);
          kills += 1;
        }
      })();
      for (let i = 0; i < runs; i += 1) {
        const input: RunInput = { runId: `run_fault_${i}`, playbook, zoneId: zones[i % zones.length] ?? 'renhe', level: 'II', reason: `fault-injection run ${i}`, drill: false, startedBy: 'faults', timers };
        const handle = await env.client.workflow.start('runPlaybook', { taskQueue: env.taskQueue, workflowId: `fault-run-${i}`, args: [input] });
        ids.push(handle.workflowId);
        // The duty officer activates the response, as the playbook's first step asks; then it pages crews.
        for (const itemId of ['confirm-warning', 'duty-roster', 'inform-hq']) {
          // One update id per tick: a retry after a kill that lost the answer gets the first outcome back.
          ticks.push(untilAccepted(() => handle.executeUpdate(actionUpdate, { args: [{ type: 'tick', stepId: 'activate', itemId, by: 'officer' }], updateId: `tick-${i}-${itemId}` })));
        }
        await new Promise((r) => setTimeout(r, killPhaseMs / runs / 2));
      }
      await killer;
      await Promise.all(ticks);

      // Let everything settle: no message left pending, and no run stuck in an activity.
      const deadline = Date.now() + 120_000;
      let pending = Infinity;
      let stuck: string[] = [];
      while (Date.now() < deadline) {
        pending = Number((await database.client.execute("SELECT count(*) AS n FROM messages WHERE status = 'pending'")).rows[0]?.n ?? 0);
        stuck = [];
        for (const id of ids) {
          const d = await env.client.workflow.getHandle(id).describe();
          if (d.status.name !== 'RUNNING' && d.status.name !== 'COMPLETED') stuck.push(`${id}: ${d.status.name}`);
          else if (d.raw.pendingActivities?.length) stuck.push(`${id}: in ${d.raw.pendingActivities.length} activities`);
        }
        if (pending === 0 && stuck.length === 0) break;
        await new Promise((r) => setTimeout(r, 1_000));
      }
      const sentRows = Number((await database.client.execute("SELECT count(*) AS n FROM messages WHERE channel = 'sms' AND provider = 'twilio' AND status IN ('sent', 'delivered')")).rows[0]?.n ?? 0);
      const failed = Number((await database.client.execute("SELECT count(*) AS n FROM messages WHERE status = 'failed'")).rows[0]?.n ?? 0);
      const closed = (await Promise.all(ids.map(async (id) => (await env.client.workflow.getHandle(id).describe()).status.name))).filter((s) => s === 'COMPLETED').length;
      const byText = new Map<string, number>();
      for (const r of standIn.received) byText.set(`${r.to}\n${r.body}`, (byText.get(`${r.to}\n${r.body}`) ?? 0) + 1);
      const duplicated = standIn.received.length - sentRows;
      // Which texts went out more often than the outbox says it sent them, with their rows.
      const rowsByText = new Map<string, unknown[]>();
      for (const r of (await database.client.execute("SELECT key, \"to\", body, status, attempts, sending_since, provider_message_id, updated_at FROM messages WHERE channel = 'sms'")).rows) {
        const k = `${String(r.to)}\n${String(r.body)}`;
        rowsByText.set(k, [...(rowsByText.get(k) ?? []), { key: r.key, status: r.status, attempts: r.attempts, sendingSince: r.sending_since, sid: r.provider_message_id, updatedAt: r.updated_at }]);
      }
      const overSent = [...byText].filter(([k, n]) => n > (rowsByText.get(k)?.length ?? 0)).map(([k, n]) => ({ to: k.split('\n')[0], received: n, rows: rowsByText.get(k) }));
      const report = { runs, kills, closed, waiting: runs - closed, messagesSent: sentRows, receivedByTwilio: standIn.received.length, duplicated, identicalTexts: [...byText.values()].filter((n) => n > 1).length, lost: pending, failed, stuck, overSent: overSent.slice(0, 5) };
      mkdirSync(resolve('test-artifacts'), { recursive: true });
      writeFileSync(resolve('test-artifacts', `faults-worker-kill${full ? '' : '-short'}.json`), `${JSON.stringify(report, null, 2)}\n`);
      console.log('worker-kill', JSON.stringify(report));

      expect(kills).toBeGreaterThan(0);
      expect(stuck).toEqual([]);
      expect(pending).toBe(0);
      expect(failed).toBe(0);
      expect(sentRows).toBeGreaterThan(runs);
      // Every message the outbox recorded as sent reached Twilio exactly once: a text whose worker
      // died after Twilio took it is found in Twilio's list and recorded, not sent again.
      expect(overSent).toEqual([]);
      expect(duplicated).toBe(0);
    } finally {
      database.close();
      await env.stop();
      await standIn.close();
    }
  }, full ? 600_000 : 240_000);
});
