/** Helpers of the browser test: the served stack, signing in, push through DevTools. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { BrowserContext, Page } from 'playwright-core';
import { webDist } from '../../api/server.js';
import { serveWebApp } from '../../api/web.js';
import type { LoadResult } from '../../playbooks/loader.js';
import { eventually, testPassword, withStack, type Stack } from '../../test/harness.js';
import { freePort } from '../../test/ports.js';

/** The newest change under a folder, so a stale build is rebuilt before the browser sees it. */
const newest = (dir: string): number => readdirSync(dir, { withFileTypes: true })
  .reduce((latest, entry) => Math.max(latest, entry.isDirectory() ? newest(join(dir, entry.name)) : statSync(join(dir, entry.name)).mtimeMs), 0);

export function buildWebIfStale(): void {
  const built = existsSync(join(webDist, 'index.html')) ? statSync(join(webDist, 'index.html')).mtimeMs : 0;
  const sources = Math.max(newest(resolve('web/src')), newest(resolve('web/public')), statSync(resolve('web/index.html')).mtimeMs);
  if (sources > built) execFileSync(process.execPath, [resolve('node_modules/vite/bin/vite.js'), 'build', 'web', '--logLevel', 'warn'], { stdio: 'inherit' });
}

/** The real API and worker on a port, serving the built app, as `npm start` would. */
export async function withServedStack(playbooks: LoadResult, fn: (stack: Stack, url: string) => Promise<void>): Promise<void> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  await withStack(async (stack) => {
    serveWebApp(stack.app, webDist);
    const server = await new Promise<ServerType>((ready) => { const s = serve({ fetch: stack.app.fetch, port, hostname: '127.0.0.1' }, () => ready(s)); });
    try {
      await fn(stack, url);
    } finally {
      // Open event streams would hold close() forever.
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((done) => server.close(() => done()));
    }
  }, { playbooks, realDelivery: true, env: { STORMDESK_PUBLIC_URL: url, STORMDESK_TIMEZONE: 'Asia/Shanghai' } });
}

export async function signIn(context: BrowserContext, url: string, username: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(testPassword);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('button', { name: '退出' }).waitFor();
  return page;
}

/** What formatTime shows in the city's zone; the browser itself runs in New York. */
export const cityTime = (iso: string) => new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(new Date(iso));

/**
 * Delivers a push message to the page's service worker through the DevTools protocol (there is
 * no push service offline) and returns the notification it shows.
 */
export async function pushShowsNotification(context: BrowserContext, page: Page, url: string, payload: Record<string, unknown>): Promise<{ title: string; actions: string[]; url: string | undefined }> {
  await context.grantPermissions(['notifications'], { origin: url });
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  const cdp = await context.newCDPSession(page);
  const registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] = [];
  cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => registrations.push(...e.registrations));
  await cdp.send('ServiceWorker.enable');
  const registration = await eventually(() => registrations.find((r) => r.scopeURL === `${url}/` && !r.isDeleted), 5_000, 'the service worker registration');
  await cdp.send('ServiceWorker.deliverPushMessage', { origin: url, registrationId: registration.registrationId, data: JSON.stringify(payload) });
  return eventually(() => page.evaluate(async () => {
    const shown = await (await navigator.serviceWorker.ready).getNotifications();
    const first = shown[0] as (Notification & { actions?: { action: string }[] }) | undefined;
    return first ? { title: first.title, actions: (first.actions ?? []).map((a) => a.action), url: (first.data as { url?: string }).url } : undefined;
  }), 10_000, 'the notification');
}

