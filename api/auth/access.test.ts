import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { apiKeys, auditLog, roles, users, type Role } from '../../db/schema/access.js';
import { testDatabase, testPassword, withStack } from '../../test/harness.js';
import { bootstrapAccess } from './bootstrap.js';
import { policies } from './policies.js';
import { serveWebApp } from '../web.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const concrete = (path: string) => path.replace(/:[a-zA-Z]+/g, 'x');

describe('deny by default', () => {
  it('gives every route of the app an access rule, and each refuses whom it must (401 without credentials, 403 for the wrong role or scope)', async () => {
    await withStack(async ({ app, callAs }) => {
      // With the web app's catch-all in place, as `npm start` serves it.
      const dist = mkdtempSync(join(tmpdir(), 'web-'));
      writeFileSync(join(dist, 'index.html'), '<!doctype html>');
      serveWebApp(app, dist);
      const routes = app.routes.filter((r) => r.method !== 'ALL' && r.path !== '*' && r.path !== '/*');
      const keys = [...new Set(routes.map((r) => `${r.method} ${r.path}`))];
      const missing = keys.filter((k) => !policies[k]);
      expect(missing, 'routes without an access rule').toEqual([]);
      const readKey = await callAs('admin', 'POST', '/api/keys', { name: 'reader', scopes: ['read'] });
      for (const key of keys) {
        const policy = policies[key];
        if (!policy || policy.public) continue;
        const [method = 'GET', path = '/'] = key.split(' ');
        const body = method === 'GET' || method === 'DELETE' ? undefined : {};
        const anonymous = await callAs('anonymous', method, concrete(path), body);
        expect(anonymous.status, `${key} without credentials`).toBe(401);
        expect(anonymous.headers.get('www-authenticate')).toContain('Bearer');
        for (const role of roles.filter((r) => !policy.roles.includes(r))) {
          expect((await callAs(role, method, concrete(path), body)).status, `${key} as ${role}`).toBe(403);
        }
        if (!policy.scopes.includes('read')) {
          expect((await callAs({ key: readKey.body.key }, method, concrete(path), body)).status, `${key} with a read-only key`).toBe(403);
        }
      }
    });
  });
});

describe('sessions', () => {
  it('signs in with an httpOnly SameSite cookie, demands the CSRF token on writes, and signs out', async () => {
    await withStack(async ({ app }) => {
      const login = await app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'officer', password: testPassword }) });
      expect(login.status).toBe(200);
      const setCookie = login.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(/sd_session=[^;]+;.*HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Strict/i);
      const { csrfToken, user } = (await login.json()) as { csrfToken: string; user: { role: string } };
      expect(user.role).toBe('duty-officer');
      const cookie = setCookie.split(';')[0] ?? '';
      const note = (headers: Record<string, string>) => app.request('/api/runs', { method: 'POST', headers: { 'content-type': 'application/json', cookie, ...headers }, body: JSON.stringify({ playbookId: 'duty-check', zoneId: 'renhe', level: 'IV', reason: 'csrf' }) });
      const withoutToken = await note({});
      expect(withoutToken.status).toBe(403);
      expect(((await withoutToken.json()) as { detail: string }).detail).toContain('X-CSRF-Token');
      expect((await note({ 'x-csrf-token': csrfToken })).status).toBe(201);
      expect((await app.request('/api/auth/me', { headers: { cookie } })).status).toBe(200);
      expect((await app.request('/api/auth/logout', { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken } })).status).toBe(204);
      expect((await app.request('/api/auth/me', { headers: { cookie } })).status).toBe(401);
    });
  });

  it('locks an account after five wrong passwords, answering as for a wrong password (no hint which usernames exist), and records each failure', async () => {
    await withStack(async ({ app, database }) => {
      const attempt = (password: string) => app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'viewer', password }) });
      for (let i = 0; i < 5; i += 1) expect((await attempt('wrong password')).status).toBe(401);
      const locked = await attempt(testPassword);
      expect(locked.status).toBe(401);
      const unknown = await app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ghost', password: 'whatever' }) });
      expect(((await locked.json()) as { detail: string }).detail).toBe(((await unknown.json()) as { detail: string }).detail);
      const failures = await database.db.select().from(auditLog).where(eq(auditLog.action, 'POST /api/auth/login'));
      expect(failures.filter((f) => f.outcome === '401' && f.details.username === 'viewer')).toHaveLength(5);
      expect(failures.every((f) => !JSON.stringify(f.details).includes('wrong password'))).toBe(true);
    });
  });
});

describe('API keys', () => {
  it('are shown once, stored hashed, scoped, recorded when used, and refused once revoked', async () => {
    await withStack(async ({ callAs, database }) => {
      const created = await callAs('admin', 'POST', '/api/keys', { name: 'rain gauges', scopes: ['sensors:write', 'read'] });
      expect(created.status).toBe(201);
      const key = created.body.key as string;
      const [row] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, created.body.id));
      expect(row?.hash).not.toContain(key);
      expect(JSON.stringify((await callAs('admin', 'GET', '/api/keys')).body)).not.toContain(key);
      expect((await callAs({ key }, 'GET', '/api/runs')).status).toBe(200);
      expect((await callAs({ key }, 'POST', '/api/runs', { playbookId: 'duty-check', zoneId: 'renhe', level: 'IV', reason: 'x' })).status).toBe(403);
      const [used] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, created.body.id));
      expect(used?.lastUsedAt).not.toBeNull();
      expect((await callAs('admin', 'DELETE', `/api/keys/${created.body.id}`)).status).toBe(204);
      expect((await callAs({ key }, 'GET', '/api/runs')).status).toBe(401);
      expect((await callAs({ key: 'sdk_made_up' }, 'GET', '/api/runs')).status).toBe(401);
    });
  });

  it('need no CSRF token (bearer requests carry no ambient credentials)', async () => {
    await withStack(async ({ callAs }) => {
      const created = await callAs('admin', 'POST', '/api/keys', { name: 'city platform', scopes: ['runs:write', 'read'] });
      const res = await callAs({ key: created.body.key }, 'POST', '/api/runs', { playbookId: 'duty-check', zoneId: 'hehua', level: 'IV', reason: 'from the city platform' });
      expect(res.status).toBe(201);
      const run = await callAs('viewer', 'GET', `/api/runs/${res.body.runId}`);
      expect(run.body.startedBy).toBe('key:city platform');
    });
  });
});

describe('the audit log', () => {
  it('records who did what, when and from where, and lets an admin filter it', async () => {
    await withStack(async ({ call, callAs }) => {
      const launched = await call('POST', '/api/runs', { playbookId: 'duty-check', zoneId: 'qiyi', level: 'IV', reason: 'audit me' });
      await call('POST', `/api/runs/${launched.body.runId}/actions`, { type: 'note', text: 'checked' });
      await callAs('viewer', 'POST', `/api/runs/${launched.body.runId}/actions`, { type: 'note', text: 'not allowed' });
      const log = await callAs('admin', 'GET', '/api/audit?actor=officer');
      const actions = log.body.entries.map((e: { action: string; outcome: string }) => `${e.action} ${e.outcome}`);
      expect(actions).toEqual(expect.arrayContaining(['POST /api/runs 201', 'POST /api/runs/:id/actions 200']));
      const refused = await callAs('admin', 'GET', '/api/audit?actor=viewer');
      expect(refused.body.entries[0]).toMatchObject({ action: 'POST /api/runs/:id/actions', outcome: '403', actorType: 'user' });
      expect((await callAs('duty-officer', 'GET', '/api/audit')).status).toBe(403);
    });
  });
});

describe('people', () => {
  it('keeps at least one active admin, and a crew user always linked to a member', async () => {
    await withStack(async ({ callAs }) => {
      const me = await callAs('admin', 'GET', '/api/auth/me');
      const demote = await callAs('admin', 'PATCH', `/api/users/${me.body.id}`, { role: 'viewer' });
      expect(demote.status).toBe(409);
      expect(demote.body.detail).toContain('last active admin');
      const viewer = (await callAs('admin', 'GET', '/api/users')).body.users.find((u: { username: string }) => u.username === 'viewer');
      expect((await callAs('admin', 'PATCH', `/api/users/${viewer.id}`, { role: 'crew' })).status).toBe(422);
    });
  });
});

describe('hardening', () => {
  it('sends security headers with a content security policy', async () => {
    await withStack(async ({ callAs }) => {
      expect((await callAs('anonymous', 'HEAD', '/healthz')).status).toBe(200);
      const res = await callAs('anonymous', 'GET', '/healthz');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    });
  });
});

describe('first start', () => {
  it('creates admin from STORMDESK_ADMIN_PASSWORD, or prints a generated password once, and seeds STORMDESK_API_KEY', async () => {
    const database = await testDatabase({ seed: false });
    const printed: string[] = [];
    await bootstrapAccess(database.db, { apiKey: 'sdk_automation_key_0123456789abcdef' }, (l) => printed.push(l));
    expect(printed[0]).toMatch(/created user "admin" with password \S+/);
    await bootstrapAccess(database.db, { apiKey: 'sdk_automation_key_0123456789abcdef' }, (l) => printed.push(l));
    expect(printed).toHaveLength(2);
    const admins = await database.db.select().from(users);
    expect(admins.map((u) => [u.username, u.role as Role])).toEqual([['admin', 'admin']]);
    const keys = await database.db.select().from(apiKeys);
    expect(keys).toHaveLength(1);
    expect(keys[0]?.scopes).toEqual(['feeds:write', 'sensors:write', 'runs:write', 'admin', 'read']);
    database.dispose();
  });
});
