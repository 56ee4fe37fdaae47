import { createRoute, z } from '@hono/zod-openapi';
import { router } from '../router.js';
import { json, body } from '../openapi.js';
import { CampaignListQuery, CampaignSchedule, IdParam, IndicatorQuery, StartCampaign } from '../campaign-schemas.js';
import { createSchedule, deleteSchedule, describeSchedule, getCampaign, indicators, listCampaigns, startCampaign, yearReport } from '../campaigns-service.js';
import { indicatorsCsv, yearReportHtml } from '../../domain/indicators.js';

const Indicator = z.object({
  zoneId: z.string(), zoneName: z.string(), facilityType: z.string(), facilities: z.number(), inspected: z.number(), shareInspected: z.number().nullable(),
  findings: z.object({ minor: z.number(), major: z.number(), critical: z.number() }), open: z.number(), closed: z.number(), meanHoursToRemediate: z.number().nullable(), overdue: z.number(),
}).openapi('Indicator');
const YearQuery = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100) });

// Fixed paths come before /campaigns/{id}, which would otherwise take "indicators" for an id.
export function campaignRoutes() {
  return router()
    .openapi(createRoute({ method: 'get', path: '/campaigns/indicators', summary: 'Examination indicators per district and facility type (a campaign, a year, or all)', request: { query: IndicatorQuery }, responses: { 200: json(z.object({ indicators: z.array(Indicator) }), 'Indicators') } }), async (c) => {
      return c.json({ indicators: await indicators(c.get('deps'), c.req.valid('query')) }, 200);
    })
    .openapi(createRoute({ method: 'get', path: '/campaigns/indicators.csv', summary: 'The indicators as CSV', request: { query: IndicatorQuery }, responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } } } }), async (c) => {
      const rows = await indicators(c.get('deps'), c.req.valid('query'));
      return c.body(indicatorsCsv(rows), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="examination-indicators.csv"' });
    })
    .openapi(createRoute({ method: 'get', path: '/campaigns/report.html', summary: "The city's printable yearly examination report", request: { query: YearQuery }, responses: { 200: { description: 'The report', content: { 'text/html': { schema: z.string() } } } } }), async (c) => {
      const deps = c.get('deps');
      const format = new Intl.DateTimeFormat('zh-CN', { timeZone: deps.config.timeZone, dateStyle: 'short', timeStyle: 'short' });
      return c.html(yearReportHtml(await yearReport(deps, c.req.valid('query').year), (iso) => format.format(new Date(iso))), 200);
    })
    .openapi(createRoute({ method: 'post', path: '/campaigns/schedules', summary: 'A recurring campaign: started every year on a day by a Temporal Schedule', request: body(CampaignSchedule), responses: { 201: json(z.object({ scheduleId: z.string() }), 'Scheduled') } }), async (c) => {
      const created = await createSchedule(c.get('deps'), c.req.valid('json'), c.get('actor'));
      c.header('location', `/api/campaigns/schedules/${c.req.valid('json').id}`);
      return c.json(created, 201);
    })
    .openapi(createRoute({ method: 'get', path: '/campaigns/schedules/{id}', summary: "A recurring campaign's schedule and its next start", request: { params: IdParam }, responses: { 200: json(z.looseObject({ id: z.string() }), 'The schedule') } }), async (c) => {
      return c.json(await describeSchedule(c.get('deps'), c.req.valid('param').id), 200);
    })
    .openapi(createRoute({ method: 'delete', path: '/campaigns/schedules/{id}', summary: 'Stop a recurring campaign (campaigns already open go on)', request: { params: IdParam }, responses: { 204: { description: 'Deleted' } } }), async (c) => {
      await deleteSchedule(c.get('deps'), c.req.valid('param').id);
      return c.body(null, 204);
    })
    .openapi(createRoute({ method: 'post', path: '/campaigns', summary: 'Start a campaign: inspections of facilities by type and zone, sent to crews, due by a date', request: body(StartCampaign), responses: { 201: json(z.object({ campaignId: z.string(), workflowId: z.string(), dueAt: z.string() }), 'Started') } }), async (c) => {
      const started = await startCampaign(c.get('deps'), c.req.valid('json'), c.get('actor'));
      c.header('location', `/api/campaigns/${started.campaignId}`);
      return c.json(started, 201);
    })
    .openapi(createRoute({ method: 'get', path: '/campaigns', summary: 'Campaigns, newest first, with progress', request: { query: CampaignListQuery }, responses: { 200: json(z.object({ campaigns: z.array(z.looseObject({ id: z.string() })) }), 'Campaigns') } }), async (c) => {
      return c.json({ campaigns: await listCampaigns(c.get('deps'), c.req.valid('query').status) }, 200);
    })
    .openapi(createRoute({ method: 'get', path: '/campaigns/{id}', summary: 'A campaign with its inspections, findings and events', request: { params: IdParam }, responses: { 200: json(z.looseObject({ id: z.string() }), 'The campaign') } }), async (c) => {
      return c.json(await getCampaign(c.get('deps'), c.req.valid('param').id), 200);
    });
}
