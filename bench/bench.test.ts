import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBenchmarks } from './run.js';

/** The harness must not rot: every benchmark runs tiny inside the test suite (never the full run). */
describe('the benchmark harness in smoke mode', () => {
  it('runs every benchmark and writes its figures with baselines and ratios', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
    try {
      const results = await runBenchmarks([], true, out);
      expect(results.map((r) => r.name).sort()).toEqual(['alert-storm', 'concurrent-runs', 'end-to-end', 'load', 'push-fanout', 'readings-ingest', 'run-overhead', 'sms-fanout']);
      for (const result of results) {
        expect(result.figures.length).toBeGreaterThan(0);
        for (const figure of result.figures) expect(Number.isFinite(figure.value), figure.name).toBe(true);
        expect(result.figures.some((f) => f.baseline !== undefined && f.ratio !== undefined)).toBe(true);
      }
      expect(readFileSync(join(out, 'RESULTS.md'), 'utf8')).toContain('| figure | value | baseline | ratio | aim |');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 360_000);
});
