import { resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { messages, tasks as taskTable } from '../db/schema/index.js';
import { loadPlaybooks } from '../playbooks/loader.js';
import { addCrew } from '../test/fixtures.js';
import { eventually, withStack, type Stack } from '../test/harness.js';
import { accepted, act, launch, step, stepReaches, tasksOf, until } from '../test/runs.js';

const playbooks = loadPlaybooks(resolve('test/playbooks'));

async function outbox(stack: Stack, runId: string) {
  return stack.database.db.select().from(messages).where(eq(messages.runId, runId)).orderBy(messages.createdAt);
}

describe('dispatch steps', () => {
  it('assigns a task, waits for acknowledgement and done, and closes it only when a supervisor verifies', async () => {
    await withStack(async (stack) => {
      const crew = await addCrew(stack.database.db, { id: 'drain-a', specialty: 'test-drainage', zones: ['renhe-g1'] });
      const runId = await launch(stack, 'dispatch-demo', 'renhe-g1');
      const assigned = await stepReaches(stack, runId, 'clear-inlets', 'waiting-ack');
      const [task] = tasksOf(assigned, 'clear-inlets');
      expect(task).toMatchObject({ kind: 'task', status: 'assigned', crewId: 'drain-a', zoneId: 'renhe-g1', place: { en: 'Renhe Subdistrict grid 1' } });
      if (!task) return;
      const sent = await outbox(stack, runId);
      expect(sent.map((m) => m.memberId).sort()).toEqual(crew.memberIds.sort());
      expect(sent[0]?.body).toContain(`任务${task.code}`);
      expect(sent[0]?.status).toBe('held');

      await accepted(stack, runId, { type: 'ack', taskId: task.id });
      await stepReaches(stack, runId, 'clear-inlets', 'running');
      await accepted(stack, runId, { type: 'done', taskId: task.id });
      await stepReaches(stack, runId, 'clear-inlets', 'awaiting-verification');
      const refused = await act(stack, runId, { type: 'stand-down', reason: 'too early' });
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toContain(task.code);
      await accepted(stack, runId, { type: 'verify', taskId: task.id });
      const done = await stepReaches(stack, runId, 'clear-inlets', 'verified');
      const final = tasksOf(done, 'clear-inlets')[0];
      expect(final).toMatchObject({ status: 'verified', verifiedBy: 'officer' });
      expect(Date.parse(final?.acknowledgedAt ?? '')).toBeLessThanOrEqual(Date.parse(final?.doneAt ?? ''));
      const [row] = await stack.database.db.select().from(taskTable).where(eq(taskTable.id, task.id));
      expect(row).toMatchObject({ status: 'verified', crewId: 'drain-a', code: task.code });

      await accepted(stack, runId, { type: 'stand-down', reason: 'rain over' });
      await until(stack, runId, (v) => v.status === 'closed', 'closed');
      const all = await outbox(stack, runId);
      const standDown = all.filter((m) => m.key.includes('|stand-down|'));
      expect(standDown.map((m) => m.memberId).sort()).toEqual(crew.memberIds.sort());
      expect(standDown[0]?.body).toContain('响应已结束');

      const report = await stack.call('GET', `/api/runs/${runId}/report`);
      expect(report.body).toMatchObject({ interim: false, standDown: { reason: 'rain over' }, levelHistory: [{ level: 'III' }] });
      expect(report.body.tasks).toEqual([expect.objectContaining({ code: task.code, crew: 'drain-a', status: 'verified', attempts: 1, timeToAckSeconds: expect.any(Number), timeToCompleteSeconds: expect.any(Number) })]);
      expect(report.body.notified).toEqual(expect.arrayContaining([expect.objectContaining({ memberId: crew.memberIds[0], channel: 'sms', status: 'held', count: 2 })]));
      const html = await stack.call('GET', `/api/runs/${runId}/report.html`);
      expect(html.headers.get('content-type')).toContain('text/html');
      expect(html.body).toContain(task.code);
      expect(html.body).toContain('清理雨水篦子');
      const csv = await stack.call('GET', `/api/runs/${runId}/report.csv`);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      const lines = String(csv.body).trim().split('\r\n');
      expect(lines[0]).toContain('timeToAckSeconds');
      expect(lines[1]).toContain(`"${task.code}"`);
    }, { playbooks });
  });

  it('moves to the next crew when nobody acknowledges, and escalates up the grid after attemptsPerTier', async () => {
    await withStack(async (stack) => {
      await addCrew(stack.database.db, { id: 'grid-a', specialty: 'test-drainage', zones: ['renhe-g1'] });
      await addCrew(stack.database.db, { id: 'grid-b', specialty: 'test-drainage', zones: ['renhe-g1'] });
      await addCrew(stack.database.db, { id: 'street-c', specialty: 'test-drainage', zones: ['renhe'] });
      const runId = await launch(stack, 'dispatch-demo', 'renhe-g1');
      const moved = await until(stack, runId, (v) => tasksOf(v, 'clear-inlets')[0]?.crewId === 'street-c', 'escalation to the street crew');
      const task = tasksOf(moved, 'clear-inlets')[0];
      expect(task?.attempts.map((a) => [a.crewId, a.zoneId, a.outcome])).toEqual([['grid-a', 'renhe-g1', 'timed-out'], ['street-c', 'renhe', 'pending']]);
      expect(moved.timeline.map((e) => e.type)).toContain('task.ack-timeout');
      await accepted(stack, runId, { type: 'ack', taskId: task?.id });
      const acked = await stepReaches(stack, runId, 'clear-inlets', 'running');
      expect(tasksOf(acked, 'clear-inlets')[0]?.attempts.at(-1)?.outcome).toBe('acknowledged');
      const crews = new Set((await outbox(stack, runId)).map((m) => m.memberId.split('-').slice(0, 2).join('-')));
      expect([...crews].sort()).toEqual(['grid-a', 'street-c']);
    }, { playbooks });
  });

  it('leaves a task unassigned when every tier is exhausted, until the duty officer reassigns it', async () => {
    await withStack(async (stack) => {
      await addCrew(stack.database.db, { id: 'only-crew', specialty: 'test-drainage', zones: ['renhe-g1'] });
      await addCrew(stack.database.db, { id: 'reserve', specialty: 'reserve', zones: ['zhouhe'] });
      const runId = await launch(stack, 'dispatch-demo', 'renhe-g1');
      // A new task is also "unassigned" for a moment before its first crew: wait for the escalation itself.
      const stuck = await until(stack, runId, (v) => v.timeline.some((e) => e.type === 'task.unassigned') && tasksOf(v, 'clear-inlets')[0]?.status === 'unassigned', 'the task to be unassigned');
      const taskId = tasksOf(stuck, 'clear-inlets')[0]?.id;
      const nowhere = await act(stack, runId, { type: 'reassign', taskId, crewId: 'no-such-crew' });
      expect(nowhere).toMatchObject({ status: 422, body: { errors: [{ path: 'body.crewId' }] } });
      expect((await stack.call('DELETE', '/api/crews/only-crew')).status).toBe(204); // nothing open on it any more
      await accepted(stack, runId, { type: 'reassign', taskId, crewId: 'reserve' });
      const reassigned = await until(stack, runId, (v) => tasksOf(v, 'clear-inlets')[0]?.crewId === 'reserve', 'the reassignment');
      await eventually(async () => ((await stack.call('DELETE', '/api/crews/reserve')).status === 409 ? true : undefined), 5_000, 'the crew with an open task to be kept');
      expect(tasksOf(reassigned, 'clear-inlets')[0]?.status).toBe('assigned');
      await accepted(stack, runId, { type: 'ack', taskId });
      await accepted(stack, runId, { type: 'done', taskId });
      await accepted(stack, runId, { type: 'waive', taskId, reason: 'checked by phone' });
      const waived = await stepReaches(stack, runId, 'clear-inlets', 'verified');
      expect(tasksOf(waived, 'clear-inlets')[0]).toMatchObject({ status: 'waived', waivedReason: 'checked by phone' });
    }, { playbooks });
  });

  it('escalates an unverified task to the crew supervisor, and accepts a clear sensor as verification', async () => {
    await withStack(async (stack) => {
      const crew = await addCrew(stack.database.db, { id: 'drain-v', specialty: 'test-drainage', zones: ['renhe-g1'] });
      const runId = await launch(stack, 'dispatch-demo', 'renhe-g1');
      const view = await stepReaches(stack, runId, 'clear-inlets', 'waiting-ack');
      const taskId = tasksOf(view, 'clear-inlets')[0]?.id;
      await accepted(stack, runId, { type: 'done', taskId });
      await until(stack, runId, (v) => v.timeline.some((e) => e.type === 'task.verify-overdue'), 'the verification to be overdue');
      const verifyPage = (await outbox(stack, runId)).filter((m) => m.key.includes('|verify|'));
      expect(verifyPage.map((m) => m.memberId)).toEqual([crew.memberIds[0]]);
      await accepted(stack, runId, { type: 'condition', name: 'sensors-clear', value: true });
      const verified = await stepReaches(stack, runId, 'clear-inlets', 'verified');
      expect(tasksOf(verified, 'clear-inlets')[0]).toMatchObject({ status: 'verified', verifiedBy: 'sensor' });
    }, { playbooks });
  });

  it('cancels the task and tells its crew when a downgrade makes the step moot', async () => {
    await withStack(async (stack) => {
      const crew = await addCrew(stack.database.db, { id: 'drain-x', specialty: 'test-drainage', zones: ['renhe-g1'] });
      const runId = await launch(stack, 'dispatch-demo', 'renhe-g1', 'II');
      const view = await stepReaches(stack, runId, 'clear-inlets', 'waiting-ack');
      const taskId = tasksOf(view, 'clear-inlets')[0]?.id;
      await accepted(stack, runId, { type: 'ack', taskId });
      await accepted(stack, runId, { type: 'downgrade', level: 'IV', reason: 'blue only' });
      const cancelled = await stepReaches(stack, runId, 'clear-inlets', 'cancelled');
      expect(tasksOf(cancelled, 'clear-inlets')[0]?.status).toBe('cancelled');
      const told = await until(stack, runId, () => true, 'x').then(() => outbox(stack, runId));
      const cancelMessages = told.filter((m) => m.key.includes('|cancel|'));
      expect(cancelMessages.map((m) => m.memberId).sort()).toEqual(crew.memberIds.sort());
      expect(cancelMessages[0]?.body).toContain('已取消');
      // With nothing left to verify, the run may stand down.
      await accepted(stack, runId, { type: 'stand-down', reason: 'over' });
    }, { playbooks });
  });
});

describe('notify steps', () => {
  it('waits for a quorum of crews in every grid cell and re-pages only crews that can close a gap', async () => {
    await withStack(async (stack) => {
      // renhe has two cells; street crews cover both, a grid crew covers only g2.
      await addCrew(stack.database.db, { id: 'street-1', specialty: 'test-patrol', zones: ['renhe'] });
      await addCrew(stack.database.db, { id: 'street-2', specialty: 'test-patrol', zones: ['renhe'] });
      await addCrew(stack.database.db, { id: 'cell-2', specialty: 'test-patrol', zones: ['renhe-g2'] });
      await addCrew(stack.database.db, { id: 'other', specialty: 'test-patrol', zones: ['hehua'] });
      const runId = await launch(stack, 'notify-demo', 'renhe');
      const paged = await stepReaches(stack, runId, 'standby', 'waiting-ack');
      const notices = tasksOf(paged, 'standby');
      expect(notices.map((n) => n.crewId).sort()).toEqual(['cell-2', 'street-1', 'street-2']);
      expect(paged.timeline.map((e) => e.type)).toContain('notify.console');
      const byCrew = (id: string) => notices.find((n) => n.crewId === id)?.id;
      await accepted(stack, runId, { type: 'ack', taskId: byCrew('street-1') });
      await accepted(stack, runId, { type: 'ack', taskId: byCrew('cell-2') });
      // g2 has street-1 + cell-2; g1 has only street-1: re-page street-2 alone.
      const repaged = await until(stack, runId, (v) => v.timeline.some((e) => e.type === 'notify.repage'), 'a re-page');
      const repage = repaged.timeline.find((e) => e.type === 'notify.repage');
      expect(repage?.data).toMatchObject({ crewIds: ['street-2'], missing: ['renhe-g1'] });
      await accepted(stack, runId, { type: 'ack', taskId: byCrew('street-2') });
      const done = await stepReaches(stack, runId, 'standby', 'done');
      expect(step(done, 'standby').reason).toBe('confirmed');
      const sent = await outbox(stack, runId);
      expect(sent.filter((m) => m.memberId.startsWith('street-2')).map((m) => m.key.split('|').at(-1))).toEqual(['1', '1', '2', '2']);
      expect(sent.some((m) => m.memberId.startsWith('other'))).toBe(false);
      const refusal = await act(stack, runId, { type: 'done', taskId: byCrew('street-1') });
      expect(refusal.status).toBe(409);
    }, { playbooks });
  });
});

describe('stand-down during dispatch', () => {
  it('cancels tasks nobody has acknowledged and tells their crews, without waiting for verification', async () => {
    await withStack(async (stack) => {
      const crew = await addCrew(stack.database.db, { id: 'drain-s', specialty: 'test-drainage', zones: ['renhe-g1'], language: 'en' });
      const runId = await launch(stack, 'dispatch-demo', 'renhe-g1');
      const view = await stepReaches(stack, runId, 'clear-inlets', 'waiting-ack');
      const task = tasksOf(view, 'clear-inlets')[0];
      await accepted(stack, runId, { type: 'stand-down', reason: 'false alarm' });
      const closed = await until(stack, runId, (v) => v.status === 'closed', 'closed');
      expect(tasksOf(closed, 'clear-inlets')[0]?.status).toBe('cancelled');
      expect(step(closed, 'clear-inlets')).toMatchObject({ status: 'cancelled', reason: 'stand-down: false alarm' });
      const sent = await outbox(stack, runId);
      const cancels = sent.filter((m) => m.key.includes('|cancel|'));
      expect(cancels.map((m) => m.memberId).sort()).toEqual(crew.memberIds.sort());
      expect(cancels[0]?.body).toContain(`Task ${task?.code} cancelled`);
      expect(sent.filter((m) => m.key.includes('|stand-down|')).map((m) => m.memberId).sort()).toEqual(crew.memberIds.sort());
    }, { playbooks });
  });
});
