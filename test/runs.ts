import { expect } from 'vitest';
import type { RunView, StepView, TaskView } from '../workflows/messages.js';
import { eventually, type Stack } from './harness.js';

export type RunDetail = RunView & { status: string; timeline: { type: string; message: string; data: Record<string, unknown> }[] };

export async function launch(stack: Stack, playbookId: string, zoneId: string, level = 'III', extra: Record<string, unknown> = {}): Promise<string> {
  const res = await stack.call('POST', '/api/runs', { playbookId, zoneId, level, reason: 'test', ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.runId as string;
}

export async function state(stack: Stack, runId: string): Promise<RunDetail> {
  const res = await stack.call('GET', `/api/runs/${runId}`);
  return { ...res.body.state, status: res.body.status, timeline: res.body.timeline };
}

export function step(view: RunView, id: string): StepView {
  const found = view.steps.find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
}

export const act = (stack: Stack, runId: string, body: Record<string, unknown>) => stack.call('POST', `/api/runs/${runId}/actions`, body);

/** Acts and expects the run to accept. */
export async function accepted(stack: Stack, runId: string, body: Record<string, unknown>): Promise<void> {
  const res = await act(stack, runId, body);
  expect(res.status, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`).toBe(200);
}

/** Waits until `check` holds for the run's state, and returns that state. */
export function until(stack: Stack, runId: string, check: (view: RunDetail) => boolean, what: string, timeoutMs = 15_000): Promise<RunDetail> {
  return eventually(async () => {
    const view = await state(stack, runId);
    return view.steps && check(view) ? view : undefined;
  }, timeoutMs, what);
}

export const stepReaches = (stack: Stack, runId: string, id: string, status: string) =>
  until(stack, runId, (v) => step(v, id).status === status, `step ${id} to be ${status}`);

export function tasksOf(view: RunView, stepId: string): TaskView[] {
  return view.tasks.filter((t) => t.stepId === stepId);
}
