import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlaybooks } from '../playbooks/loader.js';
import { eventually, withStack, type Stack } from '../test/harness.js';
import { act, launch as launchRun, state, step, stepReaches } from '../test/runs.js';
import { actionUpdate, stateQuery } from './messages.js';
import { runPlaybook } from './run-playbook.js';

const demo = loadPlaybooks(resolve('test/playbooks'));
const launch = (stack: Stack, level = 'III') => launchRun(stack, 'steps-demo', 'renhe', level);

async function openCommandPost(stack: Stack, runId: string): Promise<void> {
  await stepReaches(stack, runId, 'open-checklist', 'running');
  for (const itemId of ['staff', 'comms']) {
    const res = await act(stack, runId, { type: 'tick', stepId: 'open-checklist', itemId });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
}

describe('the playbook interpreter', () => {
  it('runs checklists, parallel steps, decisions, level-guarded steps and waits until stand-down', async () => {
    await withStack(async (stack) => {
      const runId = await launch(stack);
      await stepReaches(stack, runId, 'open-checklist', 'running');
      expect((await act(stack, runId, { type: 'tick', stepId: 'open-checklist', itemId: 'staff' })).status).toBe(200);
      expect((await act(stack, runId, { type: 'tick', stepId: 'open-checklist', itemId: 'comms' })).status).toBe(200);
      await stepReaches(stack, runId, 'choose', 'running');
      const decided = await act(stack, runId, { type: 'decide', stepId: 'choose', optionId: 'close' });
      expect(decided.body).toMatchObject({ accepted: true, type: 'decide' });
      await stepReaches(stack, runId, 'after-close', 'running');
      await act(stack, runId, { type: 'tick', stepId: 'after-close', itemId: 'barriers' });
      const waiting = await stepReaches(stack, runId, 'until-cancelled', 'running');
      expect(step(waiting, 'red-only')).toMatchObject({ status: 'skipped', reason: 'not at level III' });
      expect(step(waiting, 'brief-wait').status).toBe('done');
      expect(step(waiting, 'both').status).toBe('done');

      await act(stack, runId, { type: 'condition', name: 'warning-cancelled', value: true });
      await eventually(async () => ((await state(stack, runId)).phase === 'monitoring' ? true : undefined), 10_000, 'monitoring');

      const down = await act(stack, runId, { type: 'stand-down', reason: 'warning lifted' });
      expect(down.status).toBe(200);
      const closed = await eventually(async () => {
        const view = await state(stack, runId);
        return view.status === 'closed' ? view : undefined;
      }, 10_000, 'the run to close');
      expect(closed.phase).toBe('closed');
      expect(closed.timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['run.started', 'action.decide', 'step.skipped', 'run.monitoring', 'action.stand-down', 'run.closed']));
      const again = await act(stack, runId, { type: 'note', text: 'too late' });
      expect(again.status).toBe(409);
    }, { playbooks: demo });
  });

  it('delegates an unanswered decision to the deputy, then applies the default', async () => {
    await withStack(async (stack) => {
      const runId = await launch(stack);
      await openCommandPost(stack, runId);
      const view = await stepReaches(stack, runId, 'choose', 'done');
      expect(step(view, 'choose').decision).toMatchObject({ askedOf: 'deputy', chosen: 'close', by: 'system', defaulted: true });
      const types = (await state(stack, runId)).timeline.map((e) => e.type);
      expect(types.indexOf('decision.delegated')).toBeLessThan(types.indexOf('decision.defaulted'));
    }, { playbooks: demo });
  });

  it('re-plans on a level change: starts steps of the new level and cancels steps no longer needed', async () => {
    await withStack(async (stack) => {
      const runId = await launch(stack);
      await openCommandPost(stack, runId);
      await act(stack, runId, { type: 'decide', stepId: 'choose', optionId: 'keep-open' });
      const waiting = await stepReaches(stack, runId, 'until-cancelled', 'running');
      expect(step(waiting, 'after-close').status).toBe('skipped');

      expect((await act(stack, runId, { type: 'escalate', level: 'I', reason: 'red warning issued' })).status).toBe(200);
      await stepReaches(stack, runId, 'red-only', 'running');
      expect((await act(stack, runId, { type: 'downgrade', level: 'II', reason: 'downgraded to orange' })).status).toBe(200);
      const after = await stepReaches(stack, runId, 'red-only', 'cancelled');
      expect(step(after, 'red-only').reason).toBe('not at level II');
      expect(after.levelHistory.map((h) => h.level)).toEqual(['III', 'I', 'II']);
      expect(step(after, 'until-cancelled').status).toBe('running');
    }, { playbooks: demo });
  });

  it('stops a step clock while paused and restarts it on resume', async () => {
    await withStack(async (stack) => {
      const runId = await launch(stack);
      await openCommandPost(stack, runId);
      await stepReaches(stack, runId, 'choose', 'running');
      expect((await act(stack, runId, { type: 'pause', stepId: 'choose' })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 3_500)); // longer than decide (2 s) + deputy (1 s)
      const paused = step(await state(stack, runId), 'choose');
      expect(paused).toMatchObject({ status: 'running', paused: true });
      expect(paused.decision?.chosen).toBeUndefined();
      expect(paused.timerRemainingMs).toBeGreaterThan(0);
      expect((await act(stack, runId, { type: 'resume', stepId: 'choose' })).status).toBe(200);
      const done = await stepReaches(stack, runId, 'choose', 'done');
      expect(step(done, 'choose').decision?.defaulted).toBe(true);
    }, { playbooks: demo });
  });

  it('refuses actions that do not fit the run, saying why, without changing it', async () => {
    await withStack(async (stack) => {
      const runId = await launch(stack);
      await stepReaches(stack, runId, 'open-checklist', 'running');
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ type: 'tick', stepId: 'open-checklist', itemId: 'nope' }, /no item "nope"/],
        [{ type: 'escalate', level: 'IV', reason: 'x' }, /not above the current level III/],
        [{ type: 'downgrade', level: 'I', reason: 'x' }, /not below the current level III/],
        [{ type: 'decide', stepId: 'choose', optionId: 'close' }, /pending, not running/],
        [{ type: 'resume', stepId: 'open-checklist' }, /not paused/],
        [{ type: 'handover', to: 'officer' }, /already the duty officer/],
      ];
      for (const [body, why] of cases) {
        const res = await act(stack, runId, body);
        expect(res.status, JSON.stringify(body)).toBe(409);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(res.body.detail).toMatch(why);
      }
      const view = await state(stack, runId);
      expect(view.level).toBe('III');
      expect(view.timeline.filter((e) => e.type.startsWith('action.'))).toHaveLength(0);
    }, { playbooks: demo });
  });

  it('hands over to the incoming duty officer with a summary of what is open', async () => {
    await withStack(async (stack) => {
      const runId = await launch(stack);
      await stepReaches(stack, runId, 'open-checklist', 'running');
      const res = await act(stack, runId, { type: 'handover', to: 'officer-li' });
      expect(res.status).toBe(200);
      expect(res.body.summary).toContain('open-checklist/staff');
      expect((await state(stack, runId)).dutyOfficer).toBe('officer-li');
    }, { playbooks: demo });
  });
});

describe('long runs', () => {
  it('continues as new before the history grows large, carrying state and accepting actions throughout', async () => {
    await withStack(async (stack) => {
      const playbook = demo.playbooks.get('steps-demo');
      if (!playbook) throw new Error('steps-demo missing');
      const workflowId = `can-${Date.now()}`;
      const input = { runId: `run_${workflowId}`, playbook, zoneId: 'renhe', level: 'III' as const, reason: 'typhoon', drill: false, startedBy: 'officer', maxHistoryEvents: 40 };
      const handle = await stack.client.workflow.start(runPlaybook, { taskQueue: stack.config.temporal.taskQueue, workflowId, args: [input] });
      for (let i = 0; i < 12; i += 1) await handle.executeUpdate(actionUpdate, { args: [{ type: 'note', text: `hourly report ${i}`, by: 'officer' }] });
      await handle.executeUpdate(actionUpdate, { args: [{ type: 'tick', stepId: 'open-checklist', itemId: 'staff', by: 'officer' }] });
      const latest = stack.client.workflow.getHandle(workflowId);
      await eventually(async () => ((await latest.describe()).runId !== handle.firstExecutionRunId ? true : undefined), 15_000, 'continue-as-new');
      await latest.executeUpdate(actionUpdate, { args: [{ type: 'tick', stepId: 'open-checklist', itemId: 'comms', by: 'officer' }] });
      const view = await eventually(async () => {
        const v = await latest.query(stateQuery);
        // The checklist finished in the new run and the plan moved on (its next steps may already be past).
        return v.steps.find((s) => s.id === 'open-checklist')?.status === 'done' && v.steps.find((s) => s.id === 'both')?.status !== 'pending' ? v : undefined;
      }, 15_000, 'the plan to go on after continue-as-new').catch(async (error) => {
        const v = await latest.query(stateQuery).catch((e) => String(e));
        const d = await latest.describe();
        throw new Error(`${String(error)}; status ${d.status.name} run ${d.runId}; steps ${typeof v === 'string' ? v : v.steps.map((s) => `${s.id}=${s.status}`).join(',')}`);
      });
      expect(view.notes.map((n) => n.text)).toEqual(Array.from({ length: 12 }, (_, i) => `hourly report ${i}`));
      expect(view.steps.find((s) => s.id === 'open-checklist')).toMatchObject({ status: 'done' });
      expect(view.runId).toBe(input.runId);
      const runs = [];
      for await (const w of stack.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(w.runId);
      expect(runs.length).toBeGreaterThanOrEqual(2);
      await latest.executeUpdate(actionUpdate, { args: [{ type: 'stand-down', reason: 'typhoon passed', by: 'officer' }] });
      expect(await latest.result()).toMatchObject({ runId: input.runId, reason: 'typhoon passed' });
    }, { playbooks: demo });
  });
});
