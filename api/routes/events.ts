import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { router } from '../router.js';
import { listRuns } from '../runs-service.js';
import { liveRuns } from '../live-runs.js';

const KEEPALIVE_MS = 15_000;

const events = createRoute({
  method: 'get',
  path: '/events',
  summary: 'Server-sent events for the live board: a `snapshot` of the open runs, then a `run` event for every run that changes',
  responses: { 200: { description: 'An event stream', content: { 'text/event-stream': { schema: z.string() } } } },
});

export function eventRoutes() {
  // Created once per app, so every console in this process shares one poller.
  let feed: ReturnType<typeof liveRuns> | undefined;
  return router().openapi(events, (c) => {
    const deps = c.get('deps');
    feed ??= liveRuns(deps.db, deps.logger);
    const shared = feed;
    return streamSSE(c, async (stream) => {
      let seq = 0;
      // Subscribe before the snapshot so a change between the two is sent, never lost.
      const unsubscribe = shared.subscribe((changed) => {
        for (const run of changed) void stream.writeSSE({ event: 'run', id: String((seq += 1)), data: JSON.stringify(run) });
      });
      stream.onAbort(unsubscribe);
      try {
        await stream.writeSSE({ event: 'snapshot', id: String((seq += 1)), data: JSON.stringify({ runs: await listRuns(deps, { status: 'open', limit: 500 }) }) });
        // Proxies drop a quiet connection; a comment line every so often keeps it open.
        while (!stream.aborted && !stream.closed) {
          await stream.sleep(KEEPALIVE_MS);
          if (!stream.aborted) await stream.write(': keepalive\n\n');
        }
      } finally {
        unsubscribe();
      }
    }, async (error) => {
      deps.logger.warn({ err: error }, 'event stream ended with an error');
    });
  });
}
