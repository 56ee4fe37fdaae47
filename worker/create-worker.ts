import { createRequire } from 'node:module';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';

const require = createRequire(import.meta.url);

export interface WorkerSetup {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** A prebuilt bundle (tests bundle once per run); otherwise the workflows are bundled now. */
  workflowBundlePath?: string;
}

/** The worker's composition root: workflows from workflows/index.ts, activities from createActivities(deps). */
export async function createWorker(setup: WorkerSetup): Promise<Worker> {
  const workflows: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> = setup.workflowBundlePath
    ? { workflowBundle: { codePath: setup.workflowBundlePath } }
    : { workflowsPath: require.resolve('../workflows/index.ts') };
  return Worker.create({
    connection: setup.connection,
    namespace: setup.namespace,
    taskQueue: setup.taskQueue,
    activities: createActivities(setup.deps),
    // Heartbeats reach the server every 3 s at most, not 0.8 × the timeout: a live send has a wide
    // margin before its 15 s heartbeat timeout, and learns soon if its attempt was given up.
    maxHeartbeatThrottleInterval: '3 seconds',
    ...workflows,
  });
}
