import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './deps.js';

/** Serves the built web app from `dist` on every path outside /api (its own router takes it from there). */
export function serveWebApp(app: OpenAPIHono<AppEnv>, dist: string): boolean {
  if (!existsSync(`${dist}/index.html`)) return false;
  // serveStatic resolves `root` against the working directory.
  const root = relative(process.cwd(), dist) || '.';
  const files = serveStatic({ root });
  const spa = serveStatic({ root, path: 'index.html' });
  app.get('*', async (c, next) => {
    if (c.req.path.startsWith('/api/')) return next();
    // A file of the build, else the app's index.html for its client-side routes.
    const file = await files(c, async () => undefined);
    if (file) return file;
    // A missing asset is a 404; a path without an extension is one of the app's own routes.
    if (/\.[a-z0-9]+$/i.test(c.req.path)) return next();
    return spa(c, next);
  });
  return true;
}
