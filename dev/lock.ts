import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface LockContent { pid: number; temporalPid?: number; startedAt: string }

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DataDirLocked extends Error {}

/**
 * One Stormdesk per data directory. A lock left by a process that died without cleaning up is
 * taken over, and the dev server it had started (now an orphan) is stopped first.
 */
export function lockDataDir(dataDir: string): { update(patch: Partial<LockContent>): void; release(): void } {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'stormdesk.lock');
  let content: LockContent = { pid: process.pid, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify(content));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      let previous: LockContent | undefined;
      try {
        previous = JSON.parse(readFileSync(path, 'utf8')) as LockContent;
      } catch {
        previous = undefined;
      }
      if (previous && alive(previous.pid)) {
        throw new DataDirLocked(`another Stormdesk (pid ${previous.pid}, started ${previous.startedAt}) is using the data directory ${dataDir}; stop it first or set STORMDESK_DATA_DIR`);
      }
      if (previous?.temporalPid && alive(previous.temporalPid)) process.kill(previous.temporalPid, 'SIGKILL');
      rmSync(path, { force: true });
    }
  }
  return {
    update(patch) {
      content = { ...content, ...patch };
      writeFileSync(path, JSON.stringify(content));
    },
    release() {
      rmSync(path, { force: true });
    },
  };
}
