import type { Db } from '../db/client.js';
import type { Logger } from '../config/logger.js';
import { syncRun } from './runs.js';
import type { SyncRunInput } from './types.js';

export interface ActivityDeps { db: Db; logger: Logger }

/** Builds the worker's activities around their dependencies (samples-typescript's factory pattern). */
export function createActivities(deps: ActivityDeps) {
  return {
    async syncRun(input: SyncRunInput): Promise<void> {
      await syncRun(deps.db, input);
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
