import { allHandlersFinished, condition, isCancellation, setHandler, uuid4, workflowInfo } from '@temporalio/workflow';
import type { InspectionSummary, RecordedInspection } from '../activities/campaigns.js';
import type { MessageCrewsInput } from '../activities/index.js';
import { messaging, store } from './activities.js';
import { findingStateQuery, recordInspectionUpdate, remediatedUpdate, type FindingInput, type FindingView } from './campaign-messages.js';

const now = () => new Date(Date.now()).toISOString();

/**
 * A finding tracked to closure: a crew of the remediation specialty fixes it (supervisors are
 * told when it is late), the crew that found it re-inspects, and only a passing re-inspection
 * closes it; a failing one sends it back for remediation.
 */
export async function remediateFinding(input: FindingInput): Promise<FindingView> {
  const view: FindingView = { findingId: input.findingId, status: 'open', crewId: null, round: 0, events: [] };
  const log = (type: string, message: string) => view.events.push({ at: now(), type, message });
  /** The re-inspection's answer, set by its update. */
  const latest: { reinspected?: RecordedInspection | undefined } = {};
  const answer = (): RecordedInspection | undefined => latest.reinspected;

  setHandler(findingStateQuery, () => view);
  setHandler(remediatedUpdate, async (r) => {
    await store.recordRemediation({ findingId: input.findingId, note: r.note, by: r.by });
    view.status = 'remediated';
    log('finding.remediated', `${r.by} reports it fixed: ${r.note}`);
    return view;
  }, { validator: (_r) => { if (view.status !== 'open' || view.round === 0) throw new Error(view.status === 'open' ? 'the finding is still being assigned' : `the finding is ${view.status}`); } });
  setHandler(recordInspectionUpdate, async (record) => {
    const result = await store.recordInspection(record);
    latest.reinspected = result;
    if (view.reinspection) view.reinspection.status = 'done';
    // Reopened at once, so the crew's next "fixed" is accepted as soon as this answer is out.
    if (!result.passed) view.status = 'open';
    return result;
  }, {
    validator: (record) => {
      if (!view.reinspection || view.reinspection.id !== record.inspectionId) throw new Error(`inspection ${record.inspectionId} is not this finding's open re-inspection`);
      if (view.reinspection.status === 'done') throw new Error(`re-inspection ${view.reinspection.code} is already recorded`);
    },
  });

  const page = async (crewId: string | null, subject: string, attempt: number, who: MessageCrewsInput['who'], kind: MessageCrewsInput['text']['kind'], title: MessageCrewsInput['text']['title'], place: MessageCrewsInput['text']['place'], code: string) => {
    if (!crewId) {
      log('finding.unassigned', `no crew to message about ${subject}; the duty officer must assign it`);
      return;
    }
    try {
      await messaging.messageCrews({ runId: target.campaignId, subject, attempt, crewIds: [crewId], who, channels: ['sms', 'push'], drill: false, text: { kind, code, title, ...(place ? { place } : {}) } });
    } catch (error) {
      if (isCancellation(error)) throw error;
      log('delivery.failed', `could not message crew ${crewId} about ${subject}`);
    }
  };
  /** Waits for `done`; if it is late, tells the crew's supervisors once and keeps waiting. */
  const chase = async (done: () => boolean, ms: number, crewId: string | null, subject: string, title: MessageCrewsInput['text']['title'], code: string) => {
    if (await condition(done, ms)) return;
    log('finding.overdue', `${subject} overdue; supervisors told`);
    await page(crewId, `${subject}|overdue`, 1, 'supervisors', 'notice', { 'zh-CN': `逾期：${title['zh-CN']}`, en: `Overdue: ${title.en}` }, target.place, code);
    await condition(done);
  };

  const target = await store.assignRemediation({ findingId: input.findingId, workflowId: workflowInfo().workflowId, specialty: input.specialty, dueAt: new Date(Date.now() + input.timers.dueMs).toISOString() });
  view.crewId = target.crewId;
  // Adopted after a restart: a finding already reported fixed goes straight to its re-inspection.
  if (target.status === 'remediated') view.status = 'remediated';
  const code = input.findingId.replace(/^fnd_/, '').slice(0, 4).toUpperCase();
  const fixTitle = { 'zh-CN': `整改：${target.title['zh-CN']}`, en: `Fix: ${target.title.en}` };
  const checkTitle = { 'zh-CN': `复查：${target.title['zh-CN']}`, en: `Re-inspect: ${target.title.en}` };
  for (view.round = 1; ; view.round += 1) {
    if (view.status === 'open') {
      log('finding.assigned', `remediation (round ${view.round}) assigned to crew ${target.crewId ?? 'none'}`);
      await page(target.crewId, `${input.findingId}|fix`, view.round, 'members', 'examination', fixTitle, target.place, code);
      await chase(() => view.status === 'remediated', input.timers.dueMs, target.crewId, `${input.findingId}|fix${view.round}`, fixTitle, code);
    }
    latest.reinspected = undefined;
    view.reinspection = await store.openReinspection({ findingId: input.findingId, inspectionId: `insp_${uuid4()}`, crewId: input.inspectionCrewId, dueAt: new Date(Date.now() + input.timers.reinspectionDueMs).toISOString() });
    log('finding.reinspection', `re-inspection ${view.reinspection.code} sent to crew ${input.inspectionCrewId ?? 'none'}`);
    await page(input.inspectionCrewId, view.reinspection.id, 1, 'members', 'examination', checkTitle, target.place, view.reinspection.code);
    await chase(() => answer() !== undefined, input.timers.reinspectionDueMs, input.inspectionCrewId, view.reinspection.id, checkTitle, view.reinspection.code);
    if (answer()?.passed) break;
    view.status = 'open';
    log('finding.reopened', `re-inspection ${view.reinspection.code} found it still failing; back to remediation`);
  }
  view.status = 'closed';
  log('finding.closed', `verified by re-inspection ${view.reinspection?.code ?? ''}`);
  await condition(allHandlersFinished);
  return view;
}

export type { InspectionSummary };
