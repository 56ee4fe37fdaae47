/** Shapes that cross the workflow/activity boundary; workflows import these as types only. */

export interface TimelineEvent {
  /** Unique within the run; makes the write idempotent when the activity retries. */
  key: string;
  at: string;
  type: string;
  actor: string;
  message: string;
  data: Record<string, unknown>;
}

export interface RunRecord {
  id: string;
  workflowId: string;
  temporalRunId: string;
  playbookId: string;
  playbookVersion: string;
  hazard: string;
  zoneId: string;
  level: string;
  status: 'open' | 'closed';
  drill: boolean;
  reason: string;
  startedBy: string;
  startedAt: string;
  closedAt?: string | undefined;
  closedReason?: string | undefined;
}

export interface TaskRecord {
  id: string;
  code: string;
  kind: 'task' | 'notice';
  stepId: string;
  title: { 'zh-CN': string; en: string };
  zoneId: string;
  facilityId?: string | undefined;
  crewId?: string | undefined;
  status: string;
  createdAt: string;
  assignedAt?: string | undefined;
  acknowledgedAt?: string | undefined;
  doneAt?: string | undefined;
  verifiedAt?: string | undefined;
}

export interface SyncRunInput {
  run: RunRecord;
  events: TimelineEvent[];
  tasks: TaskRecord[];
  /** The run's full state, kept so reports outlive Temporal's retention; absent when unchanged. */
  snapshot?: unknown;
}
