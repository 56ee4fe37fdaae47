import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from '@temporalio/worker';
import { inject, describe, expect, it } from 'vitest';

const dir = resolve('workflows/histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

/**
 * Histories recorded from real runs (npm run record:histories). If a change to workflow code
 * would make an open run take a different path on replay, this fails: guard the change with
 * patched() instead.
 */
describe('replaying recorded run histories', () => {
  it('has histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s replays deterministically with the current workflow code', async (file) => {
    const history = JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown;
    const workflowId = file.replace(/\.json$/, '');
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history as never, workflowId);
  });
});
