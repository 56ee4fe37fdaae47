import { For, Show, createMemo } from 'solid-js';
import type { Facility, RunSummary, Zone } from '../api';
import { levelName, t, language } from '../i18n';
import { navigate } from '../router';

const tierOrder = ['city', 'district', 'street', 'grid'];
const levelRank: Record<string, number> = { IV: 1, III: 2, II: 3, I: 4 };
const WIDTH = 640;

type Ring = number[][];
const rings = (zone: Zone): Ring[] => {
  const b = zone.boundary;
  if (!b) return [];
  return b.type === 'Polygon' ? (b.coordinates as Ring[]) : (b.coordinates as Ring[][]).flat();
};

/**
 * The city's zones drawn from their GeoJSON boundaries as SVG (no tile server: the duty office
 * may be offline), each zone with an open run filled in its level's colour, facilities as dots.
 */
export function ZoneMap(props: { zones: Zone[]; facilities: Facility[]; runs: RunSummary[] }) {
  const frame = createMemo(() => {
    const points = props.zones.flatMap((z) => rings(z).flat());
    const lons = points.map((p) => p[0] ?? 0);
    const lats = points.map((p) => p[1] ?? 0);
    const minLon = Math.min(...lons), maxLon = Math.max(...lons), minLat = Math.min(...lats), maxLat = Math.max(...lats);
    // Equirectangular, squeezed by cos(latitude) so the city keeps its shape at these latitudes.
    const kx = Math.cos(((minLat + maxLat) / 2) * (Math.PI / 180));
    const scale = WIDTH / Math.max((maxLon - minLon) * kx, 1e-9);
    const height = Math.max((maxLat - minLat) * scale, 1);
    const project = (lon: number, lat: number): [number, number] => [(lon - minLon) * kx * scale, (maxLat - lat) * scale];
    return { project, height, empty: points.length === 0 };
  });
  const runByZone = createMemo(() => {
    const top = new Map<string, RunSummary>();
    for (const run of props.runs) {
      const seen = top.get(run.zoneId);
      if (!seen || (levelRank[run.level] ?? 0) > (levelRank[seen.level] ?? 0)) top.set(run.zoneId, run);
    }
    return top;
  });
  const ordered = createMemo(() => [...props.zones].filter((z) => z.boundary).sort((a, b) => tierOrder.indexOf(a.tier) - tierOrder.indexOf(b.tier)));
  const path = (zone: Zone) => rings(zone).map((ring) => `M${ring.map((p) => frame().project(p[0] ?? 0, p[1] ?? 0).map((n) => n.toFixed(1)).join(',')).join('L')}Z`).join('');
  const zoneLabel = (z: Zone) => (language() === 'en' && z.nameEn ? z.nameEn : z.name);
  return (
    <figure class="map">
      <Show when={!frame().empty} fallback={<p>{t('none')}</p>}>
        <svg viewBox={`-4 -4 ${WIDTH + 8} ${frame().height + 8}`} role="img" aria-label={t('map')}>
          <For each={ordered()}>
            {(zone) => {
              const run = () => runByZone().get(zone.id);
              const label = () => `${zoneLabel(zone)}${run() ? ` · ${levelName(run()?.level ?? '')}` : ''}`;
              const open = () => { const r = run(); if (r) navigate('run', r.id); };
              // Not an <a>: Solid would build it in the HTML namespace, and nothing inside would draw.
              return (
                <path d={path(zone)} class={`zone tier-${zone.tier}${run() ? ` run level-fill-${run()?.level}` : ''}`}
                  role={run() ? 'link' : undefined} tabIndex={run() ? 0 : undefined} aria-label={run() ? label() : undefined}
                  onClick={open} onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(); } }}>
                  <title>{label()}</title>
                </path>
              );
            }}
          </For>
          <For each={props.facilities}>
            {(f) => {
              const [x, y] = frame().project(f.lon, f.lat);
              return <circle cx={x.toFixed(1)} cy={y.toFixed(1)} r="4" class={`facility facility-${f.type}`}><title>{language() === 'en' && f.nameEn ? f.nameEn : f.name} ({f.type})</title></circle>;
            }}
          </For>
        </svg>
      </Show>
      <figcaption>
        <span class="legend-item"><span class="swatch level-fill-IV" /> {levelName('IV')}</span>
        <span class="legend-item"><span class="swatch level-fill-III" /> {levelName('III')}</span>
        <span class="legend-item"><span class="swatch level-fill-II" /> {levelName('II')}</span>
        <span class="legend-item"><span class="swatch level-fill-I" /> {levelName('I')}</span>
        <span class="legend-item"><span class="swatch facility-dot" /> {t('facility')}</span>
      </figcaption>
    </figure>
  );
}
