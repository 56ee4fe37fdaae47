import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, gte, type SQL } from 'drizzle-orm';
import { triggerLog } from '../../db/schema/index.js';
import { parseCap } from '../../domain/warnings/cap.js';
import { parseNws, parseQWeather } from '../../domain/warnings/feeds.js';
import { WarningParseError, type Warning } from '../../domain/warnings/types.js';
import { ApiError } from '../errors.js';
import { readJson, router } from '../router.js';
import { handleWarnings } from '../triggers-service.js';
import type { Context } from 'hono';
import type { AppEnv } from '../deps.js';

const Outcome = z.object({
  identifier: z.string(), msgType: z.string(),
  action: z.enum(['started', 'awaiting-confirmation', 'escalated', 'downgraded', 'noted', 'stand-down-requested', 'duplicate', 'no-matching-zone', 'unmapped', 'expired']),
  hazard: z.string().optional(), level: z.string().optional(), zoneIds: z.array(z.string()).optional(), runId: z.string().optional(), workflowId: z.string().optional(), reason: z.string(),
}).openapi('TriggerOutcome');
const accepted = { description: 'What was decided for each message', content: { 'application/json': { schema: z.object({ results: z.array(Outcome) }) } } };
const ZoneQuery = z.strictObject({ zoneId: z.string().optional().openapi({ description: "The zone the feed is for (QWeather answers per location)" }) });

async function decide(c: Context<AppEnv>, parse: () => Warning[] | Promise<Warning[]>) {
  let warnings: Warning[];
  try {
    warnings = await parse();
  } catch (error) {
    if (error instanceof WarningParseError) throw new ApiError('unprocessable', `${error.path}: ${error.problem}`, { errors: [{ path: error.path, message: error.problem }] });
    throw error;
  }
  const { trigger } = c.get('deps');
  if (!trigger) throw new ApiError('unavailable', 'Warning triggers are not configured on this instance');
  const zoneId = c.req.query('zoneId');
  return c.json({ results: await handleWarnings(c.get('deps'), trigger.mapping, warnings, { zoneId, by: c.get('actor') }) }, 202);
}

export function feedRoutes() {
  return router()
    .openapi(createRoute({ method: 'post', path: '/feeds/cap', summary: 'Push a CAP 1.2 (or 1.1) alert as XML', request: { query: ZoneQuery, body: { required: true, content: { 'application/xml': { schema: z.string() }, 'application/cap+xml': { schema: z.string() }, 'text/xml': { schema: z.string() } } } }, responses: { 202: accepted } }), async (c) => {
      const type = c.req.header('content-type') ?? '';
      if (!/xml/i.test(type)) throw new ApiError('unsupported-media-type', 'Send CAP as application/xml, application/cap+xml or text/xml');
      const xml = await c.req.text();
      return decide(c, () => [parseCap(xml)]);
    })
    .openapi(createRoute({ method: 'post', path: '/feeds/nws', summary: 'Push api.weather.gov alerts (GeoJSON)', request: { query: ZoneQuery }, responses: { 202: accepted } }), async (c) => {
      const body = await readJson(c);
      return decide(c, () => parseNws(body));
    })
    .openapi(createRoute({ method: 'post', path: '/feeds/qweather', summary: "Push QWeather warnings (v1 alerts or v7 warning/now); ?zoneId= names the zone", request: { query: ZoneQuery }, responses: { 202: accepted } }), async (c) => {
      if (!c.req.query('zoneId')) throw new ApiError('invalid-request', 'zoneId: QWeather answers per location, so name the zone with ?zoneId=', { errors: [{ path: 'query.zoneId', message: 'required' }] });
      const body = await readJson(c);
      return decide(c, () => parseQWeather(body));
    })
    .openapi(createRoute({ method: 'get', path: '/triggers', summary: 'The trigger log: what came in, what matched, what was done and why', request: { query: z.strictObject({ zoneId: z.string().optional(), action: z.string().optional(), source: z.string().optional(), since: z.iso.datetime().optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) }) }, responses: { 200: { description: 'Entries', content: { 'application/json': { schema: z.object({ triggers: z.array(z.looseObject({})) }) } } } } }), async (c) => {
      const q = c.req.valid('query');
      const filters: SQL[] = [];
      if (q.zoneId) filters.push(eq(triggerLog.zoneId, q.zoneId));
      if (q.action) filters.push(eq(triggerLog.action, q.action));
      if (q.source) filters.push(eq(triggerLog.source, q.source));
      if (q.since) filters.push(gte(triggerLog.at, q.since));
      return c.json({ triggers: await c.get('deps').db.select().from(triggerLog).where(filters.length ? and(...filters) : undefined).orderBy(desc(triggerLog.id)).limit(q.limit) }, 200);
    });
}
