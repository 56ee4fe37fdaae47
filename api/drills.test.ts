import { describe, expect, it } from 'vitest';
import { localParts } from '../domain/drills/schedule.js';
import { withStack } from '../test/harness.js';
import { drillBody } from '../test/drills.js';
import { ensureDrillSchedules } from './drills-service.js';


describe('the demo drill', () => {
  it('is seeded monthly with injects, and gets its Schedule from start-up (or when first paused) since the seed runs before Temporal', async () => {
    await withStack(async (stack) => {
      const demo = await stack.call('GET', '/api/drills/drill-demo-renhe-rain');
      expect(demo.body).toMatchObject({ playbookId: 'heavy-rain', schedule: { kind: 'recurring', cron: '0 9 1 * *' }, lead: '30m', injects: [{ kind: 'warning' }, { kind: 'reading' }] });
      expect(await ensureDrillSchedules(stack.deps)).toBe(1);
      expect(await ensureDrillSchedules(stack.deps)).toBe(0);
      const handle = stack.client.schedule.getHandle(`${stack.config.temporal.workflowIdPrefix}drill:drill-demo-renhe-rain`);
      try {
        expect((await handle.describe()).spec.calendars).toEqual([expect.objectContaining({ hour: [{ start: 8, end: 8, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] })]);
      } finally {
        await handle.delete();
      }
    });
  });
});

describe('drill schedules', () => {
  it('create a Temporal Schedule that fires the lead before the drill, in the city time zone, skipping holidays, with the overlap policy asked for', async () => {
    await withStack(async (stack) => {
      const created = await stack.callAs('drill-coordinator', 'POST', '/api/drills', drillBody({
        schedule: { kind: 'recurring', cron: '0 9 1 * *' }, lead: '30m', skipDates: ['2027-01-01'], overlap: 'buffer-one',
      }));
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.headers.get('location')).toBe(`/api/drills/${created.body.id}`);
      const scheduleId = `${stack.config.temporal.workflowIdPrefix}drill:${created.body.id}`;
      const handle = stack.client.schedule.getHandle(scheduleId);
      try {
        const described = await handle.describe();
        expect(described.spec.timezone).toBe('Asia/Shanghai');
        expect(described.spec.calendars).toEqual([expect.objectContaining({ minute: [{ start: 30, end: 30, step: 1 }], hour: [{ start: 8, end: 8, step: 1 }], dayOfMonth: [{ start: 1, end: 1, step: 1 }] })]);
        expect(described.spec.skip).toEqual([expect.objectContaining({ year: [{ start: 2027, end: 2027, step: 1 }], month: [{ start: 'JANUARY', end: 'JANUARY', step: 1 }], dayOfMonth: [{ start: 1, end: 1, step: 1 }] })]);
        expect(described.policies.overlap).toBe('BUFFER_ONE');
        expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'drill', taskQueue: stack.config.temporal.taskQueue });
        expect(described.action.args?.[0]).toMatchObject({ drillId: created.body.id, leadMs: 1_800_000, zoneId: 'renhe', playbook: { id: 'heavy-rain' } });
        const next = localParts(described.info.nextActionTimes[0] as Date, 'Asia/Shanghai');
        expect([next.day, next.hour, next.minute]).toEqual([1, 8, 30]);

        expect((await stack.callAs('drill-coordinator', 'POST', `/api/drills/${created.body.id}/pause`)).body.paused).toBe(true);
        expect((await handle.describe()).state.paused).toBe(true);
        expect((await stack.callAs('drill-coordinator', 'POST', `/api/drills/${created.body.id}/resume`)).body.paused).toBe(false);
        expect((await handle.describe()).state.paused).toBe(false);

        const rescheduled = await stack.callAs('drill-coordinator', 'POST', `/api/drills/${created.body.id}/schedule`, { schedule: { kind: 'recurring', cron: '0 14 * * 3' }, skipDates: ['2026-12-30'], overlap: 'skip' });
        expect(rescheduled.status, JSON.stringify(rescheduled.body)).toBe(200);
        const after = await handle.describe();
        expect(after.spec.calendars).toEqual([expect.objectContaining({ hour: [{ start: 13, end: 13, step: 1 }], dayOfWeek: [{ start: 'WEDNESDAY', end: 'WEDNESDAY', step: 1 }] })]);
        expect(after.policies.overlap).toBe('SKIP');

        const edited = await stack.callAs('drill-coordinator', 'PATCH', `/api/drills/${created.body.id}`, { name: 'renamed', participants: ['crew-patrol-renhe'] });
        expect(edited.status).toBe(200);
        expect((await handle.describe()).action.args?.[0]).toMatchObject({ name: 'renamed', participants: ['crew-patrol-renhe'] });

        const one = await stack.call('GET', `/api/drills/${created.body.id}`);
        expect(one.body).toMatchObject({ name: 'renamed', scheduleState: { scheduleId, paused: false, timezone: 'Asia/Shanghai' }, runs: [] });
      } finally {
        await handle.delete();
      }
    });
  });

  it('refuse what they cannot keep, naming the field, and leave nothing half-written', async () => {
    await withStack(async (stack) => {
      const bad = await stack.callAs('drill-coordinator', 'POST', '/api/drills', drillBody({
        participants: ['crew-patrol-renhe', 'crew-nobody'],
        injects: [{ id: 'g', at: '3h', kind: 'reading', sensorId: 'no-gauge', value: 1 }],
        objectives: [{ id: 'o', kind: 'done-within', within: '5m', stepId: 'no-step' }],
        timers: { noTimer: '1m' },
        schedule: { kind: 'recurring', cron: '10 0 * * *' }, lead: '30m',
      }));
      expect(bad.status).toBe(422);
      expect(bad.headers.get('content-type')).toBe('application/problem+json');
      expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual([
        'body.participants.1', 'body.timers.noTimer', 'body.injects.0.at', 'body.injects.0.sensorId', 'body.objectives.0.stepId', 'body.lead',
      ]);
      const malformed = await stack.callAs('drill-coordinator', 'POST', '/api/drills', drillBody({ injects: [{ id: 'w', at: 'soon', kind: 'warning', level: 'II', headline: 'x' }] }));
      expect(malformed).toMatchObject({ status: 400, body: { errors: [{ path: 'body.injects.0.at' }] } });
      expect((await stack.call('GET', '/api/drills')).body.drills.map((d: { id: string }) => d.id)).toEqual(['drill-demo-renhe-rain']);
      expect((await stack.database.client.execute('select count(*) as n from drills')).rows[0]?.n).toBe(1);

      expect((await stack.callAs('viewer', 'POST', '/api/drills', drillBody())).status).toBe(403);
      expect((await stack.callAs('crew', 'GET', '/api/drills')).status).toBe(403);
      const unscheduled = await stack.callAs('drill-coordinator', 'POST', '/api/drills', drillBody());
      expect(unscheduled.status).toBe(201);
      expect((await stack.callAs('drill-coordinator', 'POST', `/api/drills/${unscheduled.body.id}/pause`)).status).toBe(409);
      expect((await stack.callAs('drill-coordinator', 'POST', '/api/drills/no-such-drill/trigger')).status).toBe(404);
    });
  });
});
