import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirLocked, lockDataDir } from './lock.js';

describe('the data directory lock', () => {
  it('lets one Stormdesk use a data directory and refuses a second with a clear message', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    const lock = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirLocked);
    expect(() => lockDataDir(dir)).toThrow(/another Stormdesk \(pid \d+/);
    lock.release();
    lockDataDir(dir).release();
  });

  it('takes over a lock left by a process that died', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    writeFileSync(join(dir, 'stormdesk.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, startedAt: 'earlier' }));
    const lock = lockDataDir(dir);
    lock.release();
  });
});
