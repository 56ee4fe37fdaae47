import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from '../config/logger.js';

/** The closed set of problems the API reports, each with its one HTTP status. */
export const problemStatus = {
  'invalid-request': 400,
  'malformed-body': 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'action-refused': 409,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  unprocessable: 422,
  'rate-limited': 429,
  internal: 500,
  unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ProblemCode = keyof typeof problemStatus;

export interface FieldError { path: string; message: string }

/** The one error type routes throw; the app renders it as RFC 9457 problem+json. */
export class ApiError extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly extra: { errors?: FieldError[]; retryAfterSeconds?: number; [key: string]: unknown } = {},
  ) {
    super(detail);
  }
  get status(): ContentfulStatusCode {
    return problemStatus[this.code];
  }
}

const titles: Record<ProblemCode, string> = {
  'invalid-request': 'The request is not valid',
  'malformed-body': 'The request body could not be parsed',
  unauthenticated: 'Authentication is required',
  forbidden: 'Not allowed for this role or key',
  'not-found': 'Not found',
  conflict: 'Conflicts with the current state',
  'action-refused': 'The action was refused',
  'payload-too-large': 'The request body is too large',
  'unsupported-media-type': 'Unsupported media type',
  unprocessable: 'The request cannot be processed',
  'rate-limited': 'Too many requests',
  internal: 'Internal error',
  unavailable: 'A service Stormdesk depends on is unavailable',
};

export function problem(c: Context, error: ApiError): Response {
  const { errors, retryAfterSeconds, ...rest } = error.extra;
  const body = {
    type: `https://stormdesk.dev/problems/${error.code}`,
    title: titles[error.code],
    status: error.status,
    detail: error.detail,
    instance: c.req.path,
    ...(errors ? { errors } : {}),
    ...rest,
  };
  const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
  if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
  if (error.status === 401) headers['www-authenticate'] = 'Bearer realm="stormdesk"';
  return new Response(JSON.stringify(body), { status: error.status, headers });
}

/** Turns zod issues into field errors whose paths a person can find in their request. */
export function fieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string; code?: string; keys?: string[] }[], root: string): FieldError[] {
  return issues.flatMap((issue) => {
    const base = [root, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      return issue.keys.map((k) => ({ path: base ? `${base}.${k}` : k, message: 'is not a known field' }));
    }
    return [{ path: base || root, message: issue.message }];
  });
}

/** Maps anything thrown in a handler to a problem; a 5xx says nothing internal and logs the cause. */
export function toProblem(c: Context, error: unknown, logger: Logger): Response {
  if (error instanceof ApiError) return problem(c, error);
  if (error instanceof HTTPException) {
    const status = error.status;
    if (status === 413) return problem(c, new ApiError('payload-too-large', error.message || 'The request body is too large'));
    if (status === 400 && /json/i.test(error.message)) return problem(c, new ApiError('malformed-body', `The body is not valid JSON: ${error.message}`));
    if (status === 400 && /content-type|media type/i.test(error.message)) return problem(c, new ApiError('unsupported-media-type', 'Send the body as application/json'));
    if (status === 401) return problem(c, new ApiError('unauthenticated', error.message || 'Sign in or send an API key'));
    if (status < 500) return problem(c, new ApiError('invalid-request', error.message || 'The request is not valid'));
  }
  const down = dependencyDown(error);
  if (down) {
    logger.warn({ err: error, path: c.req.path, method: c.req.method }, `${down} unavailable`);
    return problem(c, new ApiError('unavailable', `${down} is not answering; nothing was done. Retry shortly.`, { retryAfterSeconds: down === 'Temporal' ? 5 : 1 }));
  }
  logger.error({ err: error, path: c.req.path, method: c.req.method }, 'unhandled error');
  return problem(c, new ApiError('internal', 'Something went wrong on our side; the error has been logged.'));
}

/** A validation failure as the one problem the API reports for it, naming the first field. */
export function invalidRequest(issues: Parameters<typeof fieldErrors>[0], root: string): ApiError {
  const errors = fieldErrors(issues, root);
  const first = errors[0];
  return new ApiError('invalid-request', first ? `${first.path}: ${first.message}` : 'invalid request', { errors });
}

/**
 * Whether an error means a service we depend on is down or busy (Temporal unreachable, the
 * database locked), so the request did nothing and may simply be retried: 503, not 500.
 */
export function dependencyDown(error: unknown): 'Temporal' | 'The database' | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (e.name === 'TransportError' || code === 14 || code === 4 || /\b(UNAVAILABLE|DEADLINE_EXCEEDED)\b/.test(e.message)) return 'Temporal';
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || /SQLITE_BUSY|database is locked/.test(e.message)) return 'The database';
  }
  return undefined;
}
