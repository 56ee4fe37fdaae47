import { createRoute, z } from '@hono/zod-openapi';
import { router } from '../router.js';
import { json } from '../openapi.js';
import { ActionResult, IdParam, LaunchRun, RunAction, RunListQuery, RunStarted, RunSummary } from '../schemas.js';
import { actOnRun, getReport, getRun, isDrill, launchRun, listRuns } from '../runs-service.js';
import { ApiError } from '../errors.js';
import type { Principal } from '../auth/middleware.js';

const isCoordinatorOnly = (p: Principal | undefined) => p?.kind === 'user' && p.role === 'drill-coordinator';
import { reportHtml, tasksCsv } from '../../domain/report.js';

const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: z.object({ title: z.string(), detail: z.string() }) } } });

const launch = createRoute({
  method: 'post',
  path: '/runs',
  summary: 'Launch a run of a playbook for a zone at a level',
  request: { body: { required: true, content: { 'application/json': { schema: LaunchRun } } } },
  responses: {
    201: json(RunStarted, 'The run started'),
    400: problemResponse('Invalid body'),
    409: problemResponse('A run for this hazard and zone is already open'),
    422: problemResponse('Unknown playbook, zone, level or timer'),
  },
});

const list = createRoute({
  method: 'get',
  path: '/runs',
  summary: 'List runs, newest first',
  request: { query: RunListQuery },
  responses: { 200: json(z.object({ runs: z.array(RunSummary) }), 'Runs') },
});

const detail = createRoute({
  method: 'get',
  path: '/runs/{id}',
  summary: "A run's state (live from its workflow, or its last snapshot) and timeline",
  request: { params: IdParam },
  responses: { 200: json(z.looseObject({ id: z.string() }), 'The run'), 404: problemResponse('No such run') },
});

const act = createRoute({
  method: 'post',
  path: '/runs/{id}/actions',
  summary: 'Steer a run: escalate, downgrade, decide, tick, note, reassign, pause, resume, stand down, hand over, ...',
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: RunAction } } } },
  responses: {
    200: json(ActionResult, 'The action was applied'),
    404: problemResponse('No such run'),
    409: problemResponse('The run refused the action, saying why'),
  },
});

const reportJson = createRoute({
  method: 'get',
  path: '/runs/{id}/report',
  summary: 'Incident report: timeline, level history, who was notified and dispatched, task timings, notes',
  request: { params: IdParam },
  responses: { 200: json(z.looseObject({ runId: z.string() }), 'The report'), 404: problemResponse('No such run') },
});
const reportHtmlRoute = createRoute({
  method: 'get',
  path: '/runs/{id}/report.html',
  summary: 'Incident report as a printable page',
  request: { params: IdParam },
  responses: { 200: { description: 'The report', content: { 'text/html': { schema: z.string() } } }, 404: problemResponse('No such run') },
});
const reportCsv = createRoute({
  method: 'get',
  path: '/runs/{id}/report.csv',
  summary: "The incident report's tasks as CSV",
  request: { params: IdParam },
  responses: { 200: { description: 'Tasks', content: { 'text/csv': { schema: z.string() } } }, 404: problemResponse('No such run') },
});

export function runRoutes() {
  return router()
    .openapi(launch, async (c) => {
      const body = c.req.valid('json');
      if (isCoordinatorOnly(c.get('principal')) && !body.drill) throw new ApiError('forbidden', 'A drill coordinator launches drills only ("drill": true)');
      const started = await launchRun(c.get('deps'), body, c.get('actor'), c.get('idempotencyKey'));
      c.header('location', `/api/runs/${started.runId}`);
      return c.json(started, 201);
    })
    .openapi(list, async (c) => c.json({ runs: await listRuns(c.get('deps'), c.req.valid('query')) }, 200))
    .openapi(detail, async (c) => c.json(await getRun(c.get('deps'), c.req.valid('param').id), 200))
    .openapi(reportJson, async (c) => c.json(await getReport(c.get('deps'), c.req.valid('param').id), 200))
    .openapi(reportHtmlRoute, async (c) => {
      const deps = c.get('deps');
      const format = new Intl.DateTimeFormat('zh-CN', { timeZone: deps.config.timeZone, dateStyle: 'short', timeStyle: 'medium' });
      return c.html(reportHtml(await getReport(deps, c.req.valid('param').id), (iso) => format.format(new Date(iso))), 200);
    })
    .openapi(reportCsv, async (c) => {
      const body = tasksCsv(await getReport(c.get('deps'), c.req.valid('param').id));
      return c.body(body, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${c.req.valid('param').id}-tasks.csv"` });
    })
    .openapi(act, async (c) => {
      const action = { ...c.req.valid('json'), by: c.get('actor') };
      if (isCoordinatorOnly(c.get('principal')) && !(await isDrill(c.get('deps'), c.req.valid('param').id))) throw new ApiError('forbidden', 'A drill coordinator steers drills only');
      const withChannel = 'taskId' in action && ['ack', 'done', 'help'].includes(action.type) ? { ...action, channel: 'console' } : action;
      return c.json(await actOnRun(c.get('deps'), c.req.valid('param').id, withChannel as Parameters<typeof actOnRun>[2]), 200);
    });
}
