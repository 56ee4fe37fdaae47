import { ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { AppDeps } from './deps.js';
import { ApiError } from './errors.js';

/**
 * Sends an update to a workflow and says what went wrong in the API's terms: the workflow's own
 * refusal becomes 409 with its reason, a workflow that has ended 409, Temporal trouble 503.
 */
export async function updateWorkflow<R>(deps: AppDeps, send: () => Promise<R>, say: { ended: string; unavailable: string; context: Record<string, unknown> }): Promise<R> {
  try {
    return await send();
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) throw new ApiError('action-refused', error.cause.message);
    if (error instanceof WorkflowNotFoundError) throw new ApiError('action-refused', say.ended);
    if (error instanceof ServiceError) {
      deps.logger.error({ err: error, ...say.context }, 'update failed');
      throw new ApiError('unavailable', say.unavailable, { retryAfterSeconds: 5 });
    }
    throw error;
  }
}
