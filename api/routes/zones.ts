import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, inArray, type SQL } from 'drizzle-orm';
import { facilities, facilityTypes, zones, zoneTiers } from '../../db/schema/index.js';
import { ApiError } from '../errors.js';
import { router } from '../router.js';
import { json, body } from '../openapi.js';

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2-63 lower-case letters, digits and dashes');

const lon = z.number().min(-180).max(180);
const lat = z.number().min(-90).max(90);
const position = z.tuple([lon, lat]).rest(z.number());
/** A closed ring of at least four positions (GeoJSON, RFC 7946). */
const ring = z.array(position).min(4).refine((r) => {
  const [first, last] = [r[0], r.at(-1)];
  return first !== undefined && last !== undefined && first[0] === last[0] && first[1] === last[1];
}, 'a ring must end where it starts');
export const Boundary = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) }),
  z.strictObject({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1)).min(1) }),
]);
const Geocode = z.strictObject({ valueName: z.string().min(1).max(100), value: z.string().min(1).max(100) });

const ZoneInput = z.strictObject({
  id: slug.optional(), name: z.string().trim().min(1).max(100), nameEn: z.string().trim().max(100).optional(),
  parentId: z.string().nullable(), tier: z.enum(zoneTiers), boundary: Boundary.optional(), geocodes: z.array(Geocode).max(100).default([]),
}).openapi('ZoneInput');
const FacilityInput = z.strictObject({
  id: slug.optional(), name: z.string().trim().min(1).max(100), nameEn: z.string().trim().max(100).optional(),
  type: z.enum(facilityTypes), zoneId: z.string(), lat, lon,
  properties: z.record(z.string(), z.union([z.number().finite(), z.string().max(200)])).default({}),
}).openapi('FacilityInput');

const tierOrder = ['city', 'district', 'street', 'grid'] as const;

export function zoneRoutes() {
  return router()
    .openapi(createRoute({ method: 'get', path: '/zones', summary: "The city's grid: city, districts, streets, community grids", request: { query: z.strictObject({ tier: z.enum(zoneTiers).optional(), parentId: z.string().optional() }) }, responses: { 200: json(z.object({ zones: z.array(z.looseObject({})) }), 'Zones') } }), async (c) => {
      const q = c.req.valid('query');
      const filters: SQL[] = [];
      if (q.tier) filters.push(eq(zones.tier, q.tier));
      if (q.parentId) filters.push(eq(zones.parentId, q.parentId));
      return c.json({ zones: await c.get('deps').db.select().from(zones).where(filters.length ? and(...filters) : undefined).orderBy(zones.id) }, 200);
    })
    .openapi(createRoute({ method: 'post', path: '/zones', summary: 'Add a zone under its parent (one tier down)', request: body(ZoneInput), responses: { 201: json(z.looseObject({}), 'Created') } }), async (c) => {
      const { db } = c.get('deps');
      const input = c.req.valid('json');
      if (input.parentId === null && input.tier !== 'city') throw new ApiError('unprocessable', 'parentId: only the city has no parent', { errors: [{ path: 'body.parentId', message: 'required below the city' }] });
      if (input.parentId !== null) {
        const parent = await db.query.zones.findFirst({ where: eq(zones.id, input.parentId) });
        if (!parent) throw new ApiError('unprocessable', `parentId: no zone "${input.parentId}"`, { errors: [{ path: 'body.parentId', message: 'no such zone' }] });
        if (tierOrder.indexOf(parent.tier) + 1 !== tierOrder.indexOf(input.tier)) {
          throw new ApiError('unprocessable', `tier: a ${input.tier} cannot sit under a ${parent.tier}`, { errors: [{ path: 'body.tier', message: `must be one tier below ${parent.tier}` }] });
        }
      }
      const id = input.id ?? `zone-${randomUUID().slice(0, 8)}`;
      if (await db.query.zones.findFirst({ where: eq(zones.id, id) })) throw new ApiError('conflict', `zone "${id}" exists`);
      await db.insert(zones).values({ id, name: input.name, nameEn: input.nameEn ?? null, parentId: input.parentId, tier: input.tier, boundary: input.boundary ?? null, geocodes: input.geocodes });
      return c.json(await db.query.zones.findFirst({ where: eq(zones.id, id) }), 201);
    })
    .openapi(createRoute({ method: 'get', path: '/facilities', summary: 'Facilities, by zone or type', request: { query: z.strictObject({ zoneId: z.string().optional(), type: z.enum(facilityTypes).optional() }) }, responses: { 200: json(z.object({ facilities: z.array(z.looseObject({})) }), 'Facilities') } }), async (c) => {
      const q = c.req.valid('query');
      const filters: SQL[] = [];
      if (q.zoneId) filters.push(eq(facilities.zoneId, q.zoneId));
      if (q.type) filters.push(inArray(facilities.type, [q.type]));
      return c.json({ facilities: await c.get('deps').db.select().from(facilities).where(filters.length ? and(...filters) : undefined).orderBy(facilities.id) }, 200);
    })
    .openapi(createRoute({ method: 'post', path: '/facilities', summary: 'Add a facility in a zone', request: body(FacilityInput), responses: { 201: json(z.looseObject({}), 'Created') } }), async (c) => {
      const { db } = c.get('deps');
      const input = c.req.valid('json');
      if (!(await db.query.zones.findFirst({ where: eq(zones.id, input.zoneId) }))) throw new ApiError('unprocessable', `zoneId: no zone "${input.zoneId}"`, { errors: [{ path: 'body.zoneId', message: 'no such zone' }] });
      const id = input.id ?? `facility-${randomUUID().slice(0, 8)}`;
      if (await db.query.facilities.findFirst({ where: eq(facilities.id, id) })) throw new ApiError('conflict', `facility "${id}" exists`);
      await db.insert(facilities).values({ ...input, id, nameEn: input.nameEn ?? null });
      return c.json(await db.query.facilities.findFirst({ where: eq(facilities.id, id) }), 201);
    });
}
