import { createRoute, z } from '@hono/zod-openapi';
import { randomUUID } from 'node:crypto';
import cron from 'node-cron';
import { and, desc, eq, gte, type SQL } from 'drizzle-orm';
import { feedKinds, feeds, triggerLog, zones } from '../../db/schema/index.js';
import { feedHealth } from '../../domain/feed-health.js';
import { pollFeed } from '../feed-poller.js';
import { body, json } from '../openapi.js';
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
  return c.json({ results: await handleWarnings(c.get('deps'), trigger.mapping, warnings, { zoneId, by: c.get('actor'), resumed: c.get('resumed') ?? false }) }, 202);
}

const FeedInput = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lower-case letters, digits and dashes').optional(),
  name: z.string().min(1).max(200),
  kind: z.enum(feedKinds),
  url: z.url({ protocol: /^https?$/ }),
  cron: z.string().min(9).max(100).refine((c) => cron.validate(c), 'not a cron expression node-cron accepts (5 fields, or 6 with seconds)'),
  zoneId: z.string().optional(),
  enabled: z.boolean().default(true),
  silentAfterSeconds: z.number().int().min(60).max(7 * 86_400).default(1800),
}).refine((f) => f.kind !== 'qweather' || f.zoneId, { message: 'QWeather answers per location: name the zone', path: ['zoneId'] });

const withHealth = (feed: typeof feeds.$inferSelect, now: Date) => ({ ...feed, health: feedHealth(feed, now) });

export function feedRoutes() {
  return router()
    .openapi(createRoute({ method: 'get', path: '/feeds', summary: 'Registered feeds and their health (ok, pending, failing, silent, disabled)', responses: { 200: json(z.object({ feeds: z.array(z.looseObject({ health: z.string() })) }), 'Feeds') } }), async (c) => {
      const now = new Date();
      return c.json({ feeds: (await c.get('deps').db.select().from(feeds).orderBy(feeds.id)).map((f) => withHealth(f, now)) }, 200);
    })
    .openapi(createRoute({ method: 'post', path: '/feeds', summary: 'Register a feed to poll on a cron (with ETag/If-Modified-Since, a timeout and back-off)', request: body(FeedInput), responses: { 201: json(z.looseObject({}), 'Registered') } }), async (c) => {
      const { db } = c.get('deps');
      const input = c.req.valid('json');
      if (input.zoneId && !(await db.query.zones.findFirst({ where: eq(zones.id, input.zoneId) }))) throw new ApiError('unprocessable', `zoneId: no zone "${input.zoneId}"`, { errors: [{ path: 'body.zoneId', message: 'no such zone' }] });
      const id = input.id ?? `feed-${randomUUID().slice(0, 8)}`;
      const created = await db.insert(feeds).values({ ...input, id, zoneId: input.zoneId ?? null, createdAt: new Date().toISOString() }).onConflictDoNothing().returning();
      if (!created[0]) throw new ApiError('conflict', `feed "${id}" exists`);
      c.header('Location', `/api/feeds/${id}`);
      return c.json(withHealth(created[0], new Date()), 201);
    })
    .openapi(createRoute({ method: 'delete', path: '/feeds/{id}', summary: 'Stop polling a feed and forget it', request: { params: z.object({ id: z.string() }) }, responses: { 204: { description: 'Removed' } } }), async (c) => {
      const { id } = c.req.valid('param');
      if (!(await c.get('deps').db.delete(feeds).where(eq(feeds.id, id)).returning()).length) throw new ApiError('not-found', `no feed "${id}"`);
      return c.body(null, 204);
    })
    .openapi(createRoute({ method: 'post', path: '/feeds/{id}/poll', summary: 'Poll a feed now (ignores its back-off)', request: { params: z.object({ id: z.string() }) }, responses: { 200: json(z.looseObject({ result: z.string() }), 'What the poll did') } }), async (c) => {
      const deps = c.get('deps');
      const { id } = c.req.valid('param');
      const feed = await deps.db.query.feeds.findFirst({ where: eq(feeds.id, id) });
      if (!feed) throw new ApiError('not-found', `no feed "${id}"`);
      return c.json(await pollFeed(deps, { ...feed, backoffUntil: null }), 200);
    })
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
