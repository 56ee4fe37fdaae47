import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

/** Database look-ups and writes: quick, retried until they work (the database comes back). */
export const store = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 ms', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/**
 * Anything that messages a person: a bounded number of tries (the outbox row already prevents
 * duplicates), after which the run records the failure and escalates instead of retrying forever.
 */
export const messaging = proxyActivities<Activities>({
  // A fan-out at a long code's 1 text a second takes minutes; a dead worker is caught by the heartbeat.
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '15 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 8 },
});

/**
 * Quick read-only look-ups on a step's critical path (who to page): run inside the workflow task
 * by the worker that holds it, with no round trip through the server's task queue.
 */
export const lookup = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 ms', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});
