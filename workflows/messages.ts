import { defineQuery, defineUpdate, defineSignal } from '@temporalio/workflow';
import type { Level, Playbook } from '../playbooks/schema.js';

export type StepStatus =
  | 'pending' | 'running' | 'waiting-ack' | 'done' | 'awaiting-verification' | 'verified'
  | 'failed' | 'cancelled' | 'skipped';

export const terminalStepStatuses: readonly StepStatus[] = ['done', 'verified', 'failed', 'cancelled', 'skipped'];

export interface RunInput {
  runId: string;
  playbook: Playbook;
  zoneId: string;
  level: Level;
  reason: string;
  drill: boolean;
  startedBy: string;
  /** Overrides of the playbook's named timers in ms, so tests and drills run in seconds. */
  timers?: Record<string, number>;
  /** Continue-as-new once history passes this many events (Temporal's own suggestion also counts). */
  maxHistoryEvents?: number;
  /** State carried over continue-as-new; absent on a fresh run. */
  carried?: CarriedState;
  /** The trigger that started this run (its first trigger update answers "started"). */
  triggerKey?: string;
  /** A drill's participants: only these crews are paged and dispatched (absent: every crew the playbook reaches). */
  onlyCrews?: string[];
  /** Blue and yellow warnings ask the duty officer first; no answer within the timeout starts the run anyway. */
  confirmation?: { timeoutMs: number };
}

export interface TriggerInput { key: string; source: string; identifier: string; hazard: string; level: Level; reason: string; by: string }
export interface TriggerResult { runId: string; action: 'started' | 'awaiting-confirmation' | 'escalated' | 'noted'; level: Level }

export interface LevelChange { level: Level; at: string; by: string; reason: string }
export interface Note { at: string; by: string; text: string }

export interface ChecklistItemView { id: string; label: { 'zh-CN': string; en: string }; tickedBy?: string; tickedAt?: string }
export interface DecisionView {
  options: { id: string; label: { 'zh-CN': string; en: string } }[];
  askedOf: 'duty-officer' | 'deputy';
  chosen?: string;
  by?: string;
  at?: string;
  defaulted?: boolean;
}

export interface StepView extends Clock {
  id: string;
  parentId: string | null;
  kind: string;
  title: { 'zh-CN': string; en: string };
  status: StepStatus;
  paused: boolean;
  /** Why the step is skipped, failed or cancelled. */
  reason?: string;
  startedAt?: string;
  endedAt?: string;
  items?: ChecklistItemView[];
  decision?: DecisionView;
}

export type TaskStatus = 'assigned' | 'acknowledged' | 'done' | 'awaiting-verification' | 'verified' | 'waived' | 'cancelled' | 'unassigned';

/** A running timer: its deadline while it runs, its remaining time while paused or carried over. */
export interface Clock { timerEndsAt?: string; timerRemainingMs?: number }

export interface TaskView extends Clock {
  id: string;
  code: string;
  /** A task is work to do and verify; a notice only asks for an acknowledgement. */
  kind: 'task' | 'notice';
  stepId: string;
  title: { 'zh-CN': string; en: string };
  zoneId: string;
  facilityId?: string;
  /** Where, as the message names it. */
  place?: { 'zh-CN': string; en: string };
  /** Readiness: the facility has an open critical finding from a city examination. */
  openFault?: { findingId: string; title: string; since: string };
  crewId?: string;
  status: TaskStatus;
  attempts: { crewId: string; zoneId: string; at: string; outcome: 'pending' | 'acknowledged' | 'timed-out' | 'reassigned' | 'cancelled' }[];
  createdAt: string;
  assignedAt?: string;
  acknowledgedAt?: string;
  doneAt?: string;
  verifiedAt?: string;
  verifiedBy?: string;
  waivedReason?: string;
  helpRequested?: boolean;
  /** Set by an officer's reassign action; the dispatch step moves the task on its next check. */
  reassignTo?: string;
}

export interface RunOutcome { runId: string; closedAt: string; reason: string; by: string }

export type RunPhase = 'awaiting-confirmation' | 'active' | 'monitoring' | 'closed';

export interface RunView {
  runId: string;
  workflowId: string;
  startedAt: string;
  reason: string;
  playbookId: string;
  playbookVersion: string;
  hazard: string;
  zoneId: string;
  drill: boolean;
  level: Level;
  phase: RunPhase;
  dutyOfficer: string;
  levelHistory: LevelChange[];
  steps: StepView[];
  tasks: TaskView[];
  notes: Note[];
  /** Conditions reported by triggers or officers, which `wait until` steps watch. */
  conditions: { 'warning-cancelled': boolean; 'sensors-clear': boolean };
  standDown?: { at: string; by: string; reason: string };
  confirmation?: { accepted: boolean; by: string; at: string };
}

export interface CarriedState {
  view: RunView;
  seq: number;
}

type By = { by: string };
export type RunAction =
  | ({ type: 'escalate' | 'downgrade'; level: Level; reason: string } & By)
  | ({ type: 'decide'; stepId: string; optionId: string } & By)
  | ({ type: 'tick'; stepId: string; itemId: string } & By)
  | ({ type: 'note'; text: string } & By)
  | ({ type: 'reassign'; taskId: string; crewId: string } & By)
  | ({ type: 'pause' | 'resume'; stepId: string } & By)
  | ({ type: 'stand-down'; reason: string } & By)
  | ({ type: 'handover'; to: string } & By)
  | ({ type: 'ack' | 'done' | 'help'; taskId: string; channel: string } & By)
  | ({ type: 'verify'; taskId: string } & By)
  | ({ type: 'waive'; taskId: string; reason: string } & By)
  | ({ type: 'condition'; name: ConditionName; value: boolean } & By)
  | ({ type: 'confirm'; accept: boolean } & By);

export type ConditionName = 'warning-cancelled' | 'sensors-clear';

export interface ActionResult { accepted: true; type: RunAction['type']; message: string; summary?: string }

export const stateQuery = defineQuery<RunView>('state');
export const actionUpdate = defineUpdate<ActionResult, [RunAction]>('action');
/** Triggers (feeds, sensors) that reach an open run; a signal, because the sender needs no answer. */
export const triggerSignal = defineSignal<[RunAction]>('trigger');
/** A warning for this run's hazard and zone: starts it (update-with-start) or escalates or notes it. */
export const triggerUpdate = defineUpdate<TriggerResult, [TriggerInput]>('trigger-warning');
