import { allHandlersFinished, condition, continueAsNew, isCancellation, ParentClosePolicy, setHandler, startChild, uuid4, workflowInfo } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { InspectionSummary, OpenFinding, RecordedInspection } from '../activities/campaigns.js';
import type { MessageCrewsInput } from '../activities/index.js';
import { messaging, store } from './activities.js';
import { campaignName, campaignStateQuery, findingWorkflowId, recordInspectionUpdate, type CampaignInput, type CampaignView } from './campaign-messages.js';
import { remediateFinding } from './finding.js';

const now = () => new Date(Date.now()).toISOString();

/**
 * A city examination campaign (城市体检): opens one inspection per facility, sends each to its
 * crew, reminds before the due date, escalates overdue ones to supervisors until they are done,
 * starts a remediation workflow for every finding, and closes when every inspection is in.
 */
export async function runCampaign(input: CampaignInput): Promise<CampaignView> {
  const campaignId = input.campaignId ?? `cmp_${uuid4()}`;
  const opened = new Date(Date.now());
  const view: CampaignView = { campaignId, name: campaignName(input.name, opened), status: 'opening', inspections: [], findingWorkflows: [], events: [] };
  const log = (type: string, message: string) => view.events.push({ at: now(), type, message });
  const open = () => view.inspections.filter((i) => i.status !== 'done');

  // Handlers before the first await, so nothing sent at start is dropped.
  setHandler(campaignStateQuery, () => view);
  setHandler(recordInspectionUpdate, async (record): Promise<RecordedInspection> => {
    const result = await store.recordInspection(record);
    const inspection = view.inspections.find((i) => i.id === record.inspectionId);
    if (inspection) inspection.status = 'done';
    log('inspection.recorded', `inspection ${inspection?.code ?? record.inspectionId} recorded by ${record.by}: ${result.findings.length} finding(s)`);
    for (const f of result.findings) await startRemediation(f);
    return result;
  }, {
    validator: (record) => {
      if (view.status === 'opening') throw new Error('the campaign is still opening its inspections; try again in a moment');
      const inspection = view.inspections.find((i) => i.id === record.inspectionId);
      if (!inspection) throw new Error(`inspection ${record.inspectionId} is not part of campaign ${campaignId}`);
      if (inspection.status === 'done') throw new Error(`inspection ${inspection.code} is already recorded`);
    },
  });

  async function startRemediation(f: OpenFinding): Promise<void> {
    const workflowId = findingWorkflowId(input.workflowIdPrefix, f.id);
    if (view.findingWorkflows.includes(workflowId)) return;
    view.findingWorkflows.push(workflowId);
    const template = input.checklists[f.facilityType as keyof CampaignInput['checklists']];
    try {
      await startChild(remediateFinding, {
        workflowId,
        args: [{ findingId: f.id, specialty: template?.remediation ?? 'patrol', inspectionCrewId: f.inspectionCrewId, timers: input.remediation }],
        // A finding is tracked to its re-inspection even after the campaign has closed.
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      log('finding.opened', `finding ${f.id} (${f.severity}) sent for remediation`);
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }

  const dueAt = input.dueAt ?? new Date(opened.getTime() + (input.dueInMs ?? 0)).toISOString();
  const result = await store.openCampaign({
    campaignId, workflowId: workflowInfo().workflowId, name: view.name, facilityTypes: input.facilityTypes, zoneIds: input.zoneIds, crewIds: input.crewIds,
    checklists: input.checklists, startedBy: input.startedBy, startedAt: opened.toISOString(), dueAt, ...(input.scheduleId ? { scheduleId: input.scheduleId } : {}),
  });
  view.inspections = result.inspections;
  view.dueAt = result.dueAt;
  view.status = 'open';
  log('campaign.opened', `${result.inspections.length} inspections, due ${result.dueAt}`);
  // An adopted campaign (seeded, or started again) picks up the findings already open.
  for (const f of result.openFindings) await startRemediation(f);

  const title = { 'zh-CN': `城市体检：${view.name}`, en: `City check: ${view.name}` };
  const page = async (inspections: InspectionSummary[], attempt: number, who: MessageCrewsInput['who'], subject = (i: InspectionSummary) => i.id) => {
    await Promise.all(inspections.filter((i) => i.crewId).map(async (i) => {
      try {
        await messaging.messageCrews({ runId: campaignId, subject: subject(i), attempt, crewIds: [i.crewId ?? ''], who, channels: ['sms', 'push'], drill: false, text: { kind: 'examination', code: i.code, title, place: i.place } });
      } catch (error) {
        if (isCancellation(error)) throw error;
        log('delivery.failed', `could not message crew ${i.crewId} about inspection ${i.code}; the duty officer must call them`);
      }
    }));
  };

  // Long campaigns hand over to a fresh run (continue-as-new); the rows in the database carry the progress.
  const carried = input.carried;
  const tooLong = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > (input.maxHistoryEvents ?? Number.POSITIVE_INFINITY);
  const allDone = () => open().length === 0;
  if (!carried) await page(open(), 1, 'members');
  const due = Date.parse(result.dueAt);
  const remindAt = due - input.remindBeforeMs;
  let reminded = carried?.reminded ?? remindAt <= Date.now();
  let escalations = carried?.escalations ?? 0;
  for (;;) {
    if (allDone()) break;
    if (tooLong()) {
      await condition(allHandlersFinished);
      if (allDone()) break;
      return continueAsNew<typeof runCampaign>({ ...input, campaignId, name: view.name, dueAt: result.dueAt, carried: { reminded, escalations } });
    }
    const nextAt = reminded ? due + escalations * input.escalateEveryMs : remindAt;
    if (await condition(() => allDone() || tooLong(), Math.max(nextAt - Date.now(), 1))) continue;
    if (!reminded) {
      reminded = true;
      log('campaign.reminded', `${open().length} inspections still open; crews reminded`);
      await page(open(), 2, 'members');
      continue;
    }
    escalations += 1;
    const overdue = open();
    for (const i of overdue) i.overdue = true;
    await store.markOverdue({ inspectionIds: overdue.map((i) => i.id) });
    log('campaign.overdue', `${overdue.length} inspections overdue (${overdue.map((i) => i.code).join(', ')}); escalated to supervisors (round ${escalations})`);
    await page(overdue, escalations, 'supervisors', (i) => `${i.id}|overdue`);
  }
  await condition(allHandlersFinished);
  await store.closeCampaign({ campaignId });
  view.status = 'closed';
  log('campaign.closed', 'every inspection recorded');
  return view;
}
