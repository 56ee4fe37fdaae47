import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ApiError, invalidRequest, problem } from './errors.js';
import type { AppEnv } from './deps.js';

/** Creates a router whose validation failures become problem+json naming the field. */
export function router(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return undefined;
      const target = (result as { target?: string }).target ?? 'body';
      return problem(c, invalidRequest(result.error.issues, target === 'json' ? 'body' : target));
    },
  });
}


/** The body as JSON, for routes that validate it themselves (per item, or per feed format). */
export async function readJson(c: Context): Promise<unknown> {
  try {
    return JSON.parse(await c.req.text());
  } catch {
    throw new ApiError('malformed-body', 'The body is not valid JSON');
  }
}
