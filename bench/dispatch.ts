import { createECDH, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import webpush from 'web-push';
import { startPushStandIn } from './push-stand-in.js';
import { join, resolve } from 'node:path';
import { openDatabase } from '../db/client.js';
import { crewZones, crews, members, pushSubscriptions } from '../db/schema/index.js';
import { loadPlaybooks } from '../playbooks/loader.js';
import type { RunInput } from '../workflows/messages.js';
import { peakRssMiB, ratio, startBenchEnv, type BenchResult } from './harness.js';
import { startTwilioStandIn } from './twilio-stand-in.js';

/**
 * One notify step to N members through a local server shaped like Twilio's API that accepts
 * 100 messages a second: the total time against the floor the rate allows (N / 100 s).
 */
async function addFanoutMembers(dataDir: string, count: number, subscriptionsAt?: string): Promise<number> {
  const database = await openDatabase(`file:${join(dataDir, 'stormdesk.db')}`);
  const crewCount = Math.ceil(count / 100);
  await database.db.insert(crews).values(Array.from({ length: crewCount }, (_, i) => ({ id: `fan-${i}`, name: `Fan-out crew ${i}`, specialty: 'bench-fanout' })));
  await database.db.insert(crewZones).values(Array.from({ length: crewCount }, (_, i) => ({ crewId: `fan-${i}`, zoneId: 'zhouhe' })));
  const keys = pushKeys();
  for (let i = 0; i < count; i += 500) {
    const batch = Array.from({ length: Math.min(500, count - i) }, (_, k) => i + k);
    await database.db.insert(members).values(batch.map((n) => ({
      id: `fan-m${n}`, crewId: `fan-${Math.floor(n / 100)}`, name: `member ${n}`, phone: `+1415555${String(n).padStart(4, '0')}`, language: 'en' as const,
      channelPreference: subscriptionsAt ? ('push' as const) : ('sms' as const),
    })));
    if (subscriptionsAt) {
      await database.db.insert(pushSubscriptions).values(batch.map((n) => ({ id: `sub-${n}`, memberId: `fan-m${n}`, endpoint: `${subscriptionsAt}/push/${n}`, ...keys, createdAt: new Date().toISOString() })));
    }
  }
  database.close();
  return crewCount;
}

/** A device's keys as a browser makes them (one pair serves every stand-in subscription). */
function pushKeys(): { p256dh: string; auth: string } {
  const ecdh = createECDH('prime256v1');
  return { p256dh: ecdh.generateKeys().toString('base64url'), auth: randomBytes(16).toString('base64url') };
}

async function runToEnd(env: Awaited<ReturnType<typeof startBenchEnv>>, playbookId: string): Promise<number> {
  const playbook = loadPlaybooks(resolve('bench/playbooks')).playbooks.get(playbookId);
  if (!playbook) throw new Error(`${playbookId} missing`);
  const runId = `run_${randomUUID()}`;
  const input: RunInput = { runId, playbook, zoneId: 'zhouhe', level: 'I', reason: 'bench', drill: false, startedBy: 'bench' };
  const started = performance.now();
  const handle = await env.client.workflow.start('runPlaybook', { taskQueue: env.taskQueue, workflowId: `fanout-${runId}`, args: [input] });
  await handle.result();
  return started;
}

/**
 * One notify step by web push to N subscriptions at a local push service, against the same
 * N pushes sent straight from the bench with web-push at the same concurrency.
 */
export async function pushFanout(smoke: boolean): Promise<BenchResult> {
  const count = smoke ? 50 : 2000;
  const standIn = await startPushStandIn();
  const env = await startBenchEnv({ env: { NODE_EXTRA_CA_CERTS: standIn.caFile, PUSH_PER_SECOND: '100000', STORMDESK_PUBLIC_URL: 'https://stormdesk.bench' } });
  try {
    await addFanoutMembers(env.dataDir, count, standIn.url);
    const started = await runToEnd(env, 'bench-push');
    // Each device gets the notice, then the stand-down the run sends everyone it messaged.
    const firstAt = new Map<string, number>();
    const perDevice = new Map<string, number>();
    for (const r of standIn.received) {
      if (!firstAt.has(r.path)) firstAt.set(r.path, r.at);
      perDevice.set(r.path, (perDevice.get(r.path) ?? 0) + 1);
    }
    const runS = (Math.max(...firstAt.values()) - started) / 1000;
    // Baseline: the same pushes from this process, 16 at a time, with the same library.
    const vapid = webpush.generateVAPIDKeys();
    const keys = pushKeys();
    const agent = new https.Agent({ ca: readFileSync(standIn.caFile), keepAlive: true });
    const queue = Array.from({ length: count }, (_, i) => i);
    const bareStarted = performance.now();
    await Promise.all(Array.from({ length: 16 }, async () => {
      for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
        await webpush.sendNotification({ endpoint: `${standIn.url}/bare/${n}`, keys }, JSON.stringify({ title: 'bench', body: 'Red rainstorm warning' }), { vapidDetails: { subject: 'mailto:bench@stormdesk.invalid', ...vapid }, agent, TTL: 60 });
      }
    }));
    const bareS = (performance.now() - bareStarted) / 1000;
    return {
      name: 'push-fanout',
      smoke,
      figures: [
        { name: `${count} pushes from a run`, unit: 's', value: Math.round(runS * 100) / 100, baseline: Math.round(bareS * 100) / 100, baselineName: 'the same pushes sent directly with web-push, 16 at a time', ratio: ratio(runS, bareS) },
        { name: 'devices pushed more than once per message', unit: 'devices', value: [...perDevice.values()].filter((n) => n > 2).length, aim: '0' },
        { name: 'devices never pushed', unit: 'devices', value: count - perDevice.size, aim: '0' },
        { name: 'worker peak RSS', unit: 'MiB', value: peakRssMiB(env.worker.pid) },
      ],
      notes: [`${count} members with one subscription each at a local HTTPS push service; the run's time (to each device's first push) includes starting the workflow, looking up the audience and writing the outbox rows; each device then also gets the stand-down push`],
    };
  } finally {
    await env.stop();
    await standIn.close();
  }
}

export async function smsFanout(smoke: boolean): Promise<BenchResult> {
  const perSecond = 100;
  const count = smoke ? 50 : 2000;
  const standIn = await startTwilioStandIn(perSecond);
  const env = await startBenchEnv({
    env: {
      TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'bench', TWILIO_FROM: '+15005550006', TWILIO_API_BASE_URL: standIn.url,
      SMS_PER_SECOND: String(perSecond), STORMDESK_PUBLIC_URL: 'https://stormdesk.bench',
    },
  });
  try {
    const crewCount = await addFanoutMembers(env.dataDir, count);
    const started = await runToEnd(env, 'bench-fanout');
    // The notice itself; at the end the run also tells everyone it stood down (one more text each).
    const notices = standIn.received.filter((r) => r.body.includes('Red rainstorm warning'));
    const lastAt = Math.max(...notices.map((r) => r.at));
    const totalS = (lastAt - started) / 1000;
    const floorS = count / perSecond;
    const perNumber = new Map<string, number>();
    for (const r of notices) perNumber.set(r.to, (perNumber.get(r.to) ?? 0) + 1);
    const duplicates = [...perNumber.values()].filter((n) => n > 1).length;
    const missing = count - perNumber.size;
    return {
      name: 'sms-fanout',
      smoke,
      figures: [
        { name: `${count} SMS through a ${perSecond}/s sender`, unit: 's', value: Math.round(totalS * 100) / 100, baseline: floorS, baselineName: 'floor the rate allows', ratio: ratio(totalS, floorS), aim: '≤ 1.15×' },
        { name: 'numbers texted twice', unit: 'numbers', value: duplicates, aim: '0' },
        { name: 'numbers never texted', unit: 'numbers', value: missing, aim: '0' },
        { name: '429s from the stand-in', unit: 'responses', value: standIn.rejected },
        { name: 'worker peak RSS', unit: 'MiB', value: peakRssMiB(env.worker.pid) },
      ],
      notes: [`${count} members in ${crewCount} crews, one notify step, SMS only; time from starting the run to the last message arriving at the stand-in`],
    };
  } finally {
    await env.stop();
    await standIn.close();
  }
}
