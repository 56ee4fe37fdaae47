import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { campaigns, crewZones, crews, facilities, findings, inspections, type ChecklistItem, type ItemResult, type Severity } from '../db/schema/index.js';
import type { FacilityType } from '../db/schema/zones.js';
import type { ChecklistTemplates } from '../config/checklists.js';
import { ancestry, subtree } from '../domain/grid.js';
import { loadGrid } from '../db/grid.js';
import { evaluateResults, itemFails } from '../domain/inspections.js';
import { findCrewTiers } from './directory.js';

/** Shapes that cross the campaign workflow/activity boundary. */
export interface OpenCampaignInput {
  campaignId: string;
  workflowId: string;
  name: string;
  facilityTypes: FacilityType[];
  zoneIds: string[];
  crewIds: string[];
  checklists: ChecklistTemplates;
  startedBy: string;
  startedAt: string;
  dueAt: string;
  scheduleId?: string | undefined;
}

export interface InspectionSummary {
  id: string;
  code: string;
  facilityId: string;
  place: { 'zh-CN': string; en: string };
  crewId: string | null;
  status: 'assigned' | 'done';
  /** Past its due date while still open (an escalation went out). */
  overdue?: boolean;
}

export interface OpenFinding { id: string; facilityType: string; severity: Severity; inspectionCrewId: string | null }

export interface OpenedCampaign { inspections: InspectionSummary[]; openFindings: OpenFinding[]; dueAt: string }

export interface RecordInspectionInput {
  inspectionId: string;
  results: ItemResult[];
  notes?: string | undefined;
  lat?: number | undefined;
  lon?: number | undefined;
  by: string;
}

export interface RecordedInspection {
  inspectionId: string;
  kind: 'inspection' | 're-inspection';
  /** Findings this inspection opened (a first inspection), or empty. */
  findings: OpenFinding[];
  /** For a re-inspection: whether the finding's item now passes. */
  passed?: boolean;
}

const code = () => randomUUID().replace(/-/g, '').slice(0, 4).toUpperCase();

async function placeOf(db: Db, facilityIds: string[]): Promise<Map<string, { 'zh-CN': string; en: string }>> {
  if (!facilityIds.length) return new Map();
  const rows = await db.select({ id: facilities.id, name: facilities.name, nameEn: facilities.nameEn }).from(facilities).where(inArray(facilities.id, facilityIds));
  return new Map(rows.map((f) => [f.id, { 'zh-CN': f.name, en: f.nameEn ?? f.name }]));
}

/**
 * The assigned crew that inspects a facility: one of the facility's own trade first (pumping
 * stations to the pump operators), then the one covering the nearest zone; the first assigned
 * crew when none covers it.
 */
function pickCrew(crewIds: string[], chain: string[], coverage: { crewId: string; zoneId: string }[], sameTrade: (crewId: string) => boolean): string | null {
  const depth = (crewId: string) => {
    const levels = coverage.filter((c) => c.crewId === crewId).map((c) => chain.indexOf(c.zoneId)).filter((i) => i >= 0);
    return levels.length ? Math.min(...levels) : Number.POSITIVE_INFINITY;
  };
  const covering = crewIds.filter((c) => depth(c) < Number.POSITIVE_INFINITY);
  const ranked = [...covering].sort((a, b) => Number(sameTrade(b)) - Number(sameTrade(a)) || depth(a) - depth(b));
  return ranked[0] ?? crewIds[0] ?? null;
}

/**
 * Writes the campaign and one inspection per facility of its types in its zones, each assigned
 * to an assigned crew covering the facility (the first assigned crew otherwise). Idempotent, and
 * adopts rows already there (a seeded or restarted campaign keeps its progress).
 */
export async function openCampaign(db: Db, input: OpenCampaignInput): Promise<OpenedCampaign> {
  await db.insert(campaigns).values({
    id: input.campaignId, workflowId: input.workflowId, name: input.name, facilityTypes: input.facilityTypes, zoneIds: input.zoneIds, crewIds: input.crewIds,
    status: 'open', scheduleId: input.scheduleId ?? null, startedBy: input.startedBy, startedAt: input.startedAt, dueAt: input.dueAt,
  }).onConflictDoNothing();
  const campaign = await db.query.campaigns.findFirst({ where: eq(campaigns.id, input.campaignId) });
  const dueAt = campaign?.dueAt ?? input.dueAt;
  const allZones = await loadGrid(db);
  const inZones = [...new Set(input.zoneIds.flatMap((z) => [...subtree(allZones, z)]))];
  const targets = inZones.length && input.facilityTypes.length
    ? await db.select().from(facilities).where(and(inArray(facilities.zoneId, inZones), inArray(facilities.type, input.facilityTypes))).orderBy(facilities.id)
    : [];
  const coverage = input.crewIds.length ? await db.select().from(crewZones).where(inArray(crewZones.crewId, input.crewIds)) : [];
  const specialty = new Map((input.crewIds.length ? await db.select({ id: crews.id, specialty: crews.specialty }).from(crews).where(inArray(crews.id, input.crewIds)) : []).map((c) => [c.id, c.specialty]));
  const now = new Date().toISOString();
  for (const f of targets) {
    const template = input.checklists[f.type];
    if (!template) continue;
    const crewId = pickCrew(input.crewIds, ancestry(allZones, f.zoneId).map((z) => z.id), coverage, (c) => specialty.get(c) === template.remediation);
    await db.insert(inspections).values({
      id: `insp_${randomUUID()}`, campaignId: input.campaignId, kind: 'inspection', facilityId: f.id, facilityType: f.type, zoneId: f.zoneId,
      crewId, code: code(), status: 'assigned', checklist: template.items, dueAt, createdAt: now,
    }).onConflictDoNothing();
  }
  const rows = await db.select().from(inspections).where(and(eq(inspections.campaignId, input.campaignId), eq(inspections.kind, 'inspection'))).orderBy(inspections.facilityId);
  const places = await placeOf(db, rows.map((r) => r.facilityId));
  const open = await db.select().from(findings).where(and(eq(findings.campaignId, input.campaignId), inArray(findings.status, ['open', 'remediated'])));
  return {
    dueAt,
    inspections: rows.map((r) => ({ id: r.id, code: r.code, facilityId: r.facilityId, place: places.get(r.facilityId) ?? { 'zh-CN': r.facilityId, en: r.facilityId }, crewId: r.crewId, status: r.status, ...(r.overdueAt ? { overdue: true } : {}) })),
    openFindings: open.map((f) => ({ id: f.id, facilityType: f.facilityType, severity: f.severity, inspectionCrewId: rows.find((r) => r.id === f.inspectionId)?.crewId ?? null })),
  };
}

/**
 * Writes an inspection's results; a first inspection opens one finding per failed item, a
 * re-inspection closes its finding or reopens it. Idempotent: a recorded inspection answers
 * with what it recorded the first time.
 */
export async function recordInspection(db: Db, input: RecordInspectionInput): Promise<RecordedInspection> {
  return db.transaction(async (tx) => {
    const inspection = await tx.query.inspections.findFirst({ where: eq(inspections.id, input.inspectionId) });
    if (!inspection) throw new Error(`no inspection ${input.inspectionId}`);
    const at = new Date().toISOString();
    if (inspection.status !== 'done') {
      await tx.update(inspections).set({
        status: 'done', results: input.results, notes: input.notes ?? null, lat: input.lat ?? null, lon: input.lon ?? null, inspectedAt: at, inspectedBy: input.by,
      }).where(eq(inspections.id, inspection.id));
    }
    const results = inspection.status === 'done' ? inspection.results ?? [] : input.results;
    if (inspection.kind === 're-inspection') {
      const finding = inspection.findingId ? await tx.query.findings.findFirst({ where: eq(findings.id, inspection.findingId) }) : undefined;
      if (!finding) throw new Error(`re-inspection ${inspection.id} has no finding`);
      const item = inspection.checklist.find((c) => c.id === finding.itemId);
      const result = results.find((r) => r.itemId === finding.itemId);
      const passed = !!item && !!result && !itemFails(item, result);
      if (inspection.status !== 'done') {
        await tx.update(findings).set(passed
          ? { status: 'closed', closedAt: at, verifiedBy: input.by }
          : { status: 'open', remediatedAt: null, reopened: sql`${findings.reopened} + 1` }).where(eq(findings.id, finding.id));
      }
      return { inspectionId: inspection.id, kind: 're-inspection', findings: [], passed };
    }
    const { failed } = evaluateResults(inspection.checklist, results);
    for (const f of failed) {
      await tx.insert(findings).values({
        id: `fnd_${randomUUID()}`, campaignId: inspection.campaignId, inspectionId: inspection.id, itemId: f.itemId, facilityId: inspection.facilityId,
        facilityType: inspection.facilityType, zoneId: inspection.zoneId, title: f.title, severity: f.severity, status: 'open', openedAt: at,
      }).onConflictDoNothing();
    }
    const opened = await tx.select().from(findings).where(eq(findings.inspectionId, inspection.id)).orderBy(findings.itemId);
    return { inspectionId: inspection.id, kind: 'inspection', findings: opened.map((f) => ({ id: f.id, facilityType: f.facilityType, severity: f.severity, inspectionCrewId: inspection.crewId })) };
  });
}

/** Marks inspections overdue (once; the first time counts for the indicators). */
export async function markOverdue(db: Db, input: { inspectionIds: string[] }): Promise<void> {
  if (!input.inspectionIds.length) return;
  await db.update(inspections).set({ overdueAt: new Date().toISOString() }).where(and(inArray(inspections.id, input.inspectionIds), isNull(inspections.overdueAt)));
}

export async function closeCampaign(db: Db, input: { campaignId: string }): Promise<void> {
  await db.update(campaigns).set({ status: 'closed', closedAt: new Date().toISOString() }).where(and(eq(campaigns.id, input.campaignId), eq(campaigns.status, 'open')));
}

export interface FindingTarget {
  findingId: string;
  campaignId: string;
  title: { 'zh-CN': string; en: string };
  place: { 'zh-CN': string; en: string };
  status: 'open' | 'remediated' | 'closed';
  /** The crew remediating it: one of the remediation specialty covering the facility, nearest first. */
  crewId: string | null;
}

/** Picks (once) the crew that remediates a finding and records the finding's workflow. */
export async function assignRemediation(db: Db, input: { findingId: string; workflowId: string; specialty: string; dueAt: string }): Promise<FindingTarget> {
  const finding = await db.query.findings.findFirst({ where: eq(findings.id, input.findingId) });
  if (!finding) throw new Error(`no finding ${input.findingId}`);
  let crewId = finding.crewId;
  if (!crewId) {
    const tiers = await findCrewTiers(db, { zoneId: finding.zoneId, specialty: input.specialty });
    crewId = tiers.find((t) => t.crewIds.length)?.crewIds[0] ?? null;
  }
  await db.update(findings).set({ crewId, workflowId: input.workflowId, remediationDueAt: finding.remediationDueAt ?? input.dueAt }).where(eq(findings.id, finding.id));
  const place = (await placeOf(db, [finding.facilityId])).get(finding.facilityId) ?? { 'zh-CN': finding.facilityId, en: finding.facilityId };
  const item = (await db.query.inspections.findFirst({ where: eq(inspections.id, finding.inspectionId) }))?.checklist.find((c) => c.id === finding.itemId);
  return { findingId: finding.id, campaignId: finding.campaignId, title: item?.label ?? { 'zh-CN': finding.title, en: finding.title }, place, status: finding.status, crewId };
}

export async function recordRemediation(db: Db, input: { findingId: string; note: string; by: string }): Promise<void> {
  await db.update(findings).set({ status: 'remediated', remediatedAt: new Date().toISOString(), remediationNote: input.note }).where(and(eq(findings.id, input.findingId), eq(findings.status, 'open')));
}

/**
 * Creates the re-inspection of a finding: the failed item alone, for the crew that found it.
 * `inspectionId` comes from the workflow, so a retry writes the same row.
 */
export async function openReinspection(db: Db, input: { findingId: string; inspectionId: string; crewId: string | null; dueAt: string }): Promise<InspectionSummary> {
  const finding = await db.query.findings.findFirst({ where: eq(findings.id, input.findingId) });
  if (!finding) throw new Error(`no finding ${input.findingId}`);
  const original = await db.query.inspections.findFirst({ where: eq(inspections.id, finding.inspectionId) });
  const items: ChecklistItem[] = original?.checklist.filter((c) => c.id === finding.itemId) ?? [];
  await db.insert(inspections).values({
    id: input.inspectionId, campaignId: finding.campaignId, kind: 're-inspection', findingId: finding.id, facilityId: finding.facilityId, facilityType: finding.facilityType,
    zoneId: finding.zoneId, crewId: input.crewId, code: code(), status: 'assigned', checklist: items, dueAt: input.dueAt, createdAt: new Date().toISOString(),
  }).onConflictDoNothing();
  const row = await db.query.inspections.findFirst({ where: eq(inspections.id, input.inspectionId) });
  if (!row) throw new Error(`re-inspection ${input.inspectionId} was not written`);
  const place = (await placeOf(db, [row.facilityId])).get(row.facilityId) ?? { 'zh-CN': row.facilityId, en: row.facilityId };
  return { id: row.id, code: row.code, facilityId: row.facilityId, place, crewId: row.crewId, status: row.status };
}
