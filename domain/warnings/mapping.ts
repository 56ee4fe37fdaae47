import { z } from 'zod';
import { levels, type Level } from '../levels.js';
import type { Warning, WarningInfo } from './types.js';

export const triggerMappingSchema = z.strictObject({
  languages: z.array(z.string()).min(1),
  zoneTier: z.enum(['city', 'district', 'street', 'grid']),
  hazards: z.array(z.strictObject({
    hazard: z.string().min(1),
    playbookId: z.string().min(1),
    events: z.array(z.string().min(1)).default([]),
    eventCodes: z.record(z.string(), z.array(z.string())).default({}),
  })).min(1),
  colours: z.record(z.enum(['blue', 'yellow', 'orange', 'red']), z.enum(levels)),
  severities: z.record(z.string(), z.enum(levels)),
  /** What a facility's own status event starts (a pump's controller reporting a fault). */
  facilityFault: z.strictObject({ hazard: z.string().min(1), playbookId: z.string().min(1), level: z.enum(levels) }).default({ hazard: 'facility-failure', playbookId: 'facility-failure', level: 'III' }),
});
export type TriggerMapping = z.output<typeof triggerMappingSchema>;

export interface Mapped { info: WarningInfo; hazard: string; playbookId: string; level: Level }
export type Unmapped = { reason: string };

/** The one info block to act on: the first in the preferred languages, else the first there is. */
export function pickInfo(warning: Warning, mapping: TriggerMapping): WarningInfo | undefined {
  const byLanguage = (lang: string) => warning.infos.find((i) => i.language.toLowerCase() === lang.toLowerCase() || i.language.toLowerCase().startsWith(`${lang.toLowerCase()}-`));
  for (const lang of mapping.languages) {
    const found = byLanguage(lang);
    if (found) return found;
  }
  return warning.infos[0];
}

/** Hazard, playbook and level of an info block by the mapping, or why not. */
export function mapInfo(info: WarningInfo, mapping: TriggerMapping): Mapped | Unmapped {
  const text = `${info.event} ${info.headline ?? ''}`.toLowerCase();
  const rule = mapping.hazards.find((h) =>
    info.eventCodes.some((c) => h.eventCodes[c.valueName]?.includes(c.value)) || h.events.some((e) => text.includes(e.toLowerCase())));
  if (!rule) return { reason: `no hazard is mapped for event "${info.event}"` };
  const level = (info.colour && mapping.colours[info.colour]) || mapping.severities[info.severity];
  if (!level) return { reason: `no level for severity "${info.severity}"${info.colour ? ` or colour ${info.colour}` : ''}` };
  return { info, hazard: rule.hazard, playbookId: rule.playbookId, level };
}
