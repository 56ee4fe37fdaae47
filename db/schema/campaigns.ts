import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, real, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { facilities, zones, type FacilityType } from './zones.js';

export const campaignStatuses = ['open', 'closed'] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];
export const inspectionKinds = ['inspection', 're-inspection'] as const;
export type InspectionKind = (typeof inspectionKinds)[number];
export const inspectionStatuses = ['assigned', 'done'] as const;
export type InspectionStatus = (typeof inspectionStatuses)[number];
export const severities = ['minor', 'major', 'critical'] as const;
export type Severity = (typeof severities)[number];
/** open → remediated (the crew says it is fixed) → closed (a re-inspection verified it); a failed re-inspection reopens. */
export const findingStatuses = ['open', 'remediated', 'closed'] as const;
export type FindingStatus = (typeof findingStatuses)[number];
export const itemOutcomes = ['pass', 'fail', 'n/a'] as const;
export type ItemOutcome = (typeof itemOutcomes)[number];

/** One checklist item as the campaign copied it from the template when it opened. */
export interface ChecklistItem {
  id: string;
  label: { 'zh-CN': string; en: string };
  /** A measured value with its accepted range: outside it the item fails. */
  measure?: { unit: string; min?: number; max?: number };
  /** How bad a failure of this item is. */
  severity: Severity;
}

/** The result an inspector recorded for one checklist item. */
export interface ItemResult {
  itemId: string;
  outcome: ItemOutcome;
  value?: number;
  notes?: string;
  photoIds?: string[];
}

/**
 * A city "physical examination" (城市体检) check: facilities of some types in some zones,
 * inspected by the assigned crews by a due date. Its workflow creates and chases the inspections;
 * this row outlives Temporal's retention for lists, indicators and the yearly report.
 */
export const campaigns = sqliteTable('campaigns', {
  id: text('id').primaryKey(),
  workflowId: text('workflow_id').notNull(),
  name: text('name').notNull(),
  facilityTypes: text('facility_types', { mode: 'json' }).$type<FacilityType[]>().notNull(),
  zoneIds: text('zone_ids', { mode: 'json' }).$type<string[]>().notNull(),
  crewIds: text('crew_ids', { mode: 'json' }).$type<string[]>().notNull(),
  status: text('status', { enum: campaignStatuses }).notNull().default('open'),
  /** The schedule that started it, for recurring campaigns. */
  scheduleId: text('schedule_id'),
  startedBy: text('started_by').notNull(),
  startedAt: text('started_at').notNull(),
  dueAt: text('due_at').notNull(),
  closedAt: text('closed_at'),
}, (t) => [
  // Lists and the yearly report go by status and start date.
  index('campaigns_status_started_idx').on(t.status, t.startedAt),
]);

/** One facility's inspection (or a finding's re-inspection), assigned to a crew. */
export const inspections = sqliteTable('inspections', {
  id: text('id').primaryKey(),
  campaignId: text('campaign_id').notNull().references(() => campaigns.id),
  kind: text('kind', { enum: inspectionKinds }).notNull().default('inspection'),
  /** The finding a re-inspection verifies. */
  findingId: text('finding_id'),
  facilityId: text('facility_id').notNull().references(() => facilities.id),
  facilityType: text('facility_type').notNull(),
  zoneId: text('zone_id').notNull().references(() => zones.id),
  crewId: text('crew_id'),
  /** Short enough to quote in an SMS. */
  code: text('code').notNull(),
  status: text('status', { enum: inspectionStatuses }).notNull().default('assigned'),
  checklist: text('checklist', { mode: 'json' }).$type<ChecklistItem[]>().notNull(),
  results: text('results', { mode: 'json' }).$type<ItemResult[]>(),
  notes: text('notes'),
  lat: real('lat'),
  lon: real('lon'),
  dueAt: text('due_at').notNull(),
  createdAt: text('created_at').notNull(),
  overdueAt: text('overdue_at'),
  inspectedAt: text('inspected_at'),
  inspectedBy: text('inspected_by'),
}, (t) => [
  index('inspections_campaign_idx').on(t.campaignId),
  // A campaign inspects each facility once (re-inspections of its findings come on top).
  uniqueIndex('inspections_campaign_facility_uq').on(t.campaignId, t.facilityId).where(sql`kind = 'inspection'`),
  index('inspections_crew_status_idx').on(t.crewId, t.status),
]);

/** A failed checklist item: remediated by a crew and closed only when a re-inspection passes. */
export const findings = sqliteTable('findings', {
  id: text('id').primaryKey(),
  campaignId: text('campaign_id').notNull().references(() => campaigns.id),
  inspectionId: text('inspection_id').notNull().references(() => inspections.id),
  itemId: text('item_id').notNull(),
  facilityId: text('facility_id').notNull().references(() => facilities.id),
  facilityType: text('facility_type').notNull(),
  zoneId: text('zone_id').notNull(),
  title: text('title').notNull(),
  severity: text('severity', { enum: severities }).notNull(),
  status: text('status', { enum: findingStatuses }).notNull().default('open'),
  workflowId: text('workflow_id'),
  /** The crew remediating it. */
  crewId: text('crew_id'),
  openedAt: text('opened_at').notNull(),
  remediationDueAt: text('remediation_due_at'),
  remediatedAt: text('remediated_at'),
  remediationNote: text('remediation_note'),
  closedAt: text('closed_at'),
  verifiedBy: text('verified_by'),
  /** How many times a re-inspection found it still failing. */
  reopened: integer('reopened').notNull().default(0),
}, (t) => [
  // An inspection opens at most one finding per checklist item, even when the activity retries.
  uniqueIndex('findings_inspection_item_uq').on(t.inspectionId, t.itemId),
  // Readiness: "does this facility have an open critical finding" on every dispatch to it.
  index('findings_facility_status_idx').on(t.facilityId, t.status),
  index('findings_campaign_idx').on(t.campaignId),
]);

/** A photo an inspector uploaded; the bytes live under the data directory, not in the database. */
export const inspectionPhotos = sqliteTable('inspection_photos', {
  id: text('id').primaryKey(),
  inspectionId: text('inspection_id').notNull().references(() => inspections.id),
  contentType: text('content_type').notNull(),
  bytes: integer('bytes').notNull(),
  /** Relative to the data directory. */
  path: text('path').notNull(),
  uploadedBy: text('uploaded_by').notNull(),
  uploadedAt: text('uploaded_at').notNull(),
}, (t) => [index('inspection_photos_inspection_idx').on(t.inspectionId)]);

export type CampaignRow = typeof campaigns.$inferSelect;
export type InspectionRow = typeof inspections.$inferSelect;
export type FindingRow = typeof findings.$inferSelect;
