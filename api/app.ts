import type { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { ApiError, problem, toProblem } from './errors.js';
import { router } from './router.js';
import type { AppDeps, AppEnv } from './deps.js';
import { healthRoutes } from './routes/health.js';
import { playbookRoutes } from './routes/playbooks.js';
import { runRoutes } from './routes/runs.js';

/** The whole HTTP API; `deps` are the only way routes reach the database and Temporal. */
export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const app = router();
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    // Replaced by the authenticated person or key once access control lands.
    c.set('actor', 'anonymous');
    const started = performance.now();
    await next();
    deps.logger.debug({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) }, 'request');
  });
  app.use('/api/*', bodyLimit({
    maxSize: deps.config.maxBodyBytes,
    onError: (c) => problem(c, new ApiError('payload-too-large', `The body exceeds ${deps.config.maxBodyBytes} bytes`)),
  }));

  app.route('/', healthRoutes());
  app.route('/api', runRoutes());
  app.route('/api', playbookRoutes());

  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Stormdesk API', version: '0.1.0', description: 'Emergency-response and early-warning workflows for a city duty office.' },
  });
  app.notFound((c) => problem(c, new ApiError('not-found', `No route for ${c.req.method} ${c.req.path}`)));
  app.onError((error, c) => toProblem(c, error, deps.logger));
  return app;
}
