import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { openDatabase } from '../db/client.js';
import { crewZones, crews, members } from '../db/schema/index.js';
import { loadPlaybooks } from '../playbooks/loader.js';
import type { RunInput } from '../workflows/messages.js';
import { peakRssMiB, ratio, startBenchEnv, type BenchResult } from './harness.js';
import { startTwilioStandIn } from './twilio-stand-in.js';

/**
 * One notify step to N members through a local server shaped like Twilio's API that accepts
 * 100 messages a second: the total time against the floor the rate allows (N / 100 s).
 */
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
    const database = await openDatabase(`file:${join(env.dataDir, 'stormdesk.db')}`);
    const crewCount = Math.ceil(count / 100);
    await database.db.insert(crews).values(Array.from({ length: crewCount }, (_, i) => ({ id: `fan-${i}`, name: `Fan-out crew ${i}`, specialty: 'bench-fanout' })));
    await database.db.insert(crewZones).values(Array.from({ length: crewCount }, (_, i) => ({ crewId: `fan-${i}`, zoneId: 'zhouhe' })));
    for (let i = 0; i < count; i += 500) {
      await database.db.insert(members).values(Array.from({ length: Math.min(500, count - i) }, (_, k) => ({
        id: `fan-m${i + k}`, crewId: `fan-${Math.floor((i + k) / 100)}`, name: `member ${i + k}`, phone: `+1415555${String(i + k).padStart(4, '0')}`, language: 'en' as const, channelPreference: 'sms' as const,
      })));
    }
    database.close();
    const playbook = loadPlaybooks(resolve('bench/playbooks')).playbooks.get('bench-fanout');
    if (!playbook) throw new Error('bench-fanout missing');
    const runId = `run_${randomUUID()}`;
    const input: RunInput = { runId, playbook, zoneId: 'zhouhe', level: 'I', reason: 'bench', drill: false, startedBy: 'bench' };
    const started = performance.now();
    const handle = await env.client.workflow.start('runPlaybook', { taskQueue: env.taskQueue, workflowId: `fanout-${runId}`, args: [input] });
    await handle.result();
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
