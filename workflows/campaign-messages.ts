import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { InspectionSummary, RecordedInspection, RecordInspectionInput } from '../activities/campaigns.js';
import type { ChecklistTemplates } from '../config/checklists.js';
import type { FacilityType } from '../db/schema/zones.js';

/** How long a finding's remediation and its re-inspection may take before supervisors are told. */
export interface RemediationTimers { dueMs: number; reinspectionDueMs: number }

/** A campaign's name with `{year}` filled in: one rule for the API's row and the workflow's, so whichever lands first is right. */
export function campaignName(template: string, openedAt: Date): string {
  return template.replaceAll('{year}', String(openedAt.getFullYear()));
}

export interface CampaignInput {
  /** Absent when a schedule starts the campaign: the workflow names it. */
  campaignId?: string;
  /** `{year}` becomes the year the campaign opens ("{year} pre-flood-season check"). */
  name: string;
  facilityTypes: FacilityType[];
  zoneIds: string[];
  crewIds: string[];
  /** The templates as validated at start, so the run (and its replay) never depends on the file. */
  checklists: ChecklistTemplates;
  /** A fixed due date, or (for recurring campaigns) a time after opening. */
  dueAt?: string;
  dueInMs?: number;
  /** Crews are reminded this long before the due date. */
  remindBeforeMs: number;
  /** Once overdue, supervisors are told again at this interval until the campaign closes. */
  escalateEveryMs: number;
  remediation: RemediationTimers;
  startedBy: string;
  scheduleId?: string;
  /** The deployment's workflow id prefix, for the findings' workflows. */
  workflowIdPrefix: string;
  /** Continue-as-new once history passes this many events (Temporal's own suggestion also counts). */
  maxHistoryEvents?: number;
  /** What a run hands to the next over continue-as-new; inspections and findings come back from the database. */
  carried?: { reminded: boolean; escalations: number };
}

export interface CampaignEvent { at: string; type: string; message: string }

export interface CampaignView {
  campaignId: string;
  name: string;
  status: 'opening' | 'open' | 'closed';
  dueAt?: string;
  inspections: InspectionSummary[];
  /** Workflow ids of the findings' remediation workflows this campaign started. */
  findingWorkflows: string[];
  events: CampaignEvent[];
}

export interface FindingInput {
  findingId: string;
  /** Crew specialty that remediates this type of facility. */
  specialty: string;
  /** The crew that found it re-inspects it. */
  inspectionCrewId: string | null;
  timers: RemediationTimers;
}

export interface FindingView {
  findingId: string;
  status: 'open' | 'remediated' | 'closed';
  crewId: string | null;
  round: number;
  reinspection?: InspectionSummary;
  events: CampaignEvent[];
}

export interface RemediatedInput { note: string; by: string }

export const campaignStateQuery = defineQuery<CampaignView>('campaign-state');
export const findingStateQuery = defineQuery<FindingView>('finding-state');
/** An inspection's results: the campaign (or, for a re-inspection, the finding) writes them and answers with the findings. */
export const recordInspectionUpdate = defineUpdate<RecordedInspection, [RecordInspectionInput]>('record-inspection');
/** The remediating crew says the fault is fixed; a re-inspection follows. */
export const remediatedUpdate = defineUpdate<FindingView, [RemediatedInput]>('remediated');

export const campaignWorkflowId = (prefix: string, campaignId: string) => `${prefix}campaign:${campaignId}`;
export const findingWorkflowId = (prefix: string, findingId: string) => `${prefix}finding:${findingId}`;
