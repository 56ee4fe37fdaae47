import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { eq, inArray } from 'drizzle-orm';
import { readings, sensorRules, sensors, triggerLog, zones } from '../../db/schema/index.js';
import { levels } from '../../domain/levels.js';
import { ancestry } from '../../domain/grid.js';
import { step } from '../../domain/thresholds.js';
import { ApiError } from '../errors.js';
import { body, json } from '../openapi.js';
import { readJson, router } from '../router.js';
import { reachRun } from '../triggers-service.js';
import { triggerSignal } from '../../workflows/messages.js';
import { incidentWorkflowId } from '../../domain/ids.js';

const Reading = z.strictObject({
  sensorId: z.string().min(1).max(100),
  time: z.iso.datetime({ offset: true }),
  metric: z.string().min(1).max(50),
  value: z.number().finite(),
  unit: z.string().min(1).max(20),
});
const MAX_BATCH = 10_000;
const RuleInput = z.strictObject({
  sensorId: z.string().min(1), hazard: z.string().min(1), playbookId: z.string().min(1), level: z.enum(levels),
  above: z.number().finite(), clearBelow: z.number().finite(), sustainedSeconds: z.number().int().min(0).max(86_400).default(0),
}).refine((r) => r.clearBelow <= r.above, { message: 'must not be above the trip level (hysteresis)', path: ['clearBelow'] });

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
        else if (Date.parse(p.data.time) > now.getTime() + 5 * 60_000) rejected.push({ index, error: 'time: more than 5 minutes in the future' });
        else good.push({ ...p.data, time: new Date(p.data.time).toISOString(), index });
      });
      for (let i = 0; i < good.length; i += 500) {
        await deps.db.insert(readings).values(good.slice(i, i + 500).map(({ index: _i, ...r }) => ({ ...r, receivedAt: now.toISOString() }))).onConflictDoNothing();
      }
      const triggered = await evaluateRules(deps, good, known, now, c.get('actor'));
      return c.json({ accepted: good.length, rejected, triggered }, 202);
    })
    .openapi(createRoute({ method: 'get', path: '/sensors/rules', summary: 'Threshold rules and their state', responses: { 200: json(z.object({ rules: z.array(z.looseObject({})) }), 'Rules') } }), async (c) => c.json({ rules: await c.get('deps').db.select().from(sensorRules).orderBy(sensorRules.id) }, 200))
    .openapi(createRoute({ method: 'post', path: '/sensors/rules', summary: 'Add a threshold rule with hysteresis to a sensor', request: body(RuleInput), responses: { 201: json(z.looseObject({}), 'Created') } }), async (c) => {
      const { db, playbooks } = c.get('deps');
      const input = c.req.valid('json');
      if (!(await db.query.sensors.findFirst({ where: eq(sensors.id, input.sensorId) }))) throw new ApiError('unprocessable', `sensorId: no sensor "${input.sensorId}"`, { errors: [{ path: 'body.sensorId', message: 'no such sensor' }] });
      if (!playbooks.playbooks.has(input.playbookId)) throw new ApiError('unprocessable', `playbookId: no playbook "${input.playbookId}"`, { errors: [{ path: 'body.playbookId', message: 'no such playbook' }] });
      const id = `rule_${randomUUID()}`;
      await db.insert(sensorRules).values({ ...input, id });
      return c.json(await db.query.sensorRules.findFirst({ where: eq(sensorRules.id, id) }), 201);
    });
}

async function evaluateRules(deps: import('../deps.js').AppDeps, good: { sensorId: string; time: string; value: number }[], known: Map<string, typeof sensors.$inferSelect>, now: Date, by: string) {
  const triggered: { ruleId: string; sensorId: string; action: string; workflowId: string | null }[] = [];
  const sensorIds = [...new Set(good.map((g) => g.sensorId))];
  if (!sensorIds.length) return triggered;
  const rules = await deps.db.select().from(sensorRules).where(inArray(sensorRules.sensorId, sensorIds));
  if (!rules.length) return triggered;
  const allZones = await deps.db.select().from(zones);
  const tier = deps.trigger?.mapping.zoneTier ?? 'district';
  for (const rule of rules) {
    const sensor = known.get(rule.sensorId);
    const zoneId = ancestry(allZones, sensor?.zoneId ?? '').find((z) => z.tier === tier)?.id ?? sensor?.zoneId ?? '';
    let state = { tripped: rule.tripped, overSince: rule.overSince, lastTime: rule.lastTime };
    for (const reading of good.filter((g) => g.sensorId === rule.sensorId).sort((a, b) => (a.time < b.time ? -1 : 1))) {
      const out = step(rule, state, reading);
      state = out.state;
      if (!out.change) continue;
      const playbook = deps.playbooks.playbooks.get(rule.playbookId);
      let action = 'noted';
      let workflowId: string | null = null;
      let reason = '';
      if (out.change === 'trip' && playbook) {
        reason = `${sensor?.name ?? rule.sensorId}: ${reading.value} at or above ${rule.above}`;
        const reached = await reachRun(deps, { playbook, hazard: rule.hazard, zoneId, level: rule.level as (typeof levels)[number], key: `sensor|${rule.id}|${reading.time}`, source: 'sensor', identifier: rule.sensorId, reason, by, now });
        action = reached.action;
        workflowId = reached.workflowId;
      } else if (out.change === 'clear') {
        workflowId = deps.config.temporal.workflowIdPrefix + incidentWorkflowId(rule.hazard, zoneId);
        reason = `${sensor?.name ?? rule.sensorId}: back under ${rule.clearBelow}`;
        const signalled = await deps.temporal.workflow.getHandle(workflowId).signal(triggerSignal, { type: 'condition', name: 'sensors-clear', value: true, by }).then(() => true, () => false);
        action = signalled ? 'stand-down-requested' : 'noted';
      }
      triggered.push({ ruleId: rule.id, sensorId: rule.sensorId, action, workflowId });
      await deps.db.insert(triggerLog).values({ at: now.toISOString(), source: 'sensor', identifier: `${rule.sensorId}@${reading.time}`, msgType: out.change, action, hazard: rule.hazard, level: rule.level, zoneId, runId: null, workflowId, reason, by });
    }
    await deps.db.update(sensorRules).set(state).where(eq(sensorRules.id, rule.id));
  }
  return triggered;
}
