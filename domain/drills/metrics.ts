import type { Objective } from '../../db/schema/drills.js';
import { parseDuration } from '../duration.js';

/** What measurement needs of a task (the workflow's TaskView has all of it). */
export interface TaskTiming {
  id: string;
  code: string;
  kind: 'task' | 'notice';
  stepId: string;
  facilityId?: string | undefined;
  crewId?: string | undefined;
  status: string;
  assignedAt?: string | undefined;
  acknowledgedAt?: string | undefined;
  doneAt?: string | undefined;
  attempts: { crewId: string; at: string; outcome: string }[];
}

export interface TaskMeasure { taskId: string; code: string; kind: string; stepId: string; facilityId: string | null; crewId: string | null; status: string; ackSeconds: number | null; doneSeconds: number | null; sinceStartDoneSeconds: number | null }
export interface CrewMeasure { crewId: string; tasks: number; acknowledged: number; done: number; medianAckSeconds: number | null; maxAckSeconds: number | null; maxDoneSeconds: number | null; timedOut: number; responded: boolean }
export interface ObjectiveResult { id: string; kind: Objective['kind']; label: string; met: boolean; detail: string }
export interface DrillMetrics {
  startedAt: string;
  tasks: TaskMeasure[];
  crews: CrewMeasure[];
  objectives: ObjectiveResult[];
  /** Participant crews that let a page time out or never acknowledged. */
  nonResponders: string[];
  summary: { tasks: number; acknowledged: number; done: number; medianAckSeconds: number | null; objectivesMet: number; objectivesTotal: number };
}

const seconds = (from: string | undefined, to: string | undefined) => (from && to ? Math.round((Date.parse(to) - Date.parse(from)) / 1000) : null);

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : Math.round(((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2);
}

/**
 * Measures one drill run from its tasks: time to acknowledge and to complete per task (from its
 * first assignment) and per crew (from its own), each objective met or missed with why, and the crews that did not respond.
 * Pure: `startedAt` is the drill run's start, every time comes from the tasks.
 */
export function measureDrill(input: { startedAt: string; tasks: TaskTiming[]; objectives: Objective[]; participants: string[] }): DrillMetrics {
  // A task's times run from its first assignment, as in the incident report: a page that timed out
  // and went to the next crew counts against the task. A crew's own times run from when it got it.
  const firstAssigned = (t: TaskTiming) => t.attempts[0]?.at ?? t.assignedAt;
  const tasks: TaskMeasure[] = input.tasks.map((t) => ({
    taskId: t.id, code: t.code, kind: t.kind, stepId: t.stepId, facilityId: t.facilityId ?? null, crewId: t.crewId ?? null, status: t.status,
    ackSeconds: seconds(firstAssigned(t), t.acknowledgedAt), doneSeconds: seconds(firstAssigned(t), t.doneAt), sinceStartDoneSeconds: seconds(input.startedAt, t.doneAt),
  }));
  const crewIds = [...new Set([...input.participants, ...input.tasks.flatMap((t) => [...(t.crewId ? [t.crewId] : []), ...t.attempts.map((a) => a.crewId)])])];
  const crews: CrewMeasure[] = crewIds.map((crewId) => {
    const mine = input.tasks.filter((t) => t.crewId === crewId).map((t) => ({ ack: seconds(t.assignedAt, t.acknowledgedAt), done: seconds(t.assignedAt, t.doneAt) }));
    const timedOut = input.tasks.flatMap((t) => t.attempts).filter((a) => a.crewId === crewId && a.outcome === 'timed-out').length;
    const acks = mine.flatMap((t) => (t.ack === null ? [] : [t.ack]));
    const dones = mine.flatMap((t) => (t.done === null ? [] : [t.done]));
    const unanswered = mine.filter((t) => t.ack === null).length;
    return {
      crewId, tasks: mine.length, acknowledged: acks.length, done: dones.length, medianAckSeconds: median(acks),
      maxAckSeconds: acks.length ? Math.max(...acks) : null, maxDoneSeconds: dones.length ? Math.max(...dones) : null,
      timedOut, responded: timedOut === 0 && unanswered === 0,
    };
  });
  const objectives = input.objectives.map((o) => judge(o, tasks));
  const acks = tasks.flatMap((t) => (t.ackSeconds === null ? [] : [t.ackSeconds]));
  return {
    startedAt: input.startedAt,
    tasks,
    crews,
    objectives,
    nonResponders: crews.filter((c) => !c.responded && (c.tasks > 0 || c.timedOut > 0)).map((c) => c.crewId),
    summary: {
      tasks: tasks.length, acknowledged: acks.length, done: tasks.filter((t) => t.doneSeconds !== null).length, medianAckSeconds: median(acks),
      objectivesMet: objectives.filter((o) => o.met).length, objectivesTotal: objectives.length,
    },
  };
}

function judge(o: Objective, tasks: TaskMeasure[]): ObjectiveResult {
  const limit = parseDuration(o.within) / 1000;
  if (o.kind === 'ack-within') {
    const label = o.label ?? `every crew acknowledges within ${o.within}`;
    const late = tasks.filter((t) => t.ackSeconds === null || t.ackSeconds > limit);
    if (!tasks.length) return { id: o.id, kind: o.kind, label, met: false, detail: 'no task or notice was sent' };
    return { id: o.id, kind: o.kind, label, met: late.length === 0, detail: late.length ? `late or missing: ${late.map((t) => `${t.code}@${t.crewId ?? '-'}`).join(', ')}` : `all ${tasks.length} acknowledged within ${o.within}` };
  }
  const label = o.label ?? `${o.stepId ?? o.facilityId ?? 'every task'} done within ${o.within} of the start`;
  const candidates = tasks.filter((t) => t.kind === 'task' && (!o.stepId || t.stepId === o.stepId) && (!o.facilityId || t.facilityId === o.facilityId));
  if (!candidates.length) return { id: o.id, kind: o.kind, label, met: false, detail: 'no such task was dispatched' };
  const late = candidates.filter((t) => t.sinceStartDoneSeconds === null || t.sinceStartDoneSeconds > limit);
  return { id: o.id, kind: o.kind, label, met: late.length === 0, detail: late.length ? `not done in time: ${late.map((t) => t.code).join(', ')}` : `done in ${Math.max(...candidates.map((t) => t.sinceStartDoneSeconds ?? 0))} s` };
}
