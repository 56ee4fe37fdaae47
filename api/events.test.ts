import { describe, expect, it } from 'vitest';
import { testPassword, withStack, type Stack } from '../test/harness.js';

interface SseEvent { event: string; data: unknown }

/** Opens the event stream as `username` and reads it event by event, as a browser's EventSource would. */
async function openStream(stack: Stack, username: string) {
  const login = await stack.app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: testPassword }) });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const controller = new AbortController();
  const res = await stack.app.request('/api/events', { headers: { cookie }, signal: controller.signal });
  const reader = res.body?.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  async function next(timeoutMs = 10_000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const lines = block.split('\n');
        const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
        const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
        if (event) return { event, data: JSON.parse(data) };
        continue;
      }
      if (!reader || Date.now() > deadline) throw new Error('no event in time');
      const chunk = await reader.read();
      if (chunk.done) throw new Error('stream ended');
      buffer += decoder.decode(chunk.value, { stream: true });
    }
  }
  /** The next `run` event about `runId` matching `check`, skipping the others. */
  async function runEvent(runId: string, check: (run: Record<string, unknown>) => boolean = () => true): Promise<Record<string, unknown>> {
    for (;;) {
      const e = await next();
      const run = e.data as Record<string, unknown>;
      if (e.event === 'run' && run.id === runId && check(run)) return run;
    }
  }
  return { status: res.status, contentType: res.headers.get('content-type'), next, runEvent, close: () => { controller.abort(); void reader?.cancel().catch(() => undefined); } };
}

describe('GET /api/events', () => {
  it('sends the open runs, then every change to a run as it happens, to each console at once', async () => {
    await withStack(async (stack) => {
      const before = await stack.call('POST', '/api/runs', { playbookId: 'duty-check', zoneId: 'hehua', level: 'IV', reason: 'blue rainstorm warning' });
      const officer = await openStream(stack, 'officer');
      const viewer = await openStream(stack, 'viewer');
      try {
        expect(officer.status).toBe(200);
        expect(officer.contentType).toMatch(/^text\/event-stream/);
        const snapshot = await officer.next();
        expect(snapshot).toMatchObject({ event: 'snapshot', data: { runs: [expect.objectContaining({ id: before.body.runId, level: 'IV', status: 'open' })] } });
        expect((await viewer.next()).event).toBe('snapshot');

        const launched = await stack.call('POST', '/api/runs', { playbookId: 'duty-check', zoneId: 'renhe', level: 'III', reason: 'yellow rainstorm warning' });
        expect(await officer.runEvent(launched.body.runId)).toMatchObject({ zoneId: 'renhe', level: 'III', status: 'open' });
        expect(await viewer.runEvent(launched.body.runId)).toMatchObject({ level: 'III' });

        expect((await stack.call('POST', `/api/runs/${launched.body.runId}/actions`, { type: 'escalate', level: 'II', reason: 'orange warning' })).status).toBe(200);
        expect(await officer.runEvent(launched.body.runId, (r) => r.level === 'II')).toMatchObject({ level: 'II' });

        expect((await stack.call('POST', `/api/runs/${launched.body.runId}/actions`, { type: 'stand-down', reason: 'warning lifted' })).status).toBe(200);
        const closed = await officer.runEvent(launched.body.runId, (r) => r.status === 'closed');
        expect(closed).not.toHaveProperty('snapshot');
      } finally {
        officer.close();
        viewer.close();
      }
    });
  });

  it('is closed to callers who are not signed in, and to crews', async () => {
    await withStack(async (stack) => {
      expect((await stack.callAs('anonymous', 'GET', '/api/events')).status).toBe(401);
      expect((await stack.callAs('crew', 'GET', '/api/events')).status).toBe(403);
    });
  });
});

describe('/api/auth/me', () => {
  it("tells the app the person's language and the city's time zone, and lets them change the language", async () => {
    await withStack(async (stack) => {
      expect((await stack.call('GET', '/api/auth/me')).body).toMatchObject({ username: 'officer', language: 'zh-CN', timeZone: 'Asia/Shanghai' });
      const changed = await stack.call('PATCH', '/api/auth/me', { language: 'en' });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ language: 'en' });
      expect((await stack.call('GET', '/api/auth/me')).body.language).toBe('en');
      const bad = await stack.call('PATCH', '/api/auth/me', { language: 'fr' });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain('body.language');
      expect((await stack.call('PATCH', '/api/auth/me', { language: 'en' }, { 'x-csrf-token': 'forged' })).status).toBe(403);
    }, { env: { STORMDESK_TIMEZONE: 'Asia/Shanghai' } });
  });
});
