import { describe, expect, it } from 'vitest';
import { measureDrill, type TaskTiming } from './metrics.js';

const start = '2026-12-01T01:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(start) + seconds * 1000).toISOString();

function task(id: string, crewId: string, times: { assigned: number; ack?: number; done?: number }, extra: Partial<TaskTiming> = {}): TaskTiming {
  return {
    id, code: id.toUpperCase(), kind: 'task', stepId: 'close-underpasses', crewId, status: times.done !== undefined ? 'done' : times.ack !== undefined ? 'acknowledged' : 'assigned',
    assignedAt: at(times.assigned), acknowledgedAt: times.ack === undefined ? undefined : at(times.ack), doneAt: times.done === undefined ? undefined : at(times.done),
    attempts: [{ crewId, at: at(times.assigned), outcome: times.ack === undefined ? 'pending' : 'acknowledged' }], ...extra,
  };
}

describe('measuring a drill', () => {
  const tasks = [
    task('a1', 'crew-patrol-renhe', { assigned: 60, ack: 120, done: 900 }, { facilityId: 'underpass-renmin' }),
    task('a2', 'crew-drain-shahe', { assigned: 60, ack: 420 }, { stepId: 'pre-position' }),
    task('n1', 'crew-pump-city', { assigned: 30 }, { kind: 'notice', stepId: 'standby-confirmed' }),
  ];
  const metrics = measureDrill({
    startedAt: start, tasks, participants: ['crew-patrol-renhe', 'crew-drain-shahe', 'crew-pump-city'],
    objectives: [
      { id: 'ack', kind: 'ack-within', within: '5m' },
      { id: 'underpass', kind: 'done-within', within: '20m', stepId: 'close-underpasses', facilityId: 'underpass-renmin' },
    ],
  });

  it('times acknowledgement from assignment and completion from assignment and from the drill start', () => {
    expect(metrics.tasks.find((t) => t.taskId === 'a1')).toMatchObject({ ackSeconds: 60, doneSeconds: 840, sinceStartDoneSeconds: 900 });
    expect(metrics.tasks.find((t) => t.taskId === 'a2')).toMatchObject({ ackSeconds: 360, doneSeconds: null });
  });

  it('times a reassigned task from its first page, and the crew that took it over from its own', () => {
    // The drainage crew let the page time out after 5 minutes; the pump crew got it and acknowledged a minute later.
    const handedOn: TaskTiming = {
      ...task('r1', 'crew-pump-city', { assigned: 360, ack: 420 }),
      attempts: [{ crewId: 'crew-drain-shahe', at: at(60), outcome: 'timed-out' }, { crewId: 'crew-pump-city', at: at(360), outcome: 'acknowledged' }],
    };
    const m = measureDrill({ startedAt: start, tasks: [handedOn], participants: ['crew-drain-shahe', 'crew-pump-city'], objectives: [{ id: 'ack', kind: 'ack-within', within: '5m' }] });
    expect(m.tasks[0]).toMatchObject({ ackSeconds: 360 });
    expect(m.crews.find((c) => c.crewId === 'crew-pump-city')).toMatchObject({ medianAckSeconds: 60, responded: true });
    expect(m.crews.find((c) => c.crewId === 'crew-drain-shahe')).toMatchObject({ timedOut: 1, responded: false });
    expect(m.objectives[0]).toMatchObject({ met: false });
  });

  it('judges each objective with the reason', () => {
    expect(metrics.objectives).toEqual([
      { id: 'ack', kind: 'ack-within', label: 'every crew acknowledges within 5m', met: false, detail: 'late or missing: A2@crew-drain-shahe, N1@crew-pump-city' },
      { id: 'underpass', kind: 'done-within', label: 'close-underpasses done within 20m of the start', met: true, detail: 'done in 900 s' },
    ]);
    expect(metrics.summary).toEqual({ tasks: 3, acknowledged: 2, done: 1, medianAckSeconds: 210, objectivesMet: 1, objectivesTotal: 2 });
  });

  it('names the crews that never answered, and counts a page that timed out against its crew', () => {
    expect(metrics.nonResponders).toEqual(['crew-pump-city']);
    const escalated = measureDrill({ startedAt: start, participants: ['crew-drain-shahe'], objectives: [], tasks: [
      task('b1', 'crew-drain-yingshui', { assigned: 60, ack: 700 }, { attempts: [{ crewId: 'crew-drain-shahe', at: at(60), outcome: 'timed-out' }, { crewId: 'crew-drain-yingshui', at: at(660), outcome: 'acknowledged' }] }),
    ] });
    expect(escalated.nonResponders).toEqual(['crew-drain-shahe']);
    expect(escalated.crews.find((c) => c.crewId === 'crew-drain-shahe')).toMatchObject({ tasks: 0, timedOut: 1, responded: false });
  });

  it('misses a completion objective when no such task was dispatched', () => {
    const none = measureDrill({ startedAt: start, participants: [], tasks: [], objectives: [{ id: 'x', kind: 'done-within', within: '10m', stepId: 'close-underpasses' }] });
    expect(none.objectives[0]).toMatchObject({ met: false, detail: 'no such task was dispatched' });
  });
});
