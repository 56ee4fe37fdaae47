import { Client, Connection } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { silentLogger, testConfig, testDatabase, withStack } from '../test/harness.js';
import { loadPlaybooks } from '../playbooks/loader.js';
import { playbooksDir } from './server.js';

describe('POST /api/runs', () => {
  it('starts a run, lists it and shows its live state', async () => {
    await withStack(async ({ call }) => {
      const res = await call('POST', '/api/runs', { playbookId: 'duty-check', zoneId: 'renhe', level: 'III', reason: 'yellow rainstorm warning' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ runId: expect.stringMatching(/^run_/), workflowId: expect.stringMatching(/incident:duty-check:renhe$/) });
      expect(res.headers.get('location')).toBe(`/api/runs/${res.body.runId}`);
      const list = await call('GET', '/api/runs?status=open&hazard=duty-check');
      expect(list.body.runs).toEqual([expect.objectContaining({ id: res.body.runId, level: 'III', status: 'open', zoneId: 'renhe' })]);
      const detail = await call('GET', `/api/runs/${res.body.runId}`);
      expect(detail.status).toBe(200);
      expect(detail.body).toMatchObject({ live: true, state: { runId: res.body.runId, phase: 'active', level: 'III' } });
      expect((await call('GET', '/api/runs?zoneId=hehua')).body.runs).toEqual([]);
    });
  });

  it('refuses a second open run for the same hazard and zone, naming the open one', async () => {
    await withStack(async ({ call }) => {
      const first = await call('POST', '/api/runs', { playbookId: 'duty-check', zoneId: 'hehua', level: 'IV', reason: 'blue' });
      const second = await call('POST', '/api/runs', { playbookId: 'duty-check', zoneId: 'hehua', level: 'II', reason: 'orange' });
      expect(second.status).toBe(409);
      expect(second.body).toMatchObject({ runId: first.body.runId, status: 409 });
    });
  });

  it('rejects bad bodies with problem+json naming each field, and writes nothing', async () => {
    await withStack(async ({ call }) => {
      const cases: [unknown, number, string][] = [
        [{ playbookId: 'duty-check', zoneId: 'renhe', level: 'V', reason: 'x' }, 400, 'body.level'],
        [{ playbookId: 'duty-check', zoneId: 'renhe', level: 'III', reason: 'x', colour: 'red' }, 400, 'body.colour'],
        [{ playbookId: 'duty-check', zoneId: 'renhe', level: 'III', reason: 42 }, 400, 'body.reason'],
        [{ playbookId: 'duty-check', zoneId: 'renhe', level: 'III' }, 400, 'body.reason'],
        [{ playbookId: 'nope', zoneId: 'renhe', level: 'III', reason: 'x' }, 422, 'body.playbookId'],
        [{ playbookId: 'duty-check', zoneId: 'atlantis', level: 'III', reason: 'x' }, 422, 'body.zoneId'],
        [{ playbookId: 'duty-check', zoneId: 'renhe', level: 'III', reason: 'x', timers: { nope: '1s' } }, 422, 'body.timers.nope'],
        [{ playbookId: 'duty-check', zoneId: 'renhe', level: 'III', reason: 'x', timers: { settle: 'soon' } }, 400, 'body.timers.settle'],
        [{ playbookId: 'duty-check', zoneId: 'renhe', level: 'III', reason: 'x', timers: { settle: '0s' } }, 400, 'body.timers.settle'],
        [{ playbookId: 'duty-check', zoneId: 'renhe', level: 'III', reason: 'x', timers: { consultWindow: '99999999999999999999d' } }, 400, 'body.timers.consultWindow'],
      ];
      for (const [body, status, path] of cases) {
        const res = await call('POST', '/api/runs', body);
        expect(res.status, JSON.stringify(body)).toBe(status);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
      }
      const malformed = await call('POST', '/api/runs', '{"playbookId":');
      expect(malformed).toMatchObject({ status: 400, body: { type: expect.stringContaining('malformed-body') } });
      const wrongType = await call('POST', '/api/runs', 'level=III', { 'content-type': 'application/x-www-form-urlencoded' });
      expect(wrongType.status).toBeGreaterThanOrEqual(400);
      expect(wrongType.status).toBeLessThan(500);
      expect((await call('GET', '/api/runs')).body.runs).toEqual([]);
    });
  });

  it('answers 413 to an oversized body and 404 to unknown routes, both as problems', async () => {
    await withStack(async ({ call }) => {
      const huge = await call('POST', '/api/runs', { playbookId: 'duty-check', zoneId: 'renhe', level: 'III', reason: 'x'.repeat(2_000_000) });
      expect(huge).toMatchObject({ status: 413, body: { type: expect.stringContaining('payload-too-large') } });
      const missing = await call('GET', '/api/nothing-here');
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toBe('application/problem+json');
      expect((await call('GET', '/api/runs/run_missing')).status).toBe(404);
      expect((await call('POST', '/api/runs/run_missing/actions', { type: 'note', text: 'x' })).status).toBe(404);
    });
  });

  it('serves an OpenAPI 3.1 document generated from the validating schemas', async () => {
    await withStack(async ({ call }) => {
      const doc = await call('GET', '/api/openapi.json');
      expect(doc.body.openapi).toBe('3.1.0');
      expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/runs', '/api/runs/{id}', '/api/runs/{id}/actions', '/healthz']));
      expect(doc.body.components.schemas.LaunchRun.required).toEqual(expect.arrayContaining(['playbookId', 'zoneId', 'level', 'reason']));
    });
  });
});

describe('GET /healthz', () => {
  it('is 200 when Temporal and the database answer', async () => {
    await withStack(async ({ call }) => {
      expect(await call('GET', '/healthz')).toMatchObject({ status: 200, body: { status: 'ok', temporal: 'ok', db: 'ok' } });
    });
  });

  it('is 503 naming Temporal when it is unreachable, and the database when it is closed', async () => {
    const database = await testDatabase({ seed: false });
    const connection = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 });
    const app = createApp({
      config: testConfig(), logger: silentLogger, db: database.db, sqlite: database.client,
      temporal: new Client({ connection }), temporalConnection: connection, searchAttributes: false, playbooks: loadPlaybooks(playbooksDir),
    });
    const down = await app.request('/healthz');
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(await down.json()).toMatchObject({ temporal: 'down', db: 'ok', detail: 'Temporal did not answer' });
    database.client.close();
    expect(await (await app.request('/healthz')).json()).toMatchObject({ temporal: 'down', db: 'down' });
    database.dispose();
  });
});

describe('the web app', () => {
  it('is served on every path outside /api, while unknown /api paths stay 404 problems', async () => {
    const { mkdtempSync, writeFileSync, mkdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { serveWebApp } = await import('./web.js');
    const dist = mkdtempSync(join(tmpdir(), 'web-dist-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Stormdesk</title><div id="root"></div>');
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1)');
    await withStack(async ({ app, callAs }) => {
      expect(serveWebApp(app, dist)).toBe(true);
      const index = await callAs('anonymous', 'GET', '/');
      expect(index.status).toBe(200);
      expect(String(index.body)).toContain('<title>Stormdesk</title>');
      expect((await callAs('anonymous', 'GET', '/runs/some-run')).body).toContain('Stormdesk');
      expect((await callAs('anonymous', 'GET', '/assets/app.js')).body).toContain('console.log');
      expect((await callAs('anonymous', 'GET', '/assets/missing.js')).status).toBe(404);
      expect((await callAs('anonymous', 'GET', '/api/nope')).status).toBe(404);
      // The catch-all must not open the API: its rules still apply.
      expect((await callAs('anonymous', 'GET', '/api/runs')).status).toBe(401);
      expect((await callAs('anonymous', 'POST', '/api/runs', {})).status).toBe(401);
    });
  });
});
