// `npm run bench [-- NAME ...] [-- --smoke]`: runs benchmarks, writes bench/results/NAME.json and bench/RESULTS.md.
import { execSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { concurrentRuns, runOverhead } from './engine.js';
import { pushFanout, smsFanout } from './dispatch.js';
import { endToEnd } from './end-to-end.js';
import { alertStorm, readingsIngest } from './triggers.js';
import { load } from './load.js';
import type { BenchResult } from './harness.js';

const benchmarks: Record<string, (smoke: boolean) => Promise<BenchResult>> = {
  'run-overhead': runOverhead,
  'concurrent-runs': concurrentRuns,
  'sms-fanout': smsFanout,
  'push-fanout': pushFanout,
  'end-to-end': endToEnd,
  'readings-ingest': readingsIngest,
  'alert-storm': alertStorm,
  load,
};

export async function runBenchmarks(names: string[], smoke: boolean, outDir: string): Promise<BenchResult[]> {
  const unknown = names.filter((n) => !(n in benchmarks));
  if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(benchmarks).join(', ')}`);
  const results: BenchResult[] = [];
  mkdirSync(outDir, { recursive: true });
  for (const name of names.length ? names : Object.keys(benchmarks)) {
    const run = benchmarks[name];
    if (!run) continue;
    console.error(`bench: ${name}${smoke ? ' (smoke)' : ''}`);
    const result = await run(smoke);
    const meta = machine();
    writeFileSync(join(outDir, `${name}.json`), `${JSON.stringify({ ...result, ...meta }, null, 2)}\n`);
    results.push(result);
  }
  writeFileSync(join(outDir, 'RESULTS.md'), summary(outDir));
  return results;
}

function machine() {
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch { /* not a checkout */ }
  return { date: new Date().toISOString(), commit, machine: `${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}` };
}

function summary(outDir: string): string {
  const files = readdirSync(outDir).filter((f) => f.endsWith('.json')).sort();
  const lines = ['# Benchmark results', '', 'Written by `npm run bench`; every figure was measured beside its baseline in the same run.', ''];
  for (const file of files) {
    const r = JSON.parse(readFileSync(join(outDir, file), 'utf8')) as BenchResult & { date: string; commit: string; machine: string };
    lines.push(`## ${r.name}${r.smoke ? ' (smoke)' : ''}`, '', `${r.machine} · ${r.date} · commit ${r.commit}`, '');
    lines.push('| figure | value | baseline | ratio | aim |', '| --- | --- | --- | --- | --- |');
    for (const f of r.figures) {
      lines.push(`| ${f.name} | ${f.value} ${f.unit} | ${f.baseline !== undefined ? `${f.baseline} ${f.unit} (${f.baselineName})` : '—'} | ${f.ratio !== undefined ? `${f.ratio}×` : '—'} | ${f.aim ?? '—'} |`);
    }
    lines.push('', ...r.notes.map((n) => `- ${n}`), '');
  }
  return `${lines.join('\n')}\n`;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === resolve('bench/run.ts');
if (isMain) {
  const args = process.argv.slice(2);
  const smoke = args.includes('--smoke');
  const names = args.filter((a) => !a.startsWith('--'));
  const outDir = smoke ? resolve('bench/results/smoke') : resolve('bench/results');
  runBenchmarks(names, smoke, outDir).then(
    () => {
      if (!smoke) writeFileSync(resolve('bench/RESULTS.md'), readFileSync(join(outDir, 'RESULTS.md')));
      process.exit(0);
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
