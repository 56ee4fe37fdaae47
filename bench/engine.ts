import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { loadPlaybooks } from '../playbooks/loader.js';
import type { RunInput } from '../workflows/messages.js';
import { currentRssMiB, peakRssMiB, percentile, ratio, startBenchEnv, type BenchEnv, type BenchResult } from './harness.js';

const playbooks = loadPlaybooks(resolve('bench/playbooks'));

function playbook(id: string) {
  const found = playbooks.playbooks.get(id);
  if (!found) throw new Error(`bench playbook ${id} is missing`);
  return found;
}

/**
 * A run's overhead: the interpreter running bench-auto (3 timers, 2 notify steps, its timeline
 * writes) against a bare workflow doing the same number of activities and timers, alternately,
 * on the same server and worker.
 */
export async function runOverhead(smoke: boolean): Promise<BenchResult> {
  const env = await startBenchEnv({});
  try {
    const rounds = smoke ? 2 : 30;
    const figures: BenchResult['figures'] = [];
    const notes: string[] = [];
    for (const id of ['bench-notify', 'bench-auto']) {
      const measured = await compareWithBare(env, playbook(id), rounds);
      figures.push(
        { name: `${id} run p50`, unit: 'ms', value: percentile(measured.runMs, 50), baseline: percentile(measured.bareMs, 50), baselineName: 'bare workflow p50', ratio: ratio(percentile(measured.runMs, 50), percentile(measured.bareMs, 50)), aim: '≤ 1.3×' },
        { name: `${id} run p99`, unit: 'ms', value: percentile(measured.runMs, 99), baseline: percentile(measured.bareMs, 99), baselineName: 'bare workflow p99', ratio: ratio(percentile(measured.runMs, 99), percentile(measured.bareMs, 99)) },
      );
      notes.push(`${id}: ${measured.activities} activities and ${measured.timers} timers per run (counted from its history); ${rounds} runs and ${rounds} bare workflows, alternating, one at a time`);
    }
    figures.push({ name: 'worker peak RSS', unit: 'MiB', value: peakRssMiB(env.worker.pid) });
    notes.push('A run writes its timeline from a background flusher, so some of its activities overlap; the bare baseline runs all of its activities one after another, which is why a run can beat it.');
    notes.push("The dev server fires timers on a ~1 s tick whatever their length (a 50 ms sleep takes ~1 s), so bench-auto's three timers dominate both sides; bench-notify has none and shows the interpreter's own cost.");
    return { name: 'run-overhead', smoke, figures, notes };
  } finally {
    await env.stop();
  }
}

async function compareWithBare(env: BenchEnv, book: ReturnType<typeof playbook>, rounds: number) {
  const runOnce = async () => {
    const runId = `run_${randomUUID()}`;
    const input: RunInput = { runId, playbook: book, zoneId: 'renhe', level: 'III', reason: 'bench', drill: false, startedBy: 'bench' };
    const started = performance.now();
    const handle = await env.client.workflow.start('runPlaybook', { taskQueue: env.taskQueue, workflowId: `bench-${runId}`, args: [input] });
    await handle.result();
    return { ms: performance.now() - started, handle };
  };
  // Count what a run does from its own history, so the baseline does exactly as much.
  const probe = await runOnce();
  const events = (await probe.handle.fetchHistory()).events ?? [];
  const activities = events.filter((e) => e.activityTaskScheduledEventAttributes).length;
  const timers = events.filter((e) => e.timerStartedEventAttributes).length;
  const bareOnce = async () => {
    const started = performance.now();
    const handle = await env.client.workflow.start('bareWorkflow', { taskQueue: env.taskQueue, workflowId: `bare-${randomUUID()}`, args: [activities, timers, book.timers.beat ?? 50] });
    await handle.result();
    return performance.now() - started;
  };
  await bareOnce();
  const runMs: number[] = [];
  const bareMs: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    runMs.push((await runOnce()).ms);
    bareMs.push(await bareOnce());
  }
  return { runMs, bareMs, activities, timers };
}

/**
 * Many open runs on one worker: its memory with them held open, and the round trip of an
 * operator action (POST /api/runs/:id/actions → Temporal update → answer) against a bare
 * update on as many bare open workflows.
 */
export async function concurrentRuns(smoke: boolean): Promise<BenchResult> {
  const env = await startBenchEnv({ api: true });
  try {
    const api = env.api;
    if (!api) throw new Error('no API process');
    const count = smoke ? 10 : 500;
    const actions = smoke ? 10 : 300;
    const idleWorkerMiB = currentRssMiB(env.worker.pid);
    const runIds: string[] = [];
    const launchStarted = performance.now();
    for (let i = 0; i < count; i += 1) {
      const res = await fetch(`${api.url}/api/runs`, {
        method: 'POST', headers: { 'content-type': 'application/json', ...env.auth },
        body: JSON.stringify({ playbookId: 'bench-hold', zoneId: 'renhe', level: 'III', reason: 'bench', drill: true }),
      });
      if (res.status !== 201) throw new Error(`launch failed: ${res.status} ${await res.text()}`);
      runIds.push(((await res.json()) as { runId: string }).runId);
    }
    const launchMs = performance.now() - launchStarted;
    const holders = await Promise.all(Array.from({ length: count }, () => env.client.workflow.start('bareHolder', { taskQueue: env.taskQueue, workflowId: `holder-${randomUUID()}`, args: [] })));
    await new Promise((r) => setTimeout(r, smoke ? 1_000 : 5_000));

    const actionMs: number[] = [];
    const bareMs: number[] = [];
    for (let i = 0; i < actions; i += 1) {
      const runId = runIds[(i * 7919) % runIds.length];
      let started = performance.now();
      const res = await fetch(`${api.url}/api/runs/${runId}/actions`, { method: 'POST', headers: { 'content-type': 'application/json', ...env.auth }, body: JSON.stringify({ type: 'note', text: `bench note ${i}` }) });
      if (res.status !== 200) throw new Error(`action failed: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
      actionMs.push(performance.now() - started);
      const holder = holders[(i * 7919) % holders.length];
      started = performance.now();
      await holder?.executeUpdate('bare', { args: [`note ${i}`] });
      bareMs.push(performance.now() - started);
    }
    const workerPeak = peakRssMiB(env.worker.pid);
    return {
      name: 'concurrent-runs',
      smoke,
      figures: [
        { name: `operator action p50 (${count} open runs)`, unit: 'ms', value: percentile(actionMs, 50), baseline: percentile(bareMs, 50), baselineName: 'bare update p50', ratio: ratio(percentile(actionMs, 50), percentile(bareMs, 50)) },
        { name: `operator action p99 (${count} open runs)`, unit: 'ms', value: percentile(actionMs, 99), baseline: percentile(bareMs, 99), baselineName: 'bare update p99', ratio: ratio(percentile(actionMs, 99), percentile(bareMs, 99)) },
        { name: `worker peak RSS (${count} runs + ${count} bare)`, unit: 'MiB', value: workerPeak, baseline: idleWorkerMiB, baselineName: 'worker RSS before any run', ratio: ratio(workerPeak, idleWorkerMiB) },
        { name: 'API peak RSS', unit: 'MiB', value: peakRssMiB(api.process.pid) },
        { name: 'launch through the API', unit: 'runs/s', value: Math.round((count / launchMs) * 1000 * 10) / 10 },
      ],
      notes: [`${count} drill runs of bench-hold held open on a checklist and ${count} bare workflows on one worker; ${actions} note actions through the API, each followed by a bare update through the client`],
    };
  } finally {
    await env.stop();
  }
}
