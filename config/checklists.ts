import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { facilityTypes, type FacilityType } from '../db/schema/zones.js';
import { severities, type ChecklistItem } from '../db/schema/campaigns.js';

const bilingual = z.strictObject({ 'zh-CN': z.string().min(1), en: z.string().min(1) });
const item = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  label: bilingual,
  measure: z.strictObject({ unit: z.string().min(1), min: z.number().optional(), max: z.number().optional() })
    .refine((m) => m.min !== undefined || m.max !== undefined, 'a measure needs a min or a max').optional(),
  severity: z.enum(severities),
});
const template = z.strictObject({
  /** The crew specialty that remediates a failure at this type of facility. */
  remediation: z.string().min(1),
  items: z.array(item).min(1).refine((items) => new Set(items.map((i) => i.id)).size === items.length, 'item ids must be unique'),
});
const templates = z.partialRecord(z.enum(facilityTypes), template);

export interface ChecklistTemplate { remediation: string; items: ChecklistItem[] }
export type ChecklistTemplates = Partial<Record<FacilityType, ChecklistTemplate>>;

export const defaultChecklistsFile = resolve(dirname(fileURLToPath(import.meta.url)), 'checklists.yaml');

/** Loads and validates the checklist templates; a typo fails here, naming the place, not in a campaign. */
export function loadChecklists(file = defaultChecklistsFile): ChecklistTemplates {
  const doc = parseDocument(readFileSync(file, 'utf8'), { uniqueKeys: true });
  if (doc.errors[0]) throw new Error(`${file}: ${doc.errors[0].message}`);
  const parsed = templates.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const out: ChecklistTemplates = {};
  for (const [type, t] of Object.entries(parsed.data) as [FacilityType, z.output<typeof template>][]) {
    out[type] = { remediation: t.remediation, items: t.items.map((i) => ({ id: i.id, label: i.label, severity: i.severity, ...(i.measure ? { measure: { unit: i.measure.unit, ...(i.measure.min === undefined ? {} : { min: i.measure.min }), ...(i.measure.max === undefined ? {} : { max: i.measure.max }) } } : {}) })) };
  }
  return out;
}
