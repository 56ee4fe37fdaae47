import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { matchedRoutes } from 'hono/route';
import { getConnInfo } from '@hono/node-server/conninfo';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { apiKeys, auditLog, sessions, users, type Role, type Scope } from '../../db/schema/access.js';
import { groupCommitFor } from '../../db/group-commit.js';
import type { AppEnv } from '../deps.js';
import { ApiError } from '../errors.js';
import { sha256 } from './crypto.js';
import { policies, policyKey } from './policies.js';

export const SESSION_COOKIE = 'sd_session';

export type Principal =
  | { kind: 'user'; id: string; username: string; role: Role; memberId: string | null; csrfToken: string }
  | { kind: 'key'; id: string; name: string; scopes: Scope[] };

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function clientIp(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Paths of catch-all middleware and the web app: no API route matched, so no rule applies here. */
const unrouted = new Set(['', '*', '/*', '/api/*']);

async function authenticate(c: Context<AppEnv>): Promise<{ principal: Principal; viaCookie: boolean } | undefined> {
  const { db } = c.get('deps');
  const header = c.req.header('authorization');
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new ApiError('unauthenticated', 'Send the API key as "Authorization: Bearer <key>"');
    const key = await db.query.apiKeys.findFirst({ where: and(eq(apiKeys.hash, sha256(match[1])), isNull(apiKeys.revokedAt)) });
    if (!key) throw new ApiError('unauthenticated', 'The API key is unknown or revoked');
    return { principal: { kind: 'key', id: key.id, name: key.name, scopes: key.scopes }, viaCookie: false };
  }
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return undefined;
  const rows = await db
    .select({ user: users, csrfToken: sessions.csrfToken })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, sha256(token)), gt(sessions.expiresAt, new Date().toISOString())));
  const row = rows[0];
  if (!row || row.user.disabled) throw new ApiError('unauthenticated', 'The session has expired; sign in again');
  const { user } = row;
  return { principal: { kind: 'user', id: user.id, username: user.username, role: user.role, memberId: user.memberId, csrfToken: row.csrfToken }, viaCookie: true };
}

function allowed(principal: Principal, policy: { roles: readonly Role[]; scopes: readonly Scope[] }): boolean {
  if (principal.kind === 'user') return policy.roles.includes(principal.role);
  return principal.scopes.includes('admin') ? policy.scopes.length > 0 : principal.scopes.some((s) => policy.scopes.includes(s));
}

export const actorName = (p: Principal | undefined) => (p ? (p.kind === 'user' ? p.username : `key:${p.name}`) : 'anonymous');

/**
 * Deny by default: finds the rule of the matched route, authenticates (API key or session
 * cookie), checks role or scope and, for cookie-authenticated writes, the CSRF token; then
 * records every write (and every refusal) in the audit log.
 */
export function accessControl(): MiddlewareHandler<AppEnv> {
  const keyUseWritten = new Map<string, number>();
  return async function accessControl(c, next) {
    // The route that will answer: the first matched handler (not middleware). Catch-alls such
    // as the web app's come last, so they must not hide an API route's rule.
    const route = matchedRoutes(c).find((r) => r.method !== 'ALL' && !unrouted.has(r.path))?.path;
    if (!route) return next();
    // HEAD is answered by the GET route, under the GET rule.
    const policy = policies[policyKey(c.req.method === 'HEAD' ? 'GET' : c.req.method, route)];
    let principal: Principal | undefined;
    try {
      if (!policy) throw new ApiError('forbidden', `No access rule is defined for ${c.req.method} ${route}; refused`);
      if (!policy.public) {
        const auth = await authenticate(c);
        if (!auth) throw new ApiError('unauthenticated', 'Sign in, or send an API key as "Authorization: Bearer <key>"');
        principal = auth.principal;
        if (!allowed(principal, policy)) throw new ApiError('forbidden', `${actorName(principal)} may not ${c.req.method} ${route}`);
        if (auth.viaCookie && principal.kind === 'user' && !safeMethods.has(c.req.method) && c.req.header('x-csrf-token') !== principal.csrfToken) {
          throw new ApiError('forbidden', 'Missing or wrong X-CSRF-Token header (from the login answer)');
        }
      }
    } catch (error) {
      if (error instanceof ApiError && (error.code === 'unauthenticated' || error.code === 'forbidden')) await audit(c, principal, route, error.status, { refused: error.detail });
      throw error;
    }
    if (principal) {
      c.set('principal', principal);
      c.set('actor', actorName(principal));
    }
    await next();
    if (!safeMethods.has(c.req.method) && route !== '/api/auth/login') await audit(c, principal, route, c.res.status);
    if (principal?.kind === 'key' && Date.now() - (keyUseWritten.get(principal.id) ?? 0) > 60_000) {
      keyUseWritten.set(principal.id, Date.now());
      await c.get('deps').db.update(apiKeys).set({ lastUsedAt: new Date().toISOString() }).where(eq(apiKeys.id, principal.id));
    }
  };
}

/** Waits until the row is committed (with whatever other requests are writing theirs at the same moment). */
export async function audit(c: Context<AppEnv>, principal: Principal | undefined, action: string, status: number, details: Record<string, unknown> = {}): Promise<void> {
  const { db } = c.get('deps');
  await groupCommitFor(db)([db.insert(auditLog).values({
    at: new Date().toISOString(),
    actorType: principal ? principal.kind : 'anonymous',
    actor: actorName(principal),
    action: `${c.req.method} ${action}`,
    target: c.req.path,
    outcome: String(status),
    ip: clientIp(c),
    details,
  })]);
}
