import { createRoute, z } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { eq } from 'drizzle-orm';
import { rateLimiter } from 'hono-rate-limiter';
import { sessions, users } from '../../db/schema/access.js';
import { randomToken, sha256, verifyPassword } from '../auth/crypto.js';
import { audit, clientIp, SESSION_COOKIE } from '../auth/middleware.js';
import { ApiError, problem } from '../errors.js';
import { router } from '../router.js';
import { body, json } from '../openapi.js';

const SESSION_HOURS = 12;
const LOCK_AFTER = 5;
const LOCK_MINUTES = 15;

const languages = ['zh-CN', 'en'] as const;
const Me = z.object({
  id: z.string(), username: z.string(), role: z.string(), memberId: z.string().nullable(), language: z.enum(languages),
  timeZone: z.string().openapi({ description: "The city's time zone (STORMDESK_TIMEZONE), in which the app shows every time" }),
}).openapi('Me');
const MeChange = z.strictObject({ language: z.enum(languages) }).openapi('MeChange');

const login = createRoute({
  method: 'post',
  path: '/auth/login',
  summary: 'Sign in; sets an httpOnly session cookie and returns the CSRF token for writes',
  request: { body: { required: true, content: { 'application/json': { schema: z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(1000) }) } } } },
  responses: { 200: json(z.object({ user: Me, csrfToken: z.string() }), 'Signed in'), 401: { description: 'Wrong username or password' }, 429: { description: 'Locked or rate-limited' } },
});
const logout = createRoute({ method: 'post', path: '/auth/logout', summary: 'Sign out (ends the session)', responses: { 204: { description: 'Signed out' } } });
const me = createRoute({ method: 'get', path: '/auth/me', summary: 'Who is signed in, in which language, and the city\'s time zone', responses: { 200: json(Me, 'The signed-in user or key') } });
const changeMe = createRoute({ method: 'patch', path: '/auth/me', summary: 'Change your own language', request: body(MeChange), responses: { 200: json(Me, 'Changed'), 403: { description: 'An API key has no language' } } });

export function authRoutes() {
  const app = router();
  // Per-IP brake on password guessing, on top of the per-account lockout.
  app.use('/auth/login', rateLimiter({
    windowMs: 60_000, limit: 10, standardHeaders: 'draft-7', keyGenerator: (c) => clientIp(c),
    handler: (c) => problem(c, new ApiError('rate-limited', 'Too many sign-in attempts from this address; wait a minute', { retryAfterSeconds: 60 })),
  }));
  return app
    .openapi(login, async (c) => {
      const { db, config } = c.get('deps');
      const { username, password } = c.req.valid('json');
      const user = await db.query.users.findFirst({ where: eq(users.username, username) });
      const now = new Date();
      if (user?.lockedUntil && Date.parse(user.lockedUntil) > now.getTime()) {
        await audit(c, undefined, '/api/auth/login', 429, { username, refused: 'locked' });
        // The same answer as a wrong password, so a lockout does not tell which usernames exist.
        throw new ApiError('unauthenticated', 'Wrong username or password, or the account is locked for a while after repeated failures');
      }
      const ok = user && !user.disabled && (await verifyPassword(password, user.passwordHash));
      if (!ok || !user) {
        if (user) {
          const failures = user.failedLogins + 1;
          await db.update(users).set({ failedLogins: failures, lockedUntil: failures >= LOCK_AFTER ? new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString() : null }).where(eq(users.id, user.id));
        }
        await audit(c, undefined, '/api/auth/login', 401, { username });
        throw new ApiError('unauthenticated', 'Wrong username or password, or the account is locked for a while after repeated failures');
      }
      await db.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, user.id));
      const token = randomToken();
      const csrfToken = randomToken(24);
      await db.insert(sessions).values({ tokenHash: sha256(token), userId: user.id, csrfToken, createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString(), ip: clientIp(c) });
      setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/', secure: config.publicUrl.startsWith('https:'), maxAge: SESSION_HOURS * 3600 });
      await audit(c, { kind: 'user', id: user.id, username: user.username, role: user.role, memberId: user.memberId, csrfToken }, '/api/auth/login', 200);
      return c.json({ user: { id: user.id, username: user.username, role: user.role, memberId: user.memberId, language: user.language, timeZone: config.timeZone }, csrfToken }, 200);
    })
    .openapi(logout, async (c) => {
      const token = getCookie(c, SESSION_COOKIE);
      if (token) await c.get('deps').db.delete(sessions).where(eq(sessions.tokenHash, sha256(token)));
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    })
    .openapi(me, async (c) => {
      const principal = c.get('principal');
      if (!principal) throw new ApiError('unauthenticated', 'Not signed in');
      const { timeZone } = c.get('deps').config;
      if (principal.kind === 'key') return c.json({ id: principal.id, username: `key:${principal.name}`, role: 'integration', memberId: null, language: 'en' as const, timeZone }, 200);
      const user = await c.get('deps').db.query.users.findFirst({ where: eq(users.id, principal.id) });
      if (!user) throw new ApiError('unauthenticated', 'Not signed in');
      return c.json({ id: user.id, username: user.username, role: user.role, memberId: user.memberId, language: user.language, timeZone }, 200);
    })
    .openapi(changeMe, async (c) => {
      const principal = c.get('principal');
      if (principal?.kind !== 'user') throw new ApiError('forbidden', 'Only a signed-in person has a language to change');
      const { db, config } = c.get('deps');
      await db.update(users).set({ language: c.req.valid('json').language }).where(eq(users.id, principal.id));
      const user = await db.query.users.findFirst({ where: eq(users.id, principal.id) });
      if (!user) throw new ApiError('unauthenticated', 'Not signed in');
      return c.json({ id: user.id, username: user.username, role: user.role, memberId: user.memberId, language: user.language, timeZone: config.timeZone }, 200);
    });
}
