// The bench worker's workflow bundle: Stormdesk's interpreter plus the bare baselines it is measured against.
import { condition, defineUpdate, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { BenchActivities } from './activities.js';

// Everything the real worker runs (the API starts campaign and drill workflows of the seeded city too).
export { runPlaybook, drill, runCampaign, remediateFinding } from '../workflows/index.js';

const { benchNoop, benchPost } = proxyActivities<BenchActivities>({ startToCloseTimeout: '30 seconds' });

/** Baseline for the end-to-end figure: a workflow whose one activity sends the text. */
export async function bareText(url: string, form: Record<string, string>): Promise<void> {
  await benchPost(url, form);
}

/** Baseline: the same number of activities and timers as a run, and nothing else. */
export async function bareWorkflow(activities: number, timers: number, timerMs: number): Promise<void> {
  const rounds = Math.max(activities, timers);
  for (let i = 0; i < rounds; i += 1) {
    if (i < timers) await sleep(timerMs);
    if (i < activities) await benchNoop(i);
  }
}

export const bareUpdate = defineUpdate<string, [string]>('bare');

/** Baseline for operator actions: an open workflow whose update handler only echoes. */
export async function bareHolder(): Promise<void> {
  let done = false;
  setHandler(bareUpdate, (text) => {
    if (text === 'stop') done = true;
    return text;
  });
  await condition(() => done);
}
