import { createHash } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import { idempotencyKeys } from '../db/schema/index.js';
import { sha256 } from './auth/crypto.js';
import type { AppEnv } from './deps.js';
import { ApiError, problem } from './errors.js';

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Idempotency-Key on writes (as in the IETF draft and Stripe's API): the first request with a key
 * runs and its answer is kept for 24 hours; a retry with the same key and body gets that answer
 * (Idempotent-Replayed: true), one with another body a 422, one while the first still runs a 409.
 * A 5xx is not kept, so a retry after a failure runs again; handlers below are idempotent too.
 */
export function idempotency(
  /** How long a request holds its key; one that has not finished by then is taken to have died. */
  holdMs = 30_000,
): MiddlewareHandler<AppEnv> {
  return async function idempotency(c, next) {
    const key = c.req.header('idempotency-key');
    if (!key || c.req.method !== 'POST') return next();
    if (!KEY.test(key)) return problem(c, new ApiError('invalid-request', 'Idempotency-Key: 1 to 255 visible ASCII characters', { errors: [{ path: 'header.idempotency-key', message: 'invalid' }] }));
    const principal = c.get('principal');
    const owner = principal ? `${principal.kind}:${principal.id}` : 'anonymous';
    const { db } = c.get('deps');
    // Hashed as bytes: reading a binary body (an inspection photo) as text would corrupt it for the handler.
    const requestHash = createHash('sha256').update(`${c.req.method} ${c.req.path}?${new URL(c.req.url).search}\n`).update(new Uint8Array(await c.req.arrayBuffer())).digest('hex');
    const now = new Date();
    const where = and(eq(idempotencyKeys.principal, owner), eq(idempotencyKeys.key, key));
    const hold = new Date(now.getTime() + holdMs).toISOString();
    const claimed = await db.insert(idempotencyKeys).values({ principal: owner, key, requestHash, state: 'in-flight', lockedUntil: hold, createdAt: now.toISOString() }).onConflictDoNothing().returning();
    if (!claimed.length) {
      const earlier = await db.query.idempotencyKeys.findFirst({ where });
      if (earlier && earlier.requestHash !== requestHash) {
        return problem(c, new ApiError('unprocessable', 'Idempotency-Key was already used for a different request', { errors: [{ path: 'header.idempotency-key', message: 'reused with another request' }] }));
      }
      if (earlier?.state === 'done' && earlier.status) {
        return new Response(earlier.body, { status: earlier.status, headers: { 'content-type': earlier.contentType ?? 'application/json', 'idempotent-replayed': 'true' } });
      }
      // Still in flight: wait for it, unless its hold ran out (the process that had it died).
      // Only a hold that has run out is taken over; asking again meanwhile must not extend it.
      const taken = await db.update(idempotencyKeys).set({ lockedUntil: hold }).where(and(where, eq(idempotencyKeys.state, 'in-flight'), eq(idempotencyKeys.lockedUntil, earlier?.lockedUntil ?? ''), lt(idempotencyKeys.lockedUntil, now.toISOString()))).returning();
      if (!earlier || Date.parse(earlier.lockedUntil) > now.getTime() || !taken.length) {
        return problem(c, new ApiError('conflict', 'A request with this Idempotency-Key is still being processed; retry shortly', { retryAfterSeconds: 1 }));
      }
      c.set('resumed', true);
    }
    c.set('idempotencyKey', sha256(`${owner}\n${key}`));
    try {
      await next();
    } finally {
      const res = c.res;
      if (res.status >= 500 || !res.status) {
        await db.delete(idempotencyKeys).where(where);
      } else {
        const body = await res.clone().text();
        await db.update(idempotencyKeys).set({ state: 'done', status: res.status, contentType: res.headers.get('content-type'), body }).where(where);
      }
    }
  };
}
