import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, gt, inArray, lte, type SQL } from 'drizzle-orm';
import { crewZones, crews, escalationChains, members, messages, shifts, tasks, zones } from '../../db/schema/index.js';
import { languages } from '../../db/schema/crews.js';
import { onDutyFilter } from '../../activities/directory.js';
import { ApiError } from '../errors.js';
import { router } from '../router.js';
import { json, body } from '../openapi.js';
import { IdParam } from '../schemas.js';
import type { Db } from '../../db/client.js';
import { randomUUID } from 'node:crypto';

const loose = z.looseObject({});
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2-63 lower-case letters, digits and dashes');
const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +8613800000000');
const isoTime = z.iso.datetime({ offset: true }).transform((t) => new Date(t).toISOString());

const CrewInput = z.strictObject({ id: slug.optional(), name: z.string().trim().min(1).max(100), specialty: z.string().trim().min(1).max(50), zoneIds: z.array(z.string()).default([]) });
const CrewPatch = z.strictObject({ name: z.string().trim().min(1).max(100).optional(), specialty: z.string().trim().min(1).max(50).optional(), zoneIds: z.array(z.string()).optional() });
const MemberInput = z.strictObject({ id: slug.optional(), crewId: z.string().nullable().optional(), name: z.string().trim().min(1).max(100), phone: e164, language: z.enum(languages).default('zh-CN'), skills: z.array(z.string().max(50)).max(20).default([]), supervisor: z.boolean().default(false), channelPreference: z.enum(['push', 'sms']).default('push') });
const MemberPatch = MemberInput.omit({ id: true }).partial().strict();
const ShiftInput = z.strictObject({ crewId: z.string(), startsAt: isoTime, endsAt: isoTime, handoverNote: z.string().max(2000).optional() }).refine((s) => s.startsAt < s.endsAt, { message: 'must end after it starts', path: ['endsAt'] });
const ChainInput = z.strictObject({ crewIds: z.array(z.string()).max(10) });
const ZoneParam = z.object({ zoneId: z.string().openapi({ param: { name: 'zoneId', in: 'path' } }) });

async function checkZones(db: Db, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const found = new Set((await db.select({ id: zones.id }).from(zones).where(inArray(zones.id, ids))).map((z) => z.id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) throw new ApiError('unprocessable', `zoneIds: no zone ${missing.join(', ')}`, { errors: [{ path: 'body.zoneIds', message: `unknown: ${missing.join(', ')}` }] });
}

async function checkCrews(db: Db, ids: string[], path: string): Promise<void> {
  if (!ids.length) return;
  const found = new Set((await db.select({ id: crews.id }).from(crews).where(inArray(crews.id, ids))).map((c) => c.id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) throw new ApiError('unprocessable', `${path}: no crew ${missing.join(', ')}`, { errors: [{ path: `body.${path}`, message: `unknown: ${missing.join(', ')}` }] });
}

async function crewView(db: Db, id: string) {
  const crew = await db.query.crews.findFirst({ where: eq(crews.id, id) });
  if (!crew) throw new ApiError('not-found', `No crew "${id}"`);
  const covered = await db.select({ zoneId: crewZones.zoneId }).from(crewZones).where(eq(crewZones.crewId, id));
  const people = await db.select().from(members).where(eq(members.crewId, id)).orderBy(members.id);
  return { ...crew, zoneIds: covered.map((z) => z.zoneId), members: people };
}

export function crewRoutes() {
  return router()
    .openapi(createRoute({ method: 'get', path: '/crews', summary: 'Crews with the zones they cover', responses: { 200: json(z.object({ crews: z.array(loose) }), 'Crews') } }), async (c) => {
      const { db } = c.get('deps');
      const all = await db.select().from(crews).orderBy(crews.id);
      const covered = await db.select().from(crewZones);
      return c.json({ crews: all.map((k) => ({ ...k, zoneIds: covered.filter((z) => z.crewId === k.id).map((z) => z.zoneId) })) }, 200);
    })
    .openapi(createRoute({ method: 'post', path: '/crews', summary: 'Add a crew', request: body(CrewInput), responses: { 201: json(loose, 'Created') } }), async (c) => {
      const { db } = c.get('deps');
      const input = c.req.valid('json');
      await checkZones(db, input.zoneIds);
      const id = input.id ?? `crew-${randomUUID().slice(0, 8)}`;
      if (await db.query.crews.findFirst({ where: eq(crews.id, id) })) throw new ApiError('conflict', `crew "${id}" exists`);
      await db.transaction(async (tx) => {
        await tx.insert(crews).values({ id, name: input.name, specialty: input.specialty });
        if (input.zoneIds.length) await tx.insert(crewZones).values(input.zoneIds.map((zoneId) => ({ crewId: id, zoneId })));
      });
      return c.json(await crewView(db, id), 201);
    })
    .openapi(createRoute({ method: 'get', path: '/crews/{id}', summary: 'A crew, its zones and members', request: { params: IdParam }, responses: { 200: json(loose, 'The crew') } }), async (c) => c.json(await crewView(c.get('deps').db, c.req.valid('param').id), 200))
    .openapi(createRoute({ method: 'patch', path: '/crews/{id}', summary: 'Change a crew', request: { params: IdParam, ...body(CrewPatch) }, responses: { 200: json(loose, 'Updated') } }), async (c) => {
      const { db } = c.get('deps');
      const { id } = c.req.valid('param');
      const { zoneIds, ...change } = c.req.valid('json');
      await crewView(db, id);
      if (zoneIds) await checkZones(db, zoneIds);
      await db.transaction(async (tx) => {
        if (Object.keys(change).length) await tx.update(crews).set(change).where(eq(crews.id, id));
        if (zoneIds) {
          await tx.delete(crewZones).where(eq(crewZones.crewId, id));
          if (zoneIds.length) await tx.insert(crewZones).values(zoneIds.map((zoneId) => ({ crewId: id, zoneId })));
        }
      });
      return c.json(await crewView(db, id), 200);
    })
    .openapi(createRoute({ method: 'delete', path: '/crews/{id}', summary: 'Remove a crew (its members stay, without a crew)', request: { params: IdParam }, responses: { 204: { description: 'Removed' } } }), async (c) => {
      const { db } = c.get('deps');
      const { id } = c.req.valid('param');
      await crewView(db, id);
      const open = await db.select({ code: tasks.code }).from(tasks).where(and(eq(tasks.crewId, id), inArray(tasks.status, ['assigned', 'acknowledged', 'awaiting-verification'])));
      if (open.length) throw new ApiError('conflict', `crew ${id} has open tasks (${open.map((t) => t.code).join(', ')}); reassign them first`);
      await db.transaction(async (tx) => {
        await tx.update(members).set({ crewId: null }).where(eq(members.crewId, id));
        await tx.delete(crewZones).where(eq(crewZones.crewId, id));
        await tx.delete(escalationChains).where(eq(escalationChains.crewId, id));
        await tx.delete(shifts).where(eq(shifts.crewId, id));
        await tx.delete(crews).where(eq(crews.id, id));
      });
      return c.body(null, 204);
    })
    .openapi(createRoute({ method: 'get', path: '/members', summary: 'Members', request: { query: z.strictObject({ crewId: z.string().optional() }) }, responses: { 200: json(z.object({ members: z.array(loose) }), 'Members') } }), async (c) => {
      const { crewId } = c.req.valid('query');
      return c.json({ members: await c.get('deps').db.select().from(members).where(crewId ? eq(members.crewId, crewId) : undefined).orderBy(members.id) }, 200);
    })
    .openapi(createRoute({ method: 'post', path: '/members', summary: 'Add a member', request: body(MemberInput), responses: { 201: json(loose, 'Created') } }), async (c) => {
      const { db } = c.get('deps');
      const input = c.req.valid('json');
      if (input.crewId) await checkCrews(db, [input.crewId], 'crewId');
      if (await db.query.members.findFirst({ where: eq(members.phone, input.phone) })) throw new ApiError('conflict', `phone ${input.phone} belongs to another member`);
      const id = input.id ?? `member-${randomUUID().slice(0, 8)}`;
      await db.insert(members).values({ ...input, id, crewId: input.crewId ?? null });
      return c.json(await db.query.members.findFirst({ where: eq(members.id, id) }), 201);
    })
    .openapi(createRoute({ method: 'patch', path: '/members/{id}', summary: 'Change a member (a new phone number clears an invalid-number flag)', request: { params: IdParam, ...body(MemberPatch) }, responses: { 200: json(loose, 'Updated') } }), async (c) => {
      const { db } = c.get('deps');
      const { id } = c.req.valid('param');
      const change = c.req.valid('json');
      if (!(await db.query.members.findFirst({ where: eq(members.id, id) }))) throw new ApiError('not-found', `No member "${id}"`);
      if (change.crewId) await checkCrews(db, [change.crewId], 'crewId');
      await db.update(members).set({ ...change, ...(change.phone ? { phoneInvalidSince: null, phoneInvalidReason: null } : {}) }).where(eq(members.id, id));
      return c.json(await db.query.members.findFirst({ where: eq(members.id, id) }), 200);
    })
    .openapi(createRoute({ method: 'delete', path: '/members/{id}', summary: 'Remove a member', request: { params: IdParam }, responses: { 204: { description: 'Removed' } } }), async (c) => {
      const { db } = c.get('deps');
      const { id } = c.req.valid('param');
      if (!(await db.query.members.findFirst({ where: eq(members.id, id) }))) throw new ApiError('not-found', `No member "${id}"`);
      await db.delete(members).where(eq(members.id, id));
      return c.body(null, 204);
    })
    .openapi(createRoute({ method: 'get', path: '/rosters', summary: 'Shifts (optionally of one crew, or covering a time), and who is on duty then', request: { query: z.strictObject({ crewId: z.string().optional(), at: isoTime.optional() }) }, responses: { 200: json(z.object({ shifts: z.array(loose), onDuty: z.array(z.string()) }), 'Shifts') } }), async (c) => {
      const { db } = c.get('deps');
      const { crewId, at } = c.req.valid('query');
      const filters: SQL[] = [];
      if (crewId) filters.push(eq(shifts.crewId, crewId));
      if (at) filters.push(lte(shifts.startsAt, at), gt(shifts.endsAt, at));
      const rows = await db.select().from(shifts).where(filters.length ? and(...filters) : undefined).orderBy(shifts.startsAt);
      const all = (await db.select({ id: crews.id }).from(crews)).map((k) => k.id);
      const onDuty = await onDutyFilter(db, all, at ? new Date(at) : new Date());
      return c.json({ shifts: rows, onDuty: all.filter(onDuty) }, 200);
    })
    .openapi(createRoute({ method: 'post', path: '/rosters', summary: 'Add a shift', request: body(ShiftInput), responses: { 201: json(loose, 'Created') } }), async (c) => {
      const { db } = c.get('deps');
      const input = c.req.valid('json');
      await checkCrews(db, [input.crewId], 'crewId');
      const id = `shift_${randomUUID()}`;
      await db.insert(shifts).values({ id, crewId: input.crewId, startsAt: input.startsAt, endsAt: input.endsAt, handoverNote: input.handoverNote ?? null });
      return c.json(await db.query.shifts.findFirst({ where: eq(shifts.id, id) }), 201);
    })
    .openapi(createRoute({ method: 'delete', path: '/rosters/{id}', summary: 'Remove a shift', request: { params: IdParam }, responses: { 204: { description: 'Removed' } } }), async (c) => {
      const { db } = c.get('deps');
      const { id } = c.req.valid('param');
      if (!(await db.query.shifts.findFirst({ where: eq(shifts.id, id) }))) throw new ApiError('not-found', `No shift "${id}"`);
      await db.delete(shifts).where(eq(shifts.id, id));
      return c.body(null, 204);
    })
    .openapi(createRoute({ method: 'get', path: '/zones/{zoneId}/escalation-chain', summary: "A zone's escalation order (crew, backup crew, ...)", request: { params: ZoneParam }, responses: { 200: json(z.object({ crewIds: z.array(z.string()) }), 'Chain') } }), async (c) => {
      const { db } = c.get('deps');
      const { zoneId } = c.req.valid('param');
      if (!(await db.query.zones.findFirst({ where: eq(zones.id, zoneId) }))) throw new ApiError('not-found', `No zone "${zoneId}"`);
      const rows = await db.select().from(escalationChains).where(eq(escalationChains.zoneId, zoneId)).orderBy(escalationChains.position);
      return c.json({ crewIds: rows.map((r) => r.crewId) }, 200);
    })
    .openapi(createRoute({ method: 'put', path: '/zones/{zoneId}/escalation-chain', summary: "Set a zone's escalation order", request: { params: ZoneParam, ...body(ChainInput) }, responses: { 200: json(z.object({ crewIds: z.array(z.string()) }), 'Chain') } }), async (c) => {
      const { db } = c.get('deps');
      const { zoneId } = c.req.valid('param');
      const { crewIds } = c.req.valid('json');
      if (!(await db.query.zones.findFirst({ where: eq(zones.id, zoneId) }))) throw new ApiError('not-found', `No zone "${zoneId}"`);
      await checkCrews(db, crewIds, 'crewIds');
      await db.transaction(async (tx) => {
        await tx.delete(escalationChains).where(eq(escalationChains.zoneId, zoneId));
        if (crewIds.length) await tx.insert(escalationChains).values(crewIds.map((crewId, position) => ({ zoneId, crewId, position })));
      });
      return c.json({ crewIds }, 200);
    })
    .openapi(createRoute({ method: 'get', path: '/outbox', summary: 'Messages and their delivery status, newest first', request: { query: z.strictObject({ runId: z.string().optional(), memberId: z.string().optional(), status: z.string().optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) }) }, responses: { 200: json(z.object({ messages: z.array(loose) }), 'Messages') } }), async (c) => {
      const q = c.req.valid('query');
      const filters: SQL[] = [];
      if (q.runId) filters.push(eq(messages.runId, q.runId));
      if (q.memberId) filters.push(eq(messages.memberId, q.memberId));
      if (q.status) filters.push(eq(messages.status, q.status as 'sent'));
      const rows = await c.get('deps').db.select().from(messages).where(filters.length ? and(...filters) : undefined).orderBy(desc(messages.createdAt)).limit(q.limit);
      // A push message's `to` is the device's subscription; never hand its keys out.
      return c.json({ messages: rows.map((m) => (m.channel === 'push' ? { ...m, to: 'push subscription' } : m)) }, 200);
    });
}
