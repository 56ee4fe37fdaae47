import { randomUUID } from 'node:crypto';
import { percentile, peakRssMiB, ratio, startBenchEnv, type BenchResult } from './harness.js';
import { startTwilioStandIn } from './twilio-stand-in.js';

/**
 * A sensor reading posted over HTTP that crosses a threshold, to the first SMS request arriving at
 * the Twilio stand-in; against a bare workflow started by a client whose one activity makes the
 * same HTTP request.
 */
export async function endToEnd(smoke: boolean): Promise<BenchResult> {
  const rounds = smoke ? 2 : 20;
  const standIn = await startTwilioStandIn(100_000);
  const env = await startBenchEnv({
    api: true,
    env: { TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'bench', TWILIO_FROM: '+15005550006', TWILIO_API_BASE_URL: standIn.url, SMS_PER_SECOND: '1000', SMS_DAILY_CAP_PER_NUMBER: '100000', STORMDESK_PUBLIC_URL: 'https://stormdesk.bench' },
  });
  const api = env.api;
  if (!api) throw new Error('no API process');
  const post = (path: string, body: unknown) => fetch(`${api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...env.auth }, body: JSON.stringify(body) });
  const firstArrivalAfter = async (since: number, match: (body: string) => boolean) => {
    for (let i = 0; i < 3000; i += 1) {
      const hit = standIn.received.find((r) => r.at >= since && match(r.body));
      if (hit) return hit.at;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error('no text arrived within 15 s');
  };
  try {
    const rule = await post('/api/sensors/rules', { sensorId: 'depth-underpass-renmin', hazard: 'bench-e2e', playbookId: 'bench-e2e', level: 'II', above: 0.27, clearBelow: 0.15 });
    if (rule.status !== 201) throw new Error(`rule: ${rule.status} ${await rule.text()}`);
    const e2e: number[] = [];
    const bare: number[] = [];
    let t = Date.now() - 3_600_000;
    for (let i = 0; i < rounds + 1; i += 1) {
      t += 60_000;
      const started = performance.now();
      const res = await post('/api/sensors/readings', { sensorId: 'depth-underpass-renmin', metric: 'water-level', unit: 'm', time: new Date(t).toISOString(), value: 0.35 });
      if (res.status !== 202) throw new Error(`reading: ${res.status}`);
      const arrived = await firstArrivalAfter(started, (b) => b.includes('Underpass water') || b.includes('下穿通道积水超限'));
      if (i > 0) e2e.push(arrived - started); // the first round warms everything up
      // Let the run close itself, then clear the rule for the next round.
      await firstArrivalAfter(arrived, (b) => b.includes('stood down') || b.includes('响应已结束'));
      // ... and is gone from Temporal, so the next reading opens a new run rather than meeting a closing one.
      const workflowId = ((await (await fetch(`${api.url}/api/runs?hazard=bench-e2e&limit=1`, { headers: env.auth })).json()) as { runs: { workflowId: string }[] }).runs[0]?.workflowId;
      if (workflowId) await env.client.workflow.getHandle(workflowId).result().catch(() => undefined);
      t += 60_000;
      await post('/api/sensors/readings', { sensorId: 'depth-underpass-renmin', metric: 'water-level', unit: 'm', time: new Date(t).toISOString(), value: 0.05 });

      const marker = randomUUID();
      const bareStarted = performance.now();
      await env.client.workflow.start('bareText', { taskQueue: env.taskQueue, workflowId: `bare-text-${marker}`, args: [`${standIn.url}/2010-04-01/Accounts/AC0/Messages.json`, { To: '+15555550100', From: '+15005550006', Body: `bare ${marker}` }] });
      const bareArrived = await firstArrivalAfter(bareStarted, (b) => b.includes(marker));
      if (i > 0) bare.push(bareArrived - bareStarted);
    }
    return {
      name: 'end-to-end',
      smoke,
      figures: [
        { name: 'sensor reading → first SMS p50', unit: 'ms', value: percentile(e2e, 50), baseline: percentile(bare, 50), baselineName: 'bare workflow, one activity sending the same request, p50', ratio: ratio(percentile(e2e, 50), percentile(bare, 50)), aim: '≤ 1.5×' },
        { name: 'sensor reading → first SMS p99', unit: 'ms', value: percentile(e2e, 99), baseline: percentile(bare, 99), baselineName: 'bare p99', ratio: ratio(percentile(e2e, 99), percentile(bare, 99)) },
        { name: 'worker peak RSS', unit: 'MiB', value: peakRssMiB(env.worker.pid) },
        { name: 'API peak RSS', unit: 'MiB', value: peakRssMiB(api.process.pid) },
      ],
      notes: [`${rounds} rounds after one warm-up: POST /api/sensors/readings crossing a threshold rule → API decides → update-with-start → run → notify step → Twilio SDK → stand-in; the run closes itself between rounds`],
    };
  } finally {
    await env.stop();
    await standIn.close();
  }
}
