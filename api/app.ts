import type { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { ApiError, problem, toProblem } from './errors.js';
import { router } from './router.js';
import type { AppDeps, AppEnv } from './deps.js';
import { healthRoutes } from './routes/health.js';
import { secureHeaders } from 'hono/secure-headers';
import { rateLimiter } from 'hono-rate-limiter';
import { accessControl, clientIp } from './auth/middleware.js';
import { sha256 } from './auth/crypto.js';
import { idempotency } from './idempotency.js';
import { authRoutes } from './routes/auth.js';
import { adminRoutes } from './routes/admin.js';
import { crewRoutes } from './routes/crews.js';
import { zoneRoutes } from './routes/zones.js';
import { feedRoutes } from './routes/feeds.js';
import { sensorRoutes } from './routes/sensors.js';
import { taskRoutes } from './routes/tasks.js';
import { twilioRoutes } from './routes/twilio.js';
import { playbookRoutes } from './routes/playbooks.js';
import { runRoutes } from './routes/runs.js';
import { eventRoutes } from './routes/events.js';
import { drillRoutes } from './routes/drills.js';
import { campaignRoutes } from './routes/campaigns.js';
import { inspectionRoutes } from './routes/inspections.js';

/** The whole HTTP API; `deps` are the only way routes reach the database and Temporal. */
export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const app = router();
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    c.set('actor', 'anonymous');
    const started = performance.now();
    await next();
    deps.logger.debug({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) }, 'request');
  });
  app.use('*', secureHeaders({
    // The web app loads only its own scripts and styles; the API answers JSON.
    contentSecurityPolicy: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'], connectSrc: ["'self'"], objectSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'self'"] },
    strictTransportSecurity: deps.config.publicUrl.startsWith('https:') ? 'max-age=31536000' : false,
  }));
  app.use('/api/*', rateLimiter<AppEnv>({
    windowMs: 60_000,
    // API keys (integrations) get their own, larger budget; everyone else is counted by address.
    limit: (c) => (c.req.header('authorization') ? deps.config.rateLimit.perKey : deps.config.rateLimit.perIp),
    keyGenerator: (c) => { const auth = c.req.header('authorization'); return auth ? `key:${sha256(auth)}` : `ip:${clientIp(c)}`; },
    standardHeaders: 'draft-7',
    handler: (c) => problem(c, new ApiError('rate-limited', 'Too many requests; slow down', { retryAfterSeconds: 60 })),
  }));
  app.use('*', accessControl());
  const jsonLimit = bodyLimit({
    maxSize: deps.config.maxBodyBytes,
    onError: (c) => problem(c, new ApiError('payload-too-large', `The body exceeds ${deps.config.maxBodyBytes} bytes`)),
  });
  // Inspection photos from phones are larger than any JSON body; they get their own limit.
  const photoLimit = bodyLimit({
    maxSize: deps.config.maxPhotoBytes + 64 * 1024,
    onError: (c) => problem(c, new ApiError('payload-too-large', `A photo may be at most ${deps.config.maxPhotoBytes} bytes`)),
  });
  app.use('/api/*', (c, next) => (c.req.method === 'POST' && /^\/api\/inspections\/[^/]+\/photos$/.test(c.req.path) ? photoLimit(c, next) : jsonLimit(c, next)));
  app.use('/api/*', idempotency(deps.config.idempotencyHoldMs));

  app.route('/', healthRoutes());
  app.route('/api', authRoutes());
  app.route('/api', adminRoutes());
  app.route('/api', runRoutes());
  app.route('/api', taskRoutes());
  app.route('/api', crewRoutes());
  app.route('/api', zoneRoutes());
  app.route('/api', feedRoutes());
  app.route('/api', sensorRoutes());
  app.route('/api', twilioRoutes());
  app.route('/api', playbookRoutes());
  app.route('/api', eventRoutes());
  app.route('/api', drillRoutes());
  app.route('/api', campaignRoutes());
  app.route('/api', inspectionRoutes());

  app.openAPIRegistry.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: 'sd_session' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', { type: 'http', scheme: 'bearer' });
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    security: [{ session: [] }, { apiKey: [] }],
    info: { title: 'Stormdesk API', version: '0.1.0', description: 'Emergency-response and early-warning workflows for a city duty office.' },
  });
  app.notFound((c) => problem(c, new ApiError('not-found', `No route for ${c.req.method} ${c.req.path}`)));
  app.onError((error, c) => toProblem(c, error, deps.logger));
  return app;
}
