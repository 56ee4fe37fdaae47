import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { eq, like } from 'drizzle-orm';
import { delay, http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cronClaims, feeds } from '../db/schema/index.js';
import { withStack, type Stack } from '../test/harness.js';
import { mswServer } from '../test/msw.js';
import { launch, until } from '../test/runs.js';
import { pollFeed } from './feed-poller.js';
import { checkFeeds, startScheduler } from './scheduler.js';

beforeAll(() => mswServer.listen({ onUnhandledRequest: 'error' }));
afterEach(() => mswServer.resetHandlers());
afterAll(() => mswServer.close());

const feedUrl = 'https://devapi.qweather.example/v7/warning/now';
const feedQuery = '?location=101181401';
/** QWeather's real answer for a gale warning, re-dated to today so it is in force. */
function qweatherToday(id: string) {
  const body = JSON.parse(readFileSync(resolve('test/fixtures/feeds/qweather-v7-warning-now-gale-blue-cn.json'), 'utf8'));
  body.warning[0].id = id;
  body.warning[0].endTime = new Date(Date.now() + 86_400_000).toISOString();
  return body;
}
async function register(stack: Stack, extra: Record<string, unknown> = {}) {
  const res = await stack.call('POST', '/api/feeds', { id: 'qweather-yingshui', name: '和风天气 颍水区预警', kind: 'qweather', url: feedUrl + feedQuery, cron: '*/5 * * * *', zoneId: 'yingshui', ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}
const row = async (stack: Stack) => (await stack.deps.db.query.feeds.findFirst({ where: eq(feeds.id, 'qweather-yingshui') }))!;

describe('polled feeds', () => {
  it('ask "changed since?" with the ETag they were given, and act on a changed answer once', async () => {
    const seen: (string | null)[] = [];
    mswServer.use(http.get(feedUrl, ({ request }) => {
      seen.push(request.headers.get('if-none-match'));
      if (request.headers.get('if-none-match') === '"v1"') return new HttpResponse(null, { status: 304 });
      return HttpResponse.json(qweatherToday('poll-1'), { headers: { etag: '"v1"', 'last-modified': 'Mon, 30 Nov 2026 08:00:00 GMT' } });
    }));
    await withStack(async (stack) => {
      await register(stack);
      const first = await stack.call('POST', '/api/feeds/qweather-yingshui/poll');
      expect(first.body).toMatchObject({ result: 'changed', status: 200, outcomes: [{ action: 'awaiting-confirmation', hazard: 'strong-wind', zoneIds: ['yingshui'] }] });
      const second = await pollFeed(stack.deps, await row(stack));
      expect(second).toMatchObject({ result: 'unchanged', status: 304 });
      expect(seen).toEqual([null, '"v1"']);
      expect(await row(stack)).toMatchObject({ etag: '"v1"', lastModified: 'Mon, 30 Nov 2026 08:00:00 GMT', failures: 0, lastStatus: 304 });
      expect((await stack.call('GET', '/api/feeds')).body.feeds[0]).toMatchObject({ id: 'qweather-yingshui', health: 'ok' });
      expect((await stack.call('GET', '/api/triggers?source=qweather')).body.triggers).toHaveLength(1);
    });
  });

  it('count failures (500s, timeouts, bodies that do not parse), back off exponentially, and show the feed as failing after three', async () => {
    let answer: 'error' | 'slow' | 'garbage' | 'ok' = 'error';
    mswServer.use(http.get(feedUrl, async () => {
      if (answer === 'error') return new HttpResponse('upstream down', { status: 500 });
      if (answer === 'slow') {
        await delay(3_000);
        return HttpResponse.json(qweatherToday('slow'));
      }
      if (answer === 'garbage') return new HttpResponse('<html>captive portal</html>', { headers: { 'content-type': 'text/html' } });
      return HttpResponse.json(qweatherToday('recovered'));
    }));
    await withStack(async (stack) => {
      await register(stack);
      const t0 = new Date();
      const failed = await pollFeed(stack.deps, await row(stack), t0);
      expect(failed).toMatchObject({ result: 'failed', status: 500, error: expect.stringContaining('500') });
      expect(await pollFeed(stack.deps, await row(stack), new Date(t0.getTime() + 10_000))).toMatchObject({ result: 'backing-off' });

      answer = 'slow';
      const slow = await pollFeed(stack.deps, await row(stack), new Date(t0.getTime() + 31_000));
      expect(slow).toMatchObject({ result: 'failed', error: 'no answer within the timeout' });
      expect((await row(stack)).backoffUntil).toBe(new Date(t0.getTime() + 31_000 + 60_000).toISOString());

      answer = 'garbage';
      expect(await pollFeed(stack.deps, await row(stack), new Date(t0.getTime() + 92_000))).toMatchObject({ result: 'failed', error: expect.stringContaining('not valid JSON') });
      expect((await stack.call('GET', '/api/feeds')).body.feeds[0]).toMatchObject({ health: 'failing', failures: 3 });
      expect((await stack.call('GET', '/api/triggers?action=failed')).body.triggers).toHaveLength(3);

      answer = 'ok';
      expect((await stack.call('POST', '/api/feeds/qweather-yingshui/poll')).body).toMatchObject({ result: 'changed' });
      expect((await stack.call('GET', '/api/feeds')).body.feeds[0]).toMatchObject({ health: 'ok', failures: 0 });
    }, { env: { STORMDESK_FEED_TIMEOUT_MS: '500' } });
  });

  it('are polled once per slot however many API processes run the scheduler', async () => {
    let polls = 0;
    mswServer.use(http.get(feedUrl, () => {
      polls += 1;
      return new HttpResponse(null, { status: 304 });
    }));
    await withStack(async (stack) => {
      await register(stack, { cron: '* * * * * *' });
      const a = await startScheduler(stack.deps, { holder: 'api-a', reconcileMs: 60_000 });
      const b = await startScheduler(stack.deps, { holder: 'api-b', reconcileMs: 60_000 });
      await new Promise((r) => setTimeout(r, 4_500));
      await a.stop();
      await b.stop();
      await new Promise((r) => setTimeout(r, 300));
      const claims = await stack.deps.db.select().from(cronClaims).where(like(cronClaims.key, '%feed:qweather-yingshui:%'));
      expect(claims.length).toBeGreaterThanOrEqual(3);
      expect(polls).toBe(claims.length);
    });
  });

  it('that go silent are flagged, and escalated to the duty officer once while an orange run covers their zone', async () => {
    await withStack(async (stack) => {
      await register(stack, { silentAfterSeconds: 600 });
      await stack.deps.db.update(feeds).set({ lastOkAt: new Date(Date.now() - 3_600_000).toISOString(), lastError: 'answered 502 Bad Gateway' }).where(eq(feeds.id, 'qweather-yingshui'));
      expect(await checkFeeds(stack.deps, new Date())).toEqual([{ feedId: 'qweather-yingshui', health: 'silent', escalatedTo: [] }]);
      const runId = await launch(stack, 'heavy-rain', 'yingshui', 'II');
      expect(await checkFeeds(stack.deps, new Date())).toEqual([{ feedId: 'qweather-yingshui', health: 'silent', escalatedTo: [expect.stringContaining('yingshui')] }]);
      expect(await checkFeeds(stack.deps, new Date())).toEqual([]);
      await until(stack, runId, (v) => v.notes.some((n) => n.text.includes('is silent')), 'the feed-silence note on the run');
      expect((await stack.call('GET', '/api/triggers?source=feed:qweather')).body.triggers[0]).toMatchObject({ action: 'escalated' });
    });
  });

  it('refuse a registration with a bad cron, URL or missing zone', async () => {
    await withStack(async (stack) => {
      const bad = async (body: Record<string, unknown>) => (await stack.call('POST', '/api/feeds', { name: 'x', kind: 'cap', url: 'https://example.org/cap.xml', cron: '*/5 * * * *', ...body })).body.errors?.[0]?.path;
      expect(await bad({ cron: 'every five minutes' })).toBe('body.cron');
      expect(await bad({ url: 'file:///etc/passwd' })).toBe('body.url');
      expect(await bad({ kind: 'qweather' })).toBe('body.zoneId');
      expect(await bad({ zoneId: 'atlantis' })).toBe('body.zoneId');
    });
  });
});
