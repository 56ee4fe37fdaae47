import { eq, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { drillBody } from '../test/drills.js';
import { messages, runs, triggerLog } from '../db/schema/index.js';
import { eventually, withStack, type Stack } from '../test/harness.js';
import { act, launch, state } from '../test/runs.js';

// Short timers so the drill plays out in seconds; ack timeouts long enough that nobody times out.
const timers = { ackTimeout: '45s', quorumTimeout: '45s', verifyTimeout: '45s', decisionTimeout: '2s', deputyTimeout: '2s' };
const env = { STORMDESK_DRILL_CHECK_SECONDS: '1' };

async function drillRun(stack: Stack, drillId: string, status: string): Promise<{ runId: string; workflowId: string; status: string; fed: { id: string; outcome: string }[]; endedReason: string | null; startedAt: string | null; announcedAt: string }> {
  return eventually(async () => {
    const res = await stack.call('GET', `/api/drills/${drillId}/runs`);
    const run = res.body.runs[0];
    return run?.status === status ? run : undefined;
  }, 30_000, `the drill run to be ${status}`);
}

/** Plays the crews and the duty officer until the Renmin Road underpass is closed and every task is verified. */
async function respond(stack: Stack, runId: string): Promise<void> {
  await eventually(async () => {
    const view = await state(stack, runId);
    if (!view.steps) return undefined;
    for (const s of view.steps.filter((x) => x.status === 'running')) {
      for (const item of s.items?.filter((i) => !i.tickedAt) ?? []) await act(stack, runId, { type: 'tick', stepId: s.id, itemId: item.id });
    }
    for (const t of view.tasks) {
      if (t.status === 'assigned') await act(stack, runId, { type: 'ack', taskId: t.id });
      else if (t.status === 'acknowledged' && t.kind === 'task') await act(stack, runId, { type: 'done', taskId: t.id });
      else if (t.status === 'awaiting-verification') await act(stack, runId, { type: 'verify', taskId: t.id });
    }
    const settled = view.tasks.every((t) => ['verified', 'waived', 'cancelled'].includes(t.status) || (t.kind === 'notice' && t.status === 'acknowledged'));
    return settled && view.tasks.some((t) => t.stepId === 'close-underpasses' && t.facilityId === 'underpass-renmin' && t.status === 'verified') ? true : undefined;
  }, 45_000, 'the underpass to be closed');
}

describe('a drill', () => {
  it('tells participants ahead, runs the playbook in drill mode under its own id paging only them, feeds its injects through the trigger path, and is measured', async () => {
    await withStack(async (stack) => {
      const rule = await stack.call('POST', '/api/sensors/rules', { sensorId: 'depth-underpass-renmin', hazard: 'heavy-rain', playbookId: 'heavy-rain', level: 'II', above: 0.27, clearBelow: 0.15 });
      expect(rule.status).toBe(201);
      const created = await stack.callAs('drill-coordinator', 'POST', '/api/drills', drillBody({
        lead: '1s', window: '5m', timers, schedule: { kind: 'once', at: new Date(Date.now() + 3_600_000).toISOString() },
        injects: [
          { id: 'blue', at: '1s', kind: 'warning', level: 'IV', headline: 'blue rainstorm warning' },
          { id: 'gauge', at: '2s', kind: 'reading', sensorId: 'depth-underpass-renmin', value: 0.3, unit: 'm' },
        ],
        objectives: [{ id: 'ack', kind: 'ack-within', within: '5m' }, { id: 'underpass', kind: 'done-within', within: '5m', stepId: 'close-underpasses', facilityId: 'underpass-renmin' }],
      }));
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const drillId = created.body.id as string;
      const schedule = stack.client.schedule.getHandle(`${stack.config.temporal.workflowIdPrefix}drill:${drillId}`);
      try {
        expect(await stack.callAs('drill-coordinator', 'POST', `/api/drills/${drillId}/trigger`)).toMatchObject({ status: 202, body: { via: 'schedule' } });

        const running = await drillRun(stack, drillId, 'running');
        const runId = running.runId;
        const upcoming = await stack.database.db.select().from(messages).where(like(messages.key, `${runId}|drill-upcoming|%`));
        expect(upcoming.length).toBeGreaterThanOrEqual(6);
        expect(upcoming.every((m) => m.drill && m.body.startsWith('【演练】') && m.body.includes('人和街道暴雨演练'))).toBe(true);
        expect(Date.parse(running.startedAt ?? '') - Date.parse(running.announcedAt)).toBeGreaterThanOrEqual(1000);

        const escalated = await eventually(async () => {
          const view = await state(stack, runId);
          return view.level === 'II' ? view : undefined;
        }, 20_000, 'the gauge reading to escalate the drill run');
        expect(escalated.drill).toBe(true);
        expect(escalated.workflowId).toContain(`drill:heavy-rain:renhe:${runId}`);
        expect(escalated.levelHistory.at(-1)).toMatchObject({ level: 'II', by: `drill:${drillId}`, reason: expect.stringContaining('drill reading gauge') });
        expect(escalated.notes.map((n) => n.text)).toEqual(expect.arrayContaining([expect.stringContaining('drill warning blue: blue rainstorm warning (level IV)')]));
        const logged = await stack.database.db.select().from(triggerLog).where(like(triggerLog.source, 'drill:%')).orderBy(triggerLog.id);
        expect(logged.map((l) => [l.source, l.action, l.runId])).toEqual([['drill:warning', 'noted', runId], ['drill:sensor', 'escalated', runId]]);

        await respond(stack, runId);
        const down = await stack.callAs('drill-coordinator', 'POST', `/api/runs/${runId}/actions`, { type: 'stand-down', reason: 'drill complete' });
        expect(down.status, JSON.stringify(down.body)).toBe(200);
        const ended = await drillRun(stack, drillId, 'ended');
        expect(ended.fed.map((f) => [f.id, f.outcome])).toEqual([['blue', 'note'], ['gauge', 'escalated to II']]);

        const runRows = await stack.database.db.select().from(runs);
        expect(runRows.map((r) => [r.id, r.drill])).toEqual([[runId, true]]);
        const sent = await stack.database.db.select().from(messages).where(eq(messages.runId, runId));
        expect(sent.length).toBeGreaterThan(upcoming.length);
        expect(sent.every((m) => m.drill && m.body.startsWith('【演练】'))).toBe(true);
        const participants = ['crew-drain-shahe', 'crew-patrol-renhe', 'crew-pump-city'];
        expect(sent.filter((m) => !participants.some((crew) => m.memberId.startsWith(`${crew}-`))).map((m) => m.memberId)).toEqual([]);

        const report = await stack.call('GET', `/api/drills/${drillId}/runs/${runId}/report`);
        expect(report.status).toBe(200);
        expect(report.body.run).toMatchObject({ status: 'ended', finalLevel: 'II' });
        expect(report.body.metrics.objectives, JSON.stringify(report.body.metrics.tasks)).toEqual([
          expect.objectContaining({ id: 'ack', met: true }),
          expect.objectContaining({ id: 'underpass', met: true }),
        ]);
        expect(report.body.metrics.nonResponders).toEqual([]);
        const underpass = report.body.metrics.tasks.find((t: { facilityId: string | null }) => t.facilityId === 'underpass-renmin');
        expect(underpass.ackSeconds).toBeGreaterThanOrEqual(0);
        expect(underpass.sinceStartDoneSeconds).toBeLessThan(60);
        expect(report.body.trend).toEqual([expect.objectContaining({ runId, current: true, objectivesMet: 2, objectivesTotal: 2 })]);
        const html = await stack.call('GET', `/api/drills/${drillId}/runs/${runId}/report.html`);
        expect(html.headers.get('content-type')).toContain('text/html');
        expect(html.body).toContain('【演练】人和街道暴雨演练');
        const csv = await stack.call('GET', `/api/drills/${drillId}/runs/${runId}/report.csv`);
        expect(String(csv.body).split('\r\n')[0]).toBe('taskCode,kind,step,crewId,crew,status,ackSeconds,doneSeconds,doneSinceStartSeconds');
      } finally {
        await schedule.delete();
      }
    }, { env });
  }, 120_000);

  it('ends when a real incident opens in its zone, and tells everyone', async () => {
    await withStack(async (stack) => {
      const created = await stack.callAs('drill-coordinator', 'POST', '/api/drills', drillBody({ playbookId: 'duty-check', objectives: [], injects: [], lead: '1s', window: '5m', onRealIncident: 'end', timers: {} }));
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const drillId = created.body.id as string;
      expect(await stack.callAs('drill-coordinator', 'POST', `/api/drills/${drillId}/trigger`)).toMatchObject({ status: 202, body: { via: 'workflow' } });
      const { runId } = await drillRun(stack, drillId, 'running');

      const real = await launch(stack, 'heavy-rain', 'renhe-g1', 'II');
      const preempted = await drillRun(stack, drillId, 'pre-empted');
      expect(preempted.endedReason).toContain(`real heavy-rain incident is open in renhe-g1 (${real})`);
      const closed = await state(stack, runId);
      expect(closed).toMatchObject({ phase: 'closed', standDown: { by: `drill:${drillId}`, reason: expect.stringContaining('takes priority') } });
      const told = await stack.database.db.select().from(messages).where(like(messages.key, `${runId}|drill-ended|%`));
      expect(told.length).toBeGreaterThanOrEqual(6);
      expect(told.every((m) => m.body.startsWith('【演练】') && m.body.includes('已结束'))).toBe(true);
      expect((await state(stack, real)).phase).not.toBe('closed');
    }, { env });
  }, 90_000);

  it('pauses its scenario while a real run is open in its zone, tells everyone, and carries on after', async () => {
    await withStack(async (stack) => {
      const created = await stack.callAs('drill-coordinator', 'POST', '/api/drills', drillBody({
        objectives: [], lead: '1s', window: '5m', onRealIncident: 'pause', timers,
        injects: [{ id: 'orange', at: '4s', kind: 'warning', level: 'II', headline: 'orange rainstorm warning' }],
      }));
      const drillId = created.body.id as string;
      await stack.callAs('drill-coordinator', 'POST', `/api/drills/${drillId}/trigger`);
      const { runId } = await drillRun(stack, drillId, 'running');
      const real = await launch(stack, 'duty-check', 'renhe', 'III');

      const paused = await drillRun(stack, drillId, 'paused');
      expect(paused.fed).toEqual([]);
      await eventually(async () => ((await stack.database.db.select().from(messages).where(like(messages.key, `${runId}|drill-paused-1|%`))).length ? true : undefined), 10_000, 'the pause notice');
      await new Promise((r) => setTimeout(r, 4_000));
      expect((await state(stack, runId)).level).toBe('III');

      expect((await act(stack, real, { type: 'stand-down', reason: 'checked in' })).status).toBe(200);
      await drillRun(stack, drillId, 'running');
      const resumed = await eventually(async () => {
        const rows = await stack.database.db.select().from(messages).where(like(messages.key, `${runId}|drill-resumed-1|%`));
        return rows.length ? rows : undefined;
      }, 10_000, 'the resume notice');
      expect(resumed.every((m) => m.body.startsWith('【演练】') && m.body.includes('继续'))).toBe(true);
      const escalated = await eventually(async () => {
        const view = await state(stack, runId);
        return view.level === 'II' ? view : undefined;
      }, 15_000, 'the held inject to be fed after the pause');
      expect(escalated.notes.map((n) => n.text)).toEqual(expect.arrayContaining([expect.stringContaining('drill paused: a real duty-check incident'), 'drill resumed: the real incident is over']));
    }, { env });
  }, 90_000);

  it('stands its run down and records the end when it is cancelled (as an overlap policy of cancel-other does)', async () => {
    await withStack(async (stack) => {
      const created = await stack.callAs('drill-coordinator', 'POST', '/api/drills', drillBody({ playbookId: 'duty-check', objectives: [], injects: [], lead: '1s', window: '5m', timers: {} }));
      const drillId = created.body.id as string;
      await stack.callAs('drill-coordinator', 'POST', `/api/drills/${drillId}/trigger`);
      const running = await drillRun(stack, drillId, 'running');
      await stack.client.workflow.getHandle(running.workflowId).cancel();
      const ended = await drillRun(stack, drillId, 'ended');
      expect(ended.endedReason).toBe('the drill was cancelled');
      await eventually(async () => ((await state(stack, running.runId)).phase === 'closed' ? true : undefined), 15_000, 'the drill run to close');
    }, { env });
  }, 60_000);
});

