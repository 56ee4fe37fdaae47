import { createRoute, z } from '@hono/zod-openapi';
import { drillCsv, drillReportHtml } from '../../domain/drills/report.js';
import { drillReport } from '../drill-report-service.js';
import { DrillBody, DrillIdParam, DrillPatch, DrillRunParam, ScheduleBody } from '../drill-schemas.js';
import { createDrill, describeSchedule, findDrill, listDrillRuns, scheduleDrill, setPaused, triggerDrill, updateDrill } from '../drills-service.js';
import { body, json } from '../openapi.js';
import { router } from '../router.js';
import { drills } from '../../db/schema/index.js';

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: z.object({ title: z.string(), detail: z.string() }) } } });
const Drill = z.looseObject({ id: z.string(), name: z.string() }).openapi('Drill');
const errors = { 400: problem('Invalid body'), 404: problem('No such drill'), 422: problem('Unknown playbook, zone, crew, sensor, step or timer; or a schedule Temporal cannot keep') };

const create = createRoute({ method: 'post', path: '/drills', summary: 'Create a drill (playbook, zone, level, participants, objectives, injects), scheduled if a schedule is given', request: body(DrillBody), responses: { 201: json(Drill, 'The drill'), ...errors } });
const list = createRoute({ method: 'get', path: '/drills', summary: 'Every drill', responses: { 200: json(z.object({ drills: z.array(Drill) }), 'Drills') } });
const one = createRoute({ method: 'get', path: '/drills/{id}', summary: "A drill, its Schedule as Temporal holds it, and its runs", request: { params: DrillIdParam }, responses: { 200: json(Drill, 'The drill'), 404: errors[404] } });
const edit = createRoute({ method: 'patch', path: '/drills/{id}', summary: "Edit a drill; its Schedule's next firing uses the new definition", request: { params: DrillIdParam, ...body(DrillPatch) }, responses: { 200: json(Drill, 'The drill'), ...errors } });
const schedule = createRoute({ method: 'post', path: '/drills/{id}/schedule', summary: "Set the drill's schedule (once or cron in the city's time zone), skipped dates, overlap policy and lead", request: { params: DrillIdParam, ...body(ScheduleBody) }, responses: { 200: json(Drill, 'The drill'), ...errors } });
const pause = createRoute({ method: 'post', path: '/drills/{id}/pause', summary: "Pause the drill's Schedule", request: { params: DrillIdParam }, responses: { 200: json(Drill, 'The drill'), 404: errors[404], 409: problem('The drill has no schedule') } });
const resume = createRoute({ method: 'post', path: '/drills/{id}/resume', summary: "Resume the drill's Schedule", request: { params: DrillIdParam }, responses: { 200: json(Drill, 'The drill'), 404: errors[404], 409: problem('The drill has no schedule') } });
const trigger = createRoute({ method: 'post', path: '/drills/{id}/trigger', summary: 'Run the drill now (participants are still told its lead ahead)', request: { params: DrillIdParam }, responses: { 202: json(z.object({ drillId: z.string(), via: z.enum(['schedule', 'workflow']) }), 'Started'), 404: errors[404] } });
const runsRoute = createRoute({ method: 'get', path: '/drills/{id}/runs', summary: "The drill's runs, newest first", request: { params: DrillIdParam }, responses: { 200: json(z.object({ runs: z.array(z.looseObject({ runId: z.string() })) }), 'Runs'), 404: errors[404] } });
const report = createRoute({ method: 'get', path: '/drills/{id}/runs/{runId}/report', summary: 'After-action report: timings per crew and task, objectives, non-responders, trend', request: { params: DrillRunParam }, responses: { 200: json(z.looseObject({ drill: z.looseObject({}) }), 'The report'), 404: errors[404] } });
const reportHtml = createRoute({ method: 'get', path: '/drills/{id}/runs/{runId}/report.html', summary: 'After-action report as a printable page', request: { params: DrillRunParam }, responses: { 200: { description: 'The report', content: { 'text/html': { schema: z.string() } } }, 404: errors[404] } });
const reportCsv = createRoute({ method: 'get', path: '/drills/{id}/runs/{runId}/report.csv', summary: "After-action report's task timings as CSV", request: { params: DrillRunParam }, responses: { 200: { description: 'Tasks', content: { 'text/csv': { schema: z.string() } } }, 404: errors[404] } });

export function drillRoutes() {
  return router()
    .openapi(create, async (c) => {
      const row = await createDrill(c.get('deps'), c.req.valid('json'), c.get('actor'));
      c.header('location', `/api/drills/${row.id}`);
      return c.json(row, 201);
    })
    .openapi(list, async (c) => c.json({ drills: await c.get('deps').db.select().from(drills).orderBy(drills.name) }, 200))
    .openapi(one, async (c) => {
      const deps = c.get('deps');
      const row = await findDrill(deps, c.req.valid('param').id);
      return c.json({ ...row, scheduleState: await describeSchedule(deps, row), runs: await listDrillRuns(deps, row.id) }, 200);
    })
    .openapi(edit, async (c) => c.json(await updateDrill(c.get('deps'), c.req.valid('param').id, c.req.valid('json')), 200))
    .openapi(schedule, async (c) => c.json(await scheduleDrill(c.get('deps'), c.req.valid('param').id, c.req.valid('json')), 200))
    .openapi(pause, async (c) => c.json(await setPaused(c.get('deps'), c.req.valid('param').id, true, c.get('actor')), 200))
    .openapi(resume, async (c) => c.json(await setPaused(c.get('deps'), c.req.valid('param').id, false, c.get('actor')), 200))
    .openapi(trigger, async (c) => c.json(await triggerDrill(c.get('deps'), c.req.valid('param').id, c.get('actor')), 202))
    .openapi(runsRoute, async (c) => {
      const deps = c.get('deps');
      const row = await findDrill(deps, c.req.valid('param').id);
      return c.json({ runs: await listDrillRuns(deps, row.id) }, 200);
    })
    .openapi(report, async (c) => {
      const { id, runId } = c.req.valid('param');
      return c.json(await drillReport(c.get('deps'), id, runId), 200);
    })
    .openapi(reportHtml, async (c) => {
      const deps = c.get('deps');
      const { id, runId } = c.req.valid('param');
      const format = new Intl.DateTimeFormat('zh-CN', { timeZone: deps.config.timeZone, dateStyle: 'short', timeStyle: 'medium' });
      return c.html(drillReportHtml(await drillReport(deps, id, runId), (iso) => format.format(new Date(iso))), 200);
    })
    .openapi(reportCsv, async (c) => {
      const { id, runId } = c.req.valid('param');
      return c.body(drillCsv(await drillReport(c.get('deps'), id, runId)), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${runId}-drill.csv"` });
    });
}
