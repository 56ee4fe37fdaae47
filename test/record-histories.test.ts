import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { describe, expect, it } from 'vitest';
import { loadPlaybooks } from '../playbooks/loader.js';
import { eventually, withStack, type Stack } from './harness.js';
import { stateQuery } from '../workflows/messages.js';
import { driveToMonitoring, type Script } from './drive.js';

/**
 * Records the histories that workflows/replay.test.ts replays. Runs only on request:
 *   RECORD_HISTORIES=1 npx vitest run test/record-histories.test.ts
 * Record again only when a change is meant to break replay of old runs (and say so in the commit).
 */
const recording = Boolean(process.env.RECORD_HISTORIES);
const out = (name: string) => resolve('workflows/histories', `${name}.json`);

async function finish(stack: Stack, runId: string, name: string): Promise<void> {
  const row = await eventually(async () => {
    const detail = await stack.call('GET', `/api/runs/${runId}`);
    return detail.body.status === 'closed' ? detail.body : undefined;
  }, 20_000, 'the run to close');
  const handle = stack.client.workflow.getHandle(row.workflowId, row.temporalRunId);
  writeFileSync(out(name), historyToJSON(await handle.fetchHistory()));
}

describe.runIf(recording)('recording histories for replay tests', () => {
  it('steps-demo: checklist, parallel, decision, level change, pause, stand-down', async () => {
    await withStack(async (stack) => {
      const { body } = await stack.call('POST', '/api/runs', { playbookId: 'steps-demo', zoneId: 'renhe', level: 'III', reason: 'record' });
      const act = (b: Record<string, unknown>) => stack.call('POST', `/api/runs/${body.runId}/actions`, b);
      await act({ type: 'tick', stepId: 'open-checklist', itemId: 'staff' });
      await act({ type: 'note', text: 'radio check pending' });
      await act({ type: 'tick', stepId: 'open-checklist', itemId: 'comms' });
      await eventually(async () => ((await act({ type: 'pause', stepId: 'choose' })).status === 200 ? true : undefined));
      await act({ type: 'resume', stepId: 'choose' });
      await act({ type: 'decide', stepId: 'choose', optionId: 'close' });
      await eventually(async () => ((await act({ type: 'tick', stepId: 'after-close', itemId: 'barriers' })).status === 200 ? true : undefined));
      await act({ type: 'escalate', level: 'I', reason: 'red warning' });
      const handle = stack.client.workflow.getHandle(body.workflowId);
      await eventually(async () => ((await handle.query(stateQuery)).steps.find((s) => s.id === 'red-only')?.status === 'running' ? true : undefined));
      await act({ type: 'downgrade', level: 'II', reason: 'orange' });
      await act({ type: 'handover', to: 'officer-li' });
      await act({ type: 'condition', name: 'warning-cancelled', value: true });
      await act({ type: 'stand-down', reason: 'warning lifted' });
      await finish(stack, body.runId, 'steps-demo');
    }, { playbooks: loadPlaybooks(resolve('test/playbooks')) });
    expect(true).toBe(true);
  });

  it('duty-check: a decision left to its default', async () => {
    await withStack(async (stack) => {
      const { body } = await stack.call('POST', '/api/runs', { playbookId: 'duty-check', zoneId: 'hehua', level: 'IV', reason: 'record', timers: { consultWindow: '1s', deputyWindow: '1s' } });
      const act = (b: Record<string, unknown>) => stack.call('POST', `/api/runs/${body.runId}/actions`, b);
      await act({ type: 'tick', stepId: 'consult', itemId: 'call-weather-bureau' });
      await act({ type: 'tick', stepId: 'consult', itemId: 'read-radar' });
      const handle = stack.client.workflow.getHandle(body.workflowId);
      await eventually(async () => ((await handle.query(stateQuery)).phase === 'monitoring' ? true : undefined));
      await act({ type: 'stand-down', reason: 'no escalation needed' });
      await finish(stack, body.runId, 'duty-check');
    });
  });

  it('drill: told ahead, an inject fed, stood down when its window closes', async () => {
    await withStack(async (stack) => {
      const { body } = await stack.callAs('drill-coordinator', 'POST', '/api/drills', {
        name: 'record', playbookId: 'duty-check', zoneId: 'hehua', level: 'IV', participants: ['crew-patrol-hehua'], lead: '1s', window: '6s',
        timers: { consultWindow: '2s', deputyWindow: '1s' }, injects: [{ id: 'orange', at: '1s', kind: 'warning', level: 'II', headline: 'orange warning' }],
      });
      await stack.callAs('drill-coordinator', 'POST', `/api/drills/${body.id}/trigger`);
      const run = await eventually(async () => {
        const runs = (await stack.call('GET', `/api/drills/${body.id}/runs`)).body.runs;
        return runs[0]?.status === 'ended' ? runs[0] : undefined;
      }, 30_000, 'the drill to end');
      const handle = stack.client.workflow.getHandle(run.workflowId);
      await handle.result();
      writeFileSync(out('drill'), historyToJSON(await handle.fetchHistory()));
    }, { env: { STORMDESK_DRILL_CHECK_SECONDS: '1' } });
  });

  const real: [string, string, string, Record<string, string>, Script][] = [
    ['heavy-rain', 'shahe', 'I', { ackTimeout: '20s', verifyTimeout: '20s', quorumTimeout: '20s', decisionTimeout: '20s', deputyTimeout: '5s', rainWatch: '1m' }, { decide: { 'underpass-closure': 'close' }, conditions: ['warning-cancelled', 'sensors-clear'] }],
    ['strong-wind', 'yingshui', 'II', { ackTimeout: '20s', verifyTimeout: '20s', decisionTimeout: '20s', deputyTimeout: '5s', windWatch: '1m' }, { decide: { 'outdoor-activities': 'suspend' }, conditions: ['warning-cancelled'] }],
    ['facility-failure', 'chenzhou-g2', 'II', { ackTimeout: '20s', verifyTimeout: '20s', decisionTimeout: '20s', deputyTimeout: '5s', restoreWatch: '1m' }, { decide: { 'failure-type': 'gas' }, conditions: ['sensors-clear'] }],
  ];
  it.each(real)('%s: driven end to end in zone %s at level %s', async (playbookId, zoneId, level, timers, script) => {
    await withStack(async (stack) => {
      const { body } = await stack.call('POST', '/api/runs', { playbookId, zoneId, level, reason: 'record', timers });
      await driveToMonitoring(stack, body.runId, script);
      await stack.call('POST', `/api/runs/${body.runId}/actions`, { type: 'stand-down', reason: 'recorded' });
      await finish(stack, body.runId, playbookId);
    });
  });

  it('campaign and finding: reminder, overdue escalation, a failed item, remediation, a failed and a passing re-inspection', async () => {
    await withStack(async (stack) => {
      const { body } = await stack.call('POST', '/api/campaigns', { name: 'record', facilityTypes: ['gas-regulator'], zoneIds: ['chenzhou'], crewIds: ['crew-patrol-chenzhou'], dueIn: '3s', timers: { remindBefore: '1s', escalateEvery: '2s', remediationDue: '1s', reinspectionDue: '1s' } });
      const campaignId = body.campaignId as string;
      const inspection = await eventually(async () => {
        const res = await stack.call('GET', `/api/inspections?campaignId=${campaignId}`);
        const found = res.body.inspections[0];
        return found?.overdueAt ? found : undefined;
      }, 20_000, 'an overdue inspection');
      await stack.call('POST', `/api/inspections/${inspection.id}/results`, { results: [{ itemId: 'outlet-pressure', outcome: 'pass', value: 4.2 }, { itemId: 'no-leak', outcome: 'pass' }, { itemId: 'signage', outcome: 'pass' }] });
      const finding = await eventually(async () => (await stack.call('GET', `/api/findings?campaignId=${campaignId}`)).body.findings.find((f: { workflowId: string | null }) => f.workflowId), 20_000, 'the finding');
      await new Promise((r) => setTimeout(r, 2_500));
      const reinspect = async (value: number, attempt: number) => {
        await eventually(async () => ((await stack.call('POST', `/api/findings/${finding.id}/remediated`, { note: 'fixed' })).status === 200 ? true : undefined), 20_000, 'remediated');
        const re = await eventually(async () => {
          const rows = (await stack.call('GET', `/api/findings/${finding.id}`)).body.reinspections;
          return rows.length === attempt ? rows[attempt - 1] : undefined;
        }, 20_000, 're-inspection');
        await new Promise((r) => setTimeout(r, 1_500));
        await stack.call('POST', `/api/inspections/${re.id}/results`, { results: [{ itemId: 'outlet-pressure', outcome: 'pass', value }] });
      };
      await reinspect(3.9, 1);
      await reinspect(2.8, 2);
      const save = async (workflowId: string, name: string) => {
        const handle = stack.client.workflow.getHandle(workflowId);
        await handle.result();
        writeFileSync(out(name), historyToJSON(await handle.fetchHistory()));
      };
      await save(body.workflowId, 'campaign');
      await save(finding.workflowId, 'finding');
    });
  });
});
