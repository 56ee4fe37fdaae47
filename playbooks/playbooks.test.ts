import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { messages } from '../db/schema/index.js';
import { withStack, type Stack } from '../test/harness.js';
import { driveToMonitoring, type Script } from '../test/drive.js';
import { accepted, launch, step, until } from '../test/runs.js';
import type { RunView } from '../workflows/messages.js';

/** Seconds instead of minutes: the playbooks' own timers, overridden per run. */
const fast = { ackTimeout: '20s', verifyTimeout: '20s', decisionTimeout: '20s', deputyTimeout: '5s' };

async function runToClose(stack: Stack, playbookId: string, zoneId: string, level: string, timers: Record<string, string>, script: Script): Promise<RunView> {
  const runId = await launch(stack, playbookId, zoneId, level, { timers });
  const settled = await driveToMonitoring(stack, runId, script);
  await accepted(stack, runId, { type: 'stand-down', reason: 'exercise complete' });
  await until(stack, runId, (v) => v.status === 'closed', 'the run to close');
  return settled;
}

const statusOf = (view: RunView) => Object.fromEntries(view.steps.map((s) => [s.id, s.status]));

describe('the heavy-rain playbook', () => {
  it('at red (I) pre-positions crews, closes underpasses, patrols the river, mobilises everyone, then recovers', async () => {
    await withStack(async (stack) => {
      const view = await runToClose(stack, 'heavy-rain', 'shahe', 'I', { ...fast, quorumTimeout: '20s', rainWatch: '1m' }, { decide: { 'underpass-closure': 'close' }, conditions: ['warning-cancelled', 'sensors-clear'] });
      expect(statusOf(view)).toMatchObject({
        activate: 'done', 'standby-blue': 'skipped', 'standby-confirmed': 'done', 'pump-trucks': 'verified', 'inspect-underpasses': 'verified',
        'clear-inlets': 'verified', 'pumping-standby': 'done', 'underpass-closure': 'done', 'close-underpasses': 'verified', 'river-patrol': 'verified',
        'all-crews': 'done', 'public-safety': 'done', 'until-clear': 'done', 'drain-down': 'verified', reopen: 'done',
      });
      const pumpTasks = view.tasks.filter((t) => t.stepId === 'pump-trucks');
      expect(pumpTasks.map((t) => t.facilityId).sort()).toEqual(['waterlog-bayi', 'waterlog-renmin-market']);
      expect(pumpTasks.every((t) => t.crewId === 'crew-pump-city')).toBe(true);
      expect(view.tasks.filter((t) => t.stepId === 'river-patrol').map((t) => t.facilityId)).toEqual(['embankment-shahe']);
    });
  });

  it('at yellow (III) skips the orange and red steps', async () => {
    await withStack(async (stack) => {
      const view = await runToClose(stack, 'heavy-rain', 'renhe', 'III', { ...fast, quorumTimeout: '20s', rainWatch: '1m' }, { conditions: ['warning-cancelled', 'sensors-clear'] });
      expect(statusOf(view)).toMatchObject({ 'standby-blue': 'skipped', 'standby-confirmed': 'done', 'underpass-closure': 'skipped', 'close-underpasses': 'skipped', 'river-patrol': 'skipped', 'red-mobilisation': 'skipped' });
      expect(step(view, 'inspect-underpasses').status).toBe('verified');
    });
  });
});

describe('the strong-wind playbook', () => {
  it('at orange (II) secures billboards, cranes, temporary structures and trees, then clears up', async () => {
    await withStack(async (stack) => {
      const view = await runToClose(stack, 'strong-wind', 'yingshui', 'II', { ...fast, windWatch: '1m' }, { decide: { 'outdoor-activities': 'suspend' }, conditions: ['warning-cancelled'] });
      expect(statusOf(view)).toMatchObject({
        standby: 'done', billboards: 'verified', 'cranes-scaffolding': 'verified', 'temporary-structures': 'verified', 'street-trees': 'verified',
        'outdoor-activities': 'done', 'red-measures': 'skipped', 'fallen-trees': 'verified', 'power-lines': 'done',
      });
      expect(view.tasks.find((t) => t.stepId === 'billboards')?.crewId).toBe('crew-citymgmt-yingshui');
    });
  });
});

describe('the facility-failure playbook', () => {
  it('for a gas leak isolates the regulator, cordons the area, repairs, and tells everyone at stand-down', async () => {
    await withStack(async (stack) => {
      const view = await runToClose(stack, 'facility-failure', 'chenzhou-g2', 'II', { ...fast, restoreWatch: '1m' }, { decide: { 'failure-type': 'gas' }, conditions: ['sensors-clear'] });
      expect(statusOf(view)).toMatchObject({ 'gas-isolate': 'verified', 'gas-cordon': 'verified', 'gas-repair': 'verified', 'water-burst': 'skipped', 'pumping-failure': 'skipped', 'sewage-failure': 'skipped', 'close-out': 'done' });
      expect(view.tasks.find((t) => t.stepId === 'gas-isolate')?.facilityId).toBe('gas-reg-chenzhou');
      const sent = await stack.database.db.select().from(messages).where(eq(messages.runId, view.runId));
      expect(sent.some((m) => m.key.includes('|stand-down|'))).toBe(true);
    });
  });

  it('for a water main burst isolates, warns the area, supplies water and restores', async () => {
    await withStack(async (stack) => {
      const view = await runToClose(stack, 'facility-failure', 'chenzhou-g1', 'III', { ...fast, restoreWatch: '1m' }, { decide: { 'failure-type': 'water' }, conditions: ['sensors-clear'] });
      expect(statusOf(view)).toMatchObject({ 'water-isolate': 'verified', 'water-notice': 'done', 'water-tanker': 'done', 'water-repair': 'verified', 'gas-leak': 'skipped' });
      expect(view.tasks.find((t) => t.stepId === 'water-isolate')?.facilityId).toBe('main-dn800');
    });
  });
});
