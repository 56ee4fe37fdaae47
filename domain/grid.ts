/** The city's four-level grid as a plain list of zones; functions here never touch the database. */
export interface GridZone { id: string; parentId: string | null; tier: 'city' | 'district' | 'street' | 'grid' }

/** The zone and its ancestors, nearest first: grid → street → district → city. */
export function ancestry(zones: readonly GridZone[], zoneId: string): GridZone[] {
  const byId = new Map(zones.map((z) => [z.id, z]));
  const chain: GridZone[] = [];
  for (let zone = byId.get(zoneId); zone && !chain.includes(zone); zone = zone.parentId ? byId.get(zone.parentId) : undefined) {
    chain.push(zone);
  }
  return chain;
}

/** The ids of the zone and everything below it. */
export function subtree(zones: readonly GridZone[], zoneId: string): Set<string> {
  const ids = new Set([zoneId]);
  for (let grew = true; grew;) {
    grew = false;
    for (const z of zones) {
      if (z.parentId && ids.has(z.parentId) && !ids.has(z.id)) {
        ids.add(z.id);
        grew = true;
      }
    }
  }
  return ids;
}

/** Community grid cells in (or equal to) the zone: the unit a quorum is counted in. */
export function gridCells(zones: readonly GridZone[], zoneId: string): GridZone[] {
  const ids = subtree(zones, zoneId);
  return zones.filter((z) => ids.has(z.id) && z.tier === 'grid');
}

/** The zone, every zone above it and every zone below it: where an incident there is "near". */
export function related(zones: readonly GridZone[], zoneId: string): Set<string> {
  return new Set([...ancestry(zones, zoneId).map((z) => z.id), ...subtree(zones, zoneId)]);
}
