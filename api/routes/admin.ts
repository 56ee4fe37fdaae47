import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, gte, lte, type SQL } from 'drizzle-orm';
import { apiKeys, auditLog, roles, scopes, users } from '../../db/schema/access.js';
import { members } from '../../db/schema/crews.js';
import { hashPassword } from '../auth/crypto.js';
import { createApiKey } from '../auth/keys.js';
import { ApiError } from '../errors.js';
import { router } from '../router.js';
import { json, body } from '../openapi.js';
import { IdParam } from '../schemas.js';


const User = z.object({ id: z.string(), username: z.string(), role: z.enum(roles), memberId: z.string().nullable(), language: z.string(), disabled: z.boolean(), createdAt: z.string() }).openapi('User');
const NewUser = z.strictObject({
  username: z.string().regex(/^[a-zA-Z0-9._-]{3,64}$/, 'must be 3-64 letters, digits, dots, dashes or underscores'),
  password: z.string().min(12, 'must be at least 12 characters').max(200),
  role: z.enum(roles),
  memberId: z.string().optional(),
  language: z.enum(['zh-CN', 'en']).default('zh-CN'),
}).openapi('NewUser');
const UserChange = z.strictObject({ role: z.enum(roles).optional(), disabled: z.boolean().optional(), password: z.string().min(12).max(200).optional(), language: z.enum(['zh-CN', 'en']).optional() });
const NewKey = z.strictObject({ name: z.string().trim().min(1).max(100), scopes: z.array(z.enum(scopes)).min(1) }).openapi('NewKey');
const Key = z.object({ id: z.string(), name: z.string(), prefix: z.string(), scopes: z.array(z.string()), createdBy: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable() }).openapi('ApiKey');
const AuditQuery = z.strictObject({ actor: z.string().optional(), action: z.string().optional(), since: z.iso.datetime().optional(), until: z.iso.datetime().optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) });

const publicUser = (u: typeof users.$inferSelect) => ({ id: u.id, username: u.username, role: u.role, memberId: u.memberId, language: u.language, disabled: u.disabled, createdAt: u.createdAt });

export function adminRoutes() {
  return router()
    .openapi(createRoute({ method: 'get', path: '/users', summary: 'People who can sign in', responses: { 200: json(z.object({ users: z.array(User) }), 'Users') } }), async (c) => {
      const rows = await c.get('deps').db.select().from(users).orderBy(users.username);
      return c.json({ users: rows.map(publicUser) }, 200);
    })
    .openapi(createRoute({ method: 'post', path: '/users', summary: 'Add a person', request: body(NewUser), responses: { 201: json(User, 'Created'), 409: { description: 'Username taken' }, 422: { description: 'Unknown member' } } }), async (c) => {
      const { db } = c.get('deps');
      const input = c.req.valid('json');
      if (input.role === 'crew' && !input.memberId) throw new ApiError('unprocessable', 'memberId: a crew user must be linked to a member', { errors: [{ path: 'body.memberId', message: 'required for role crew' }] });
      if (input.memberId && !(await db.query.members.findFirst({ where: eq(members.id, input.memberId) }))) {
        throw new ApiError('unprocessable', `memberId: no member "${input.memberId}"`, { errors: [{ path: 'body.memberId', message: 'no such member' }] });
      }
      if (await db.query.users.findFirst({ where: eq(users.username, input.username) })) throw new ApiError('conflict', `username "${input.username}" is taken`);
      const row = { id: `user_${randomUUID()}`, username: input.username, passwordHash: await hashPassword(input.password), role: input.role, memberId: input.memberId ?? null, language: input.language, createdAt: new Date().toISOString() };
      await db.insert(users).values(row);
      return c.json(publicUser({ ...row, disabled: false, failedLogins: 0, lockedUntil: null }), 201);
    })
    .openapi(createRoute({ method: 'patch', path: '/users/{id}', summary: 'Change role, language or password, or disable', request: { params: IdParam, ...body(UserChange) }, responses: { 200: json(User, 'Updated'), 404: { description: 'No such user' } } }), async (c) => {
      const { db } = c.get('deps');
      const { id } = c.req.valid('param');
      const change = c.req.valid('json');
      const existing = await db.query.users.findFirst({ where: eq(users.id, id) });
      if (!existing) throw new ApiError('not-found', `No user "${id}"`);
      if (change.role === 'crew' && !existing.memberId) throw new ApiError('unprocessable', 'role: a crew user must be linked to a member; create a new crew user instead', { errors: [{ path: 'body.role', message: 'crew needs a member' }] });
      const losesAdmin = existing.role === 'admin' && ((change.role && change.role !== 'admin') || change.disabled === true);
      if (losesAdmin) {
        const admins = (await db.select().from(users)).filter((u) => u.role === 'admin' && !u.disabled && u.id !== id);
        if (!admins.length) throw new ApiError('conflict', 'This is the last active admin; make someone else admin first');
      }
      const { password, ...rest } = change;
      await db.update(users).set({ ...rest, ...(password ? { passwordHash: await hashPassword(password), failedLogins: 0, lockedUntil: null } : {}) }).where(eq(users.id, id));
      const updated = await db.query.users.findFirst({ where: eq(users.id, id) });
      return c.json(publicUser(updated ?? existing), 200);
    })
    .openapi(createRoute({ method: 'get', path: '/keys', summary: 'API keys (never the keys themselves)', responses: { 200: json(z.object({ keys: z.array(Key) }), 'Keys') } }), async (c) => {
      const rows = await c.get('deps').db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt));
      return c.json({ keys: rows.map(({ hash: _hash, ...k }) => k) }, 200);
    })
    .openapi(createRoute({ method: 'post', path: '/keys', summary: 'Create an API key; the key is shown once', request: body(NewKey), responses: { 201: json(Key.extend({ key: z.string() }), 'The key, shown once') } }), async (c) => {
      const input = c.req.valid('json');
      const { hash: _hash, ...created } = await createApiKey(c.get('deps').db, input.name, input.scopes, c.get('actor'));
      return c.json({ ...created, lastUsedAt: null, revokedAt: null }, 201);
    })
    .openapi(createRoute({ method: 'delete', path: '/keys/{id}', summary: 'Revoke an API key', request: { params: IdParam }, responses: { 204: { description: 'Revoked' }, 404: { description: 'No such key' } } }), async (c) => {
      const { db } = c.get('deps');
      const { id } = c.req.valid('param');
      if (!(await db.query.apiKeys.findFirst({ where: eq(apiKeys.id, id) }))) throw new ApiError('not-found', `No API key "${id}"`);
      await db.update(apiKeys).set({ revokedAt: new Date().toISOString() }).where(eq(apiKeys.id, id));
      return c.body(null, 204);
    })
    .openapi(createRoute({ method: 'get', path: '/audit', summary: 'The audit log, newest first', request: { query: AuditQuery }, responses: { 200: json(z.object({ entries: z.array(z.looseObject({ id: z.number() })) }), 'Entries') } }), async (c) => {
      const q = c.req.valid('query');
      const filters: SQL[] = [];
      if (q.actor) filters.push(eq(auditLog.actor, q.actor));
      if (q.action) filters.push(eq(auditLog.action, q.action));
      if (q.since) filters.push(gte(auditLog.at, q.since));
      if (q.until) filters.push(lte(auditLog.at, q.until));
      const entries = await c.get('deps').db.select().from(auditLog).where(filters.length ? and(...filters) : undefined).orderBy(desc(auditLog.id)).limit(q.limit);
      return c.json({ entries }, 200);
    });
}
