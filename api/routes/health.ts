import { createRoute, z } from '@hono/zod-openapi';
import { router } from '../router.js';

const Health = z.looseObject({ status: z.enum(['ok', 'degraded']), temporal: z.enum(['ok', 'down']), db: z.enum(['ok', 'down']) }).openapi('Health');

const route = createRoute({
  method: 'get',
  path: '/healthz',
  summary: 'Liveness of the API and reachability of Temporal and the database',
  responses: {
    200: { description: 'Temporal and the database answer', content: { 'application/json': { schema: Health } } },
    503: { description: 'Temporal or the database is down', content: { 'application/json': { schema: Health } } },
  },
});

async function probe(check: () => Promise<unknown>, timeoutMs: number): Promise<'ok' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'down'>((resolve) => { timer = setTimeout(() => resolve('down'), timeoutMs); });
  try {
    return await Promise.race([check().then(() => 'ok' as const, () => 'down' as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes() {
  return router().openapi(route, async (c) => {
    const { temporalConnection, sqlite } = c.get('deps');
    const [t, d] = await Promise.all([
      probe(() => temporalConnection.healthService.check({}), 2_000),
      probe(() => sqlite.execute('SELECT 1'), 2_000),
    ]);
    const body = { status: t === 'ok' && d === 'ok' ? ('ok' as const) : ('degraded' as const), temporal: t, db: d };
    if (body.status === 'ok') return c.json(body, 200);
    const down = [t === 'down' ? 'Temporal' : '', d === 'down' ? 'the database' : ''].filter(Boolean).join(' and ');
    c.header('retry-after', '5');
    c.header('content-type', 'application/problem+json');
    return c.json({ type: 'https://stormdesk.dev/problems/unavailable', title: 'A service Stormdesk depends on is unavailable', detail: `${down} did not answer`, ...body }, 503);
  });
}
