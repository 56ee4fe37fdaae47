import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { loadGrid } from '../db/grid.js';
import { crewZones, crews, escalationChains, facilities, findings, members, shifts } from '../db/schema/index.js';
import { ancestry, gridCells, subtree } from '../domain/grid.js';
import type { FacilityType } from '../db/schema/zones.js';
import type { CrewTier } from '../domain/dispatch.js';

/** Read-only look-ups of the city's grid, facilities and crews for the workflows. */

const allZones = loadGrid;

/** Crews of a specialty covering the zone, tier by tier up the grid (nearest first). */
export async function findCrewTiers(db: Db, input: { zoneId: string; specialty: string; onlyCrews?: string[] | undefined }, now = new Date()): Promise<CrewTier[]> {
  const chain = ancestry(await allZones(db), input.zoneId);
  if (!chain.length) return [];
  const rows = await db
    .select({ crewId: crewZones.crewId, zoneId: crewZones.zoneId })
    .from(crewZones)
    .innerJoin(crews, eq(crews.id, crewZones.crewId))
    .where(and(inArray(crewZones.zoneId, chain.map((z) => z.id)), eq(crews.specialty, input.specialty)))
    .orderBy(crewZones.crewId);
  // A zone's own escalation chain (crew, then backup crew) comes before the walk up the grid. Its
  // crews pass the same checks as the rest: the task's specialty, and on shift if they are rostered.
  const ordered = await db.select({ crewId: escalationChains.crewId }).from(escalationChains)
    .innerJoin(crews, eq(crews.id, escalationChains.crewId))
    .where(and(eq(escalationChains.zoneId, input.zoneId), eq(crews.specialty, input.specialty)))
    .orderBy(escalationChains.position);
  const onDuty = await onDutyFilter(db, [...new Set([...rows.map((r) => r.crewId), ...ordered.map((c) => c.crewId)])], now);
  const tiers = chain.map((z) => ({ zoneId: z.id, tier: z.tier, crewIds: rows.filter((r) => r.zoneId === z.id && onDuty(r.crewId)).map((r) => r.crewId) }));
  const chained = ordered.map((c) => c.crewId).filter(onDuty);
  const found = chained.length ? [{ zoneId: input.zoneId, tier: 'chain', crewIds: chained }, ...tiers] : tiers;
  return input.onlyCrews ? onlyThese(found, input.onlyCrews) : found;
}

/** A drill pages its participants only: other crews are left out of every tier and cell. */
function onlyThese<T extends { crewIds: string[] }>(groups: T[], onlyCrews: string[]): T[] {
  return groups.map((g) => ({ ...g, crewIds: g.crewIds.filter((id) => onlyCrews.includes(id)) }));
}

/** A crew with shifts is on duty only inside one; a crew without any shifts is a 24-hour team. */
export async function onDutyFilter(db: Db, crewIds: string[], now: Date): Promise<(crewId: string) => boolean> {
  if (!crewIds.length) return () => true;
  const rows = await db.select({ crewId: shifts.crewId, startsAt: shifts.startsAt, endsAt: shifts.endsAt }).from(shifts).where(inArray(shifts.crewId, crewIds));
  const at = now.toISOString();
  const rostered = new Set(rows.map((r) => r.crewId));
  const current = new Set(rows.filter((r) => r.startsAt <= at && at < r.endsAt).map((r) => r.crewId));
  return (crewId) => !rostered.has(crewId) || current.has(crewId);
}

/** Readiness: the oldest open critical finding on a facility (城市体检), which every dispatch to it must show. */
export interface OpenFault { findingId: string; title: string; since: string }

export interface FacilityTarget { id: string; zoneId: string; name: { 'zh-CN': string; en: string }; openFault?: OpenFault }

/** Facilities of a type in the zone and below it, each with its open critical finding if it has one. */
export async function findFacilities(db: Db, input: { zoneId: string; type: string; limit: number }): Promise<FacilityTarget[]> {
  const ids = [...subtree(await allZones(db), input.zoneId)];
  const rows = await db.select().from(facilities).where(and(inArray(facilities.zoneId, ids), eq(facilities.type, input.type as FacilityType))).orderBy(facilities.id).limit(input.limit);
  const faults = await openFaults(db, rows.map((f) => f.id));
  return rows.map((f) => {
    const fault = faults.get(f.id);
    return { id: f.id, zoneId: f.zoneId, name: { 'zh-CN': f.name, en: f.nameEn ?? f.name }, ...(fault ? { openFault: fault } : {}) };
  });
}

/** Open (or fixed but not yet re-inspected) critical findings, oldest per facility. */
export async function openFaults(db: Db, facilityIds: string[]): Promise<Map<string, OpenFault>> {
  if (!facilityIds.length) return new Map();
  const rows = await db.select().from(findings)
    .where(and(inArray(findings.facilityId, facilityIds), eq(findings.severity, 'critical'), inArray(findings.status, ['open', 'remediated'])))
    .orderBy(findings.openedAt);
  const out = new Map<string, OpenFault>();
  for (const r of rows) if (!out.has(r.facilityId)) out.set(r.facilityId, { findingId: r.id, title: r.title, since: r.openedAt });
  return out;
}

export interface ZoneName { id: string; name: { 'zh-CN': string; en: string } }

export async function zoneName(db: Db, zoneId: string): Promise<ZoneName> {
  const zone = (await allZones(db)).find((z) => z.id === zoneId);
  return { id: zoneId, name: { 'zh-CN': zone?.name ?? zoneId, en: zone?.nameEn ?? zone?.name ?? zoneId } };
}

/**
 * Crews (optionally of given specialties) covering the zone or anything above or below it, and
 * for each grid cell in the zone the crews covering it: what a notify step pages and counts.
 */
export async function findAudience(db: Db, input: { zoneId: string; specialties: string[]; cellFacilityType?: string | undefined; onlyCrews?: string[] | undefined }): Promise<{ crewIds: string[]; cells: { cellId: string; crewIds: string[] }[] }> {
  const all = await allZones(db);
  const below = subtree(all, input.zoneId);
  const above = ancestry(all, input.zoneId).map((z) => z.id);
  const relevant = [...new Set([...below, ...above])];
  const rows = await db
    .select({ crewId: crewZones.crewId, zoneId: crewZones.zoneId, specialty: crews.specialty })
    .from(crewZones)
    .innerJoin(crews, eq(crews.id, crewZones.crewId))
    .where(inArray(crewZones.zoneId, relevant));
  const wanted = rows.filter((r) => (!input.specialties.length || input.specialties.includes(r.specialty)) && (!input.onlyCrews || input.onlyCrews.includes(r.crewId)));
  // A quorum may count only cells holding a facility of a type ("flood-prone" cells with waterlogging points).
  const withFacility = input.cellFacilityType
    ? new Set((await db.select({ zoneId: facilities.zoneId }).from(facilities).where(eq(facilities.type, input.cellFacilityType as FacilityType))).map((f) => f.zoneId))
    : undefined;
  const cells = gridCells(all, input.zoneId).filter((cell) => !withFacility || withFacility.has(cell.id)).map((cell) => {
    const covering = new Set(ancestry(all, cell.id).map((z) => z.id));
    return { cellId: cell.id, crewIds: [...new Set(wanted.filter((r) => covering.has(r.zoneId)).map((r) => r.crewId))].sort() };
  });
  return { crewIds: [...new Set(wanted.map((r) => r.crewId))].sort(), cells };
}

export async function crewMembers(db: Db, crewIds: string[]) {
  if (!crewIds.length) return [];
  return db.select().from(members).where(inArray(members.crewId, crewIds)).orderBy(members.id);
}
