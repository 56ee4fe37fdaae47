import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, gte, inArray } from 'drizzle-orm';
import { facilities, facilityStatuses, readings, sensorMetrics, sensorRuleStates, sensorRules, sensors, zones } from '../../db/schema/index.js';
import { levels } from '../../domain/levels.js';
import { ApiError } from '../errors.js';
import { body, json } from '../openapi.js';
import { readJson, router } from '../router.js';
import { evaluateRules, handleFacilityEvent, lastReadingTimes, storeBatch, tooFarAhead } from '../sensor-rules.js';

const Reading = z.strictObject({
  sensorId: z.string().min(1).max(100),
  time: z.iso.datetime({ offset: true }),
  metric: z.string().min(1).max(50),
  value: z.number().finite(),
  unit: z.string().min(1).max(20),
});
const MAX_BATCH = 10_000;
const scope = {
  sensorId: z.string().min(1).optional().openapi({ description: 'One sensor; or name zoneId and metric for every such sensor in the zone' }),
  zoneId: z.string().min(1).optional(), metric: z.enum(sensorMetrics).optional(),
};
const starts = { hazard: z.string().min(1), playbookId: z.string().min(1), level: z.enum(levels) };
const hysteresis = { above: z.number().finite(), clearBelow: z.number().finite(), sustainedSeconds: z.number().int().min(0).max(86_400).default(0) };
// A rule without a kind is a threshold, as rules were before there were other kinds.
const RuleInput = z.preprocess((v) => (v && typeof v === 'object' && !Array.isArray(v) && !('kind' in v) ? { ...v, kind: 'threshold' } : v), z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('threshold'), ...scope, ...starts, ...hysteresis }),
  z.strictObject({ kind: z.literal('rate-of-change'), ...scope, ...starts, ...hysteresis, windowSeconds: z.number().int().min(60).max(86_400) }),
  z.strictObject({ kind: z.literal('silent'), ...scope, silentSeconds: z.number().int().min(60).max(7 * 86_400) }),
]).superRefine((r, ctx) => {
  if ('clearBelow' in r && r.clearBelow > r.above) ctx.addIssue({ code: 'custom', message: 'must not be above the trip level (hysteresis)', path: ['clearBelow'] });
  if (!r.sensorId === !(r.zoneId && r.metric)) ctx.addIssue({ code: 'custom', message: 'name either sensorId, or zoneId and metric', path: [r.sensorId ? 'zoneId' : 'sensorId'] });
}));
const FacilityEvent = z.strictObject({ time: z.iso.datetime({ offset: true }), status: z.enum(facilityStatuses), detail: z.string().max(500).optional() });

const Result = z.object({ accepted: z.number(), rejected: z.array(z.object({ index: z.number(), error: z.string() })), triggered: z.array(z.looseObject({ ruleId: z.string() })) }).openapi('ReadingsResult');

export function sensorRoutes() {
  return router()
    .openapi(createRoute({ method: 'post', path: '/sensors/readings', summary: 'One reading or a batch ({readings: [...]}); each is checked on its own, the good ones are kept, rules are evaluated on arrival', request: { body: { required: true, content: { 'application/json': { schema: z.union([Reading, z.object({ readings: z.array(z.unknown()) })]) } } } }, responses: { 202: json(Result, 'Per-item outcome') } }), async (c) => {
      const deps = c.get('deps');
      const raw = await readJson(c);
      const items: unknown[] = raw && typeof raw === 'object' && Array.isArray((raw as { readings?: unknown }).readings) ? (raw as { readings: unknown[] }).readings : [raw];
      if (items.length > MAX_BATCH) throw new ApiError('payload-too-large', `At most ${MAX_BATCH} readings per batch`);
      const now = new Date();
      const parsed = items.map((item) => Reading.safeParse(item));
      const ids = [...new Set(parsed.flatMap((p) => (p.success ? [p.data.sensorId] : [])))];
      const known = new Map((ids.length ? await deps.db.select().from(sensors).where(inArray(sensors.id, ids)) : []).map((s) => [s.id, s]));
      const rejected: { index: number; error: string }[] = [];
      const good: (z.infer<typeof Reading> & { index: number })[] = [];
      parsed.forEach((p, index) => {
        if (!p.success) {
          const issue = p.error.issues[0];
          rejected.push({ index, error: `${issue?.path.join('.') || 'reading'}: ${issue?.code === 'unrecognized_keys' ? `unknown field ${issue.keys.join(', ')}` : issue?.message}` });
          return;
        }
        const sensor = known.get(p.data.sensorId);
        if (!sensor) rejected.push({ index, error: `sensorId: no sensor "${p.data.sensorId}"` });
        else if (sensor.metric !== p.data.metric) rejected.push({ index, error: `metric: sensor ${sensor.id} measures ${sensor.metric}` });
        else if (tooFarAhead(p.data.time, now)) rejected.push({ index, error: 'time: more than 5 minutes in the future' });
        else good.push({ ...p.data, time: new Date(p.data.time).toISOString(), index });
      });
      const evaluation = await evaluateRules(deps, good, known, now, c.get('actor'));
      await storeBatch(deps, good.map(({ index: _i, ...r }) => ({ ...r, receivedAt: now.toISOString() })), evaluation);
      const triggered = evaluation.triggered;
      return c.json({ accepted: good.length, rejected, triggered }, 202);
    })
    .openapi(createRoute({ method: 'get', path: '/sensors', summary: 'Sensors with their last reading and whether a silent rule has flagged them', request: { query: z.strictObject({ zoneId: z.string().optional() }) }, responses: { 200: json(z.object({ sensors: z.array(z.looseObject({})) }), 'Sensors') } }), async (c) => {
      const { db } = c.get('deps');
      const zoneId = c.req.valid('query').zoneId;
      const list = await db.select().from(sensors).where(zoneId ? eq(sensors.zoneId, zoneId) : undefined).orderBy(sensors.id);
      const last = await lastReadingTimes(db);
      const silent = new Set((await db.select({ sensorId: sensorRuleStates.sensorId }).from(sensorRuleStates).innerJoin(sensorRules, eq(sensorRules.id, sensorRuleStates.ruleId)).where(and(eq(sensorRules.kind, 'silent'), eq(sensorRuleStates.tripped, true)))).map((r) => r.sensorId));
      return c.json({ sensors: list.map((s) => ({ ...s, lastReadingAt: last.get(s.id) ?? null, silent: silent.has(s.id) })) }, 200);
    })
    .openapi(createRoute({ method: 'get', path: '/sensors/{id}/readings', summary: "A sensor's recent readings, oldest first (for its chart)", request: { params: z.object({ id: z.string() }), query: z.strictObject({ since: z.iso.datetime({ offset: true }).optional(), limit: z.coerce.number().int().min(1).max(5000).default(500) }) }, responses: { 200: json(z.object({ readings: z.array(z.looseObject({})) }), 'Readings') } }), async (c) => {
      const { db } = c.get('deps');
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      if (!(await db.query.sensors.findFirst({ where: eq(sensors.id, id) }))) throw new ApiError('not-found', `no sensor "${id}"`);
      const since = q.since ? new Date(q.since).toISOString() : new Date(Date.now() - 86_400_000).toISOString();
      const rows = await db.select().from(readings).where(and(eq(readings.sensorId, id), gte(readings.time, since))).orderBy(desc(readings.time)).limit(q.limit);
      return c.json({ readings: rows.reverse() }, 200);
    })
    .openapi(createRoute({ method: 'get', path: '/sensors/rules', summary: 'Rules, each with the state of every sensor it watches', responses: { 200: json(z.object({ rules: z.array(z.looseObject({})) }), 'Rules') } }), async (c) => {
      const { db } = c.get('deps');
      const states = await db.select().from(sensorRuleStates);
      const rules = await db.select().from(sensorRules).orderBy(sensorRules.id);
      return c.json({ rules: rules.map((r) => ({ ...r, tripped: states.some((s) => s.ruleId === r.id && s.tripped), states: states.filter((s) => s.ruleId === r.id) })) }, 200);
    })
    .openapi(createRoute({ method: 'delete', path: '/sensors/rules/{id}', summary: 'Remove a rule (its state goes with it)', request: { params: z.object({ id: z.string() }) }, responses: { 204: { description: 'Removed' } } }), async (c) => {
      const { id } = c.req.valid('param');
      const removed = await c.get('deps').db.delete(sensorRules).where(eq(sensorRules.id, id)).returning();
      if (!removed.length) throw new ApiError('not-found', `no rule "${id}"`);
      return c.body(null, 204);
    })
    .openapi(createRoute({ method: 'post', path: '/sensors/rules', summary: 'Add a rule: threshold or rate of change (with hysteresis), or silence, on a sensor or on every sensor of a metric in a zone', request: { body: { required: true, content: { 'application/json': { schema: RuleInput } } } }, responses: { 201: json(z.looseObject({}), 'Created') } }), async (c) => {
      const { db, playbooks } = c.get('deps');
      const input = c.req.valid('json');
      const invalid = (path: string, message: string) => new ApiError('unprocessable', `${path}: ${message}`, { errors: [{ path: `body.${path}`, message }] });
      if (input.sensorId && !(await db.query.sensors.findFirst({ where: eq(sensors.id, input.sensorId) }))) throw invalid('sensorId', `no sensor "${input.sensorId}"`);
      if (input.zoneId && !(await db.query.zones.findFirst({ where: eq(zones.id, input.zoneId) }))) throw invalid('zoneId', `no zone "${input.zoneId}"`);
      if ('playbookId' in input && !playbooks.playbooks.has(input.playbookId)) throw invalid('playbookId', `no playbook "${input.playbookId}"`);
      const id = `rule_${randomUUID()}`;
      await db.insert(sensorRules).values({ ...input, id, createdAt: new Date().toISOString() });
      c.header('Location', `/api/sensors/rules/${id}`);
      return c.json(await db.query.sensorRules.findFirst({ where: eq(sensorRules.id, id) }), 201);
    })
    .openapi(createRoute({ method: 'post', path: '/facilities/{id}/status', summary: "A facility's own status event (a pump station's controller): a fault reaches the facility-failure run for its zone", request: { params: z.object({ id: z.string() }), body: body(FacilityEvent).body }, responses: { 202: json(z.looseObject({ action: z.string() }), 'What was decided') } }), async (c) => {
      const deps = c.get('deps');
      const { id } = c.req.valid('param');
      const event = c.req.valid('json');
      const facility = await deps.db.query.facilities.findFirst({ where: eq(facilities.id, id) });
      if (!facility) throw new ApiError('not-found', `no facility "${id}"`);
      const now = new Date();
      if (tooFarAhead(event.time, now)) throw new ApiError('unprocessable', 'time: more than 5 minutes in the future', { errors: [{ path: 'body.time', message: 'more than 5 minutes in the future' }] });
      return c.json(await handleFacilityEvent(deps, facility, { ...event, facilityId: id, time: new Date(event.time).toISOString() }, now, c.get('actor'), c.get('resumed') ?? false), 202);
    });
}
