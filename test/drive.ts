import type { ConditionName } from '../workflows/messages.js';
import { eventually, type Stack } from './harness.js';
import { act, state, type RunDetail } from './runs.js';

export interface Script {
  /** Option to choose per decision step (unlisted decisions are left to their timers). */
  decide?: Record<string, string>;
  /** Conditions to report once only waits remain. */
  conditions?: ConditionName[];
}

const terminal = ['done', 'verified', 'failed', 'cancelled', 'skipped'];

/**
 * Plays everyone a run waits for: the duty officer ticks and decides, crews acknowledge and
 * report done, supervisors verify; then reports the conditions the waits need. Stops when the
 * run reaches its monitoring phase (every step settled).
 */
export async function driveToMonitoring(stack: Stack, runId: string, script: Script, timeoutMs = 45_000): Promise<RunDetail> {
  try {
    return await drive(stack, runId, script, timeoutMs);
  } catch (error) {
    const view = await state(stack, runId);
    const open = view.steps.filter((s) => !terminal.includes(s.status)).map((s) => `${s.id}=${s.status}`);
    const tasks = view.tasks.filter((t) => !['verified', 'waived', 'cancelled', 'acknowledged'].includes(t.status) || t.kind === 'task').map((t) => `${t.stepId}/${t.code}=${t.status}@${t.crewId ?? '-'}`);
    throw new Error(`${String(error)}; open steps: ${open.join(', ')}; tasks: ${tasks.join(', ')}; last events: ${view.timeline.slice(-5).map((e) => e.message).join(' | ')}`);
  }
}

function drive(stack: Stack, runId: string, script: Script, timeoutMs: number): Promise<RunDetail> {
  return eventually(async () => {
    const view = await state(stack, runId);
    if (!view.steps) return undefined;
    if (view.phase === 'monitoring') return view;
    for (const s of view.steps.filter((x) => x.status === 'running' || x.status === 'waiting-ack')) {
      for (const item of s.items?.filter((i) => !i.tickedAt) ?? []) await act(stack, runId, { type: 'tick', stepId: s.id, itemId: item.id });
      const choice = script.decide?.[s.id];
      if (s.decision && !s.decision.chosen && choice) await act(stack, runId, { type: 'decide', stepId: s.id, optionId: choice });
    }
    for (const t of view.tasks) {
      if (t.status === 'assigned') await act(stack, runId, { type: 'ack', taskId: t.id });
      else if (t.status === 'acknowledged' && t.kind === 'task') await act(stack, runId, { type: 'done', taskId: t.id });
      else if (t.status === 'awaiting-verification') await act(stack, runId, { type: 'verify', taskId: t.id });
    }
    const running = view.steps.filter((s) => (s.status === 'running' || s.status === 'waiting-ack') && s.kind !== 'sequence' && s.kind !== 'parallel');
    if (running.length && running.every((s) => s.kind === 'wait')) {
      for (const name of script.conditions ?? []) {
        if (!view.conditions[name]) await act(stack, runId, { type: 'condition', name, value: true });
      }
    }
    return undefined;
  }, timeoutMs, 'the run to settle');
}
