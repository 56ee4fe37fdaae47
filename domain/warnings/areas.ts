import booleanIntersects from '@turf/boolean-intersects';
import circle from '@turf/circle';
import { point, polygon } from '@turf/helpers';
import type { Feature, MultiPolygon, Point, Polygon } from 'geojson';
import type { ZoneBoundary } from '../../db/schema/zones.js';
import { ancestry, subtree, type GridZone } from '../grid.js';
import type { WarningArea } from './types.js';

export interface MatchZone extends GridZone { boundary: ZoneBoundary | null; geocodes: { valueName: string; value: string }[] }


function shapes(area: WarningArea): Feature<Polygon | Point>[] {
  return [
    ...area.polygons.map((ring) => polygon([ring])),
    ...area.circles.map((c) => (c.radiusKm > 0 ? circle([c.lon, c.lat], c.radiusKm, { units: 'kilometers', steps: 32 }) : point([c.lon, c.lat]))),
  ];
}

/**
 * The zones of `tier` a warning's areas touch: by geometry (polygons and circles against zone
 * boundaries, with turf) or by geocode (UGC, SAME, adcode ... as the zone lists them). A match
 * below the tier counts for its ancestor; a geocode match above it counts for every zone of the
 * tier beneath.
 */
export function matchZones(areas: WarningArea[], zones: MatchZone[], tier: GridZone['tier']): string[] {
  const matched = new Set<string>();
  const atTier = (zoneId: string) => {
    const chain = ancestry(zones, zoneId);
    const own = chain.find((z) => z.tier === tier);
    if (own) return [own.id];
    const below = subtree(zones, zoneId);
    return zones.filter((z) => z.tier === tier && below.has(z.id)).map((z) => z.id);
  };
  const candidates = zones.filter((z) => z.tier === tier && z.boundary);
  for (const area of areas) {
    const geometry = shapes(area);
    for (const zone of candidates) {
      const boundary = { type: 'Feature', properties: {}, geometry: zone.boundary } as Feature<Polygon | MultiPolygon>;
      if (geometry.some((g) => booleanIntersects(g, boundary))) matched.add(zone.id);
    }
    for (const zone of zones) {
      if (zone.geocodes.some((zg) => area.geocodes.some((ag) => ag.valueName === zg.valueName && ag.value === zg.value))) atTier(zone.id).forEach((id) => matched.add(id));
    }
  }
  return [...matched].sort();
}
