/** Shapes that cross the workflow/activity boundary; workflows import these as types only. */
import type { TaskView } from '../workflows/messages.js';

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

/** What the tasks table mirrors of a run's task. */
export type TaskRecord = Pick<TaskView, 'id' | 'code' | 'kind' | 'stepId' | 'title' | 'zoneId' | 'facilityId' | 'crewId' | 'status' | 'createdAt' | 'assignedAt' | 'acknowledgedAt' | 'doneAt' | 'verifiedAt'>;

export interface SyncRunInput {
  run: RunRecord;
  events: TimelineEvent[];
  tasks: TaskRecord[];
  /** The run's full state, kept so reports outlive Temporal's retention; absent when unchanged. */
  snapshot?: unknown;
}
