import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { http, HttpResponse } from 'msw';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { members, messages } from '../../db/schema/index.js';
import { loadPlaybooks } from '../../playbooks/loader.js';
import { addCrew } from '../../test/fixtures.js';
import { eventually } from '../../test/harness.js';
import { buildWebIfStale, cityTime, pushShowsNotification, signIn, withServedStack } from './browser.js';
import { mswServer } from '../../test/msw.js';

/** Debian's chromium package; the test never downloads a browser. */
const CHROMIUM = '/usr/bin/chromium';
const screens = resolve('test-artifacts/screens');
const playbooks = loadPlaybooks(resolve('web/e2e/playbooks'));

if (!existsSync(CHROMIUM)) console.warn(`web/e2e: skipped, ${CHROMIUM} is missing (apt-get install -y chromium)`);

let browser: Browser | undefined;
beforeAll(async () => {
  if (!existsSync(CHROMIUM)) return;
  // Only the push service is a third party here; the browser and the API talk for real.
  mswServer.listen({ onUnhandledRequest: 'bypass' });
  buildWebIfStale();
  mkdirSync(screens, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});
afterAll(async () => {
  mswServer.close();
  await browser?.close();
});

const shot = (page: Page, name: string) => page.screenshot({ path: join(screens, `${name}.png`), fullPage: true });

describe.skipIf(!existsSync(CHROMIUM))('the web app in a real browser', () => {
  it('an officer launches a run and sees it live, the crew acknowledges from a phone, the officer stands it down and opens the report', async () => {
    if (!browser) throw new Error('no browser');
    const chrome = browser;
    await withServedStack(playbooks, async (stack, url) => {
      const db = stack.database.db;
      await addCrew(db, { id: 'e2e-drain', specialty: 'e2e-drainage', zones: ['renhe-g1'] });
      // The crew user's member joins the crew the playbook dispatches.
      await db.update(members).set({ crewId: 'e2e-drain' }).where(eq(members.id, 'crew-drain-shahe-m1'));
      // Their phone is subscribed to push, so the task also goes out as a push message.
      mswServer.use(http.post('https://push.example.test/send/:id', () => new HttpResponse(null, { status: 201 })));
      expect((await stack.callAs('crew', 'POST', '/api/push/subscriptions', {
        endpoint: 'https://push.example.test/send/phone-1',
        keys: { p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM', auth: 'tBHItJI5svbpez7KI4CCXg' },
      })).status).toBe(201);

      const officerContext = await chrome.newContext({ locale: 'zh-CN', timezoneId: 'America/New_York', viewport: { width: 1400, height: 900 } });
      const officer = await signIn(officerContext, url, 'officer');
      await officer.getByRole('heading', { name: /运行中/ }).waitFor();
      await officer.getByText('实时', { exact: true }).waitFor();
      await shot(officer, '01-board');

      // The page must not reload: the run arrives over the event stream.
      await officer.evaluate(() => { (window as unknown as { notReloaded: boolean }).notReloaded = true; });
      const launch = officer.locator('details.launch');
      await launch.locator('summary').click();
      await launch.getByLabel('预案').selectOption('e2e-waterlogging');
      await launch.getByLabel('区域').selectOption('renhe-g1');
      await launch.getByLabel('级别').selectOption('III');
      await launch.getByLabel('原因').fill('人民路下穿积水 40cm');
      await launch.getByRole('button', { name: '启动' }).click();
      const runId = (await launch.getByRole('status').locator('a').textContent({ timeout: 10_000 })) ?? '';
      expect(runId).toMatch(/^run_/);
      const card = officer.locator(`a[data-run-id="${runId}"]`);
      await card.waitFor({ timeout: 10_000 });
      expect(await officer.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
      const run = await stack.call('GET', `/api/runs/${runId}`);
      await expect.poll(() => card.textContent()).toContain(cityTime(run.body.startedAt));
      await officer.locator('svg path.level-fill-III').first().waitFor();
      await shot(officer, '02-board-live-run');

      await card.click();
      const taskRow = officer.locator('tr', { hasText: 'e2e-drain' });
      await taskRow.waitFor({ timeout: 15_000 });
      await expect.poll(() => taskRow.locator('[data-status]').getAttribute('data-status')).toBe('assigned');
      expect(await taskRow.textContent()).toContain('已派单');
      // Meanwhile the officer ticks the traffic-control checklist.
      await officer.getByRole('button', { name: '☐ 封闭下穿道路' }).click();
      await officer.getByText('☑ 封闭下穿道路').waitFor({ timeout: 10_000 });
      // Escalating asks first, with a reason; the level history and the header follow.
      await officer.locator('.actions').getByLabel('级别').selectOption('II');
      await officer.getByRole('button', { name: '升级 → II级 橙色' }).click();
      await officer.getByRole('dialog').getByLabel('原因').fill('水深超过 50cm');
      await officer.getByRole('dialog').getByRole('button', { name: '确认' }).click();
      await officer.locator('.run-head.level-II').waitFor({ timeout: 10_000 });
      await officer.getByText(/II级 橙色 · officer · 水深超过 50cm/).waitFor();
      await officer.locator('.actions').getByLabel('备注').fill('已通知交警');
      await officer.getByRole('button', { name: '添加备注' }).click();
      await officer.getByText('officer: 已通知交警').first().waitFor({ timeout: 10_000 });
      await shot(officer, '03-run');

      const phone = await chrome.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      const crew = await signIn(phone, url, 'crew-member');
      const task = crew.locator('article.task-card');
      await task.waitFor({ timeout: 10_000 });
      await shot(crew, '04-crew-tasks');
      await task.getByRole('button', { name: '确认收到' }).click();
      await expect.poll(() => task.locator('.task-status').textContent(), { timeout: 10_000 }).toContain('已确认');
      await shot(crew, '05-crew-acknowledged');
      const registered = await crew.evaluate(() => navigator.serviceWorker.ready.then((r) => r.active?.scriptURL ?? ''));
      expect(registered).toBe(`${url}/sw.js`);
      // The push message the worker sent, handed to the phone's service worker, shows the task with an Acknowledge button.
      const pushed = await eventually(async () => (await db.select().from(messages).where(and(eq(messages.memberId, 'crew-drain-shahe-m1'), eq(messages.channel, 'push'))))[0], 10_000, 'the push message');
      const notification = await pushShowsNotification(phone, crew, url, JSON.parse(pushed.body) as Record<string, unknown>);
      expect(notification.actions).toEqual(['ack', 'open']);
      expect(notification.url).toMatch(new RegExp(`^${url}/t/[A-Za-z0-9_.-]+$`));
      const manifest = await crew.request.get(`${url}/manifest.webmanifest`);
      expect(manifest.headers()['content-type']).toContain('application/manifest+json');
      expect(await manifest.json()).toMatchObject({ short_name: 'Stormdesk', display: 'standalone' });

      // The officer's run page follows the acknowledgement live.
      await expect.poll(() => taskRow.locator('[data-status]').getAttribute('data-status'), { timeout: 10_000 }).toBe('acknowledged');
      await task.getByRole('button', { name: '已完成' }).click();
      await expect.poll(() => taskRow.locator('[data-status]').getAttribute('data-status'), { timeout: 10_000 }).toBe('awaiting-verification');
      await taskRow.getByRole('button', { name: /^核实完成/ }).click();
      await expect.poll(() => taskRow.locator('[data-status]').getAttribute('data-status'), { timeout: 10_000 }).toBe('verified');

      // The other crew member opens the signed link from their SMS, without signing in.
      const sms = await eventually(async () => (await db.select().from(messages).where(eq(messages.memberId, 'e2e-drain-lead'))).find((m) => m.channel === 'sms'), 10_000, 'the SMS to the lead');
      const token = /\/t\/([A-Za-z0-9_.-]+)/.exec(sms.body)?.[1];
      expect(token).toBeTruthy();
      const linkContext = await chrome.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true });
      const link = await linkContext.newPage();
      await link.goto(`${url}/t/${token}`);
      await link.locator('article.task-card').waitFor();
      await shot(link, '06-signed-link');

      await officer.getByRole('button', { name: '解除响应' }).click();
      const dialog = officer.getByRole('dialog');
      await dialog.getByLabel('原因').fill('积水已排除');
      await dialog.getByRole('button', { name: '确认' }).click();
      await expect.poll(() => officer.locator('.run-head [data-status]').getAttribute('data-status'), { timeout: 15_000 }).toBe('closed');
      expect(await officer.locator('.run-head').textContent()).toContain('已结束');
      await shot(officer, '07-run-stood-down');
      const [report] = await Promise.all([officerContext.waitForEvent('page'), officer.getByRole('link', { name: '报告' }).click()]);
      await report.waitForLoadState();
      await expect.poll(() => report.textContent('body')).toContain('积水已排除');
      await shot(report, '08-report');
      await officer.goto(`${url}/#/board`);
      await officer.getByText('实时', { exact: true }).waitFor();
      expect(await officer.locator(`a[data-run-id="${runId}"]`).count()).toBe(0);
    });
  }, 180_000);

  it('speaks English when asked, and shows every console page', async () => {
    if (!browser) throw new Error('no browser');
    const chrome = browser;
    await withServedStack(playbooks, async (stack, url) => {
      const now = Date.now();
      const readings = Array.from({ length: 12 }, (_, i) => ({ sensorId: 'rain-renhe', time: new Date(now - (12 - i) * 300_000).toISOString(), metric: 'rainfall', value: [0.2, 0.5, 1.1, 2.4, 3.0, 2.2, 1.8, 1.2, 0.6, 0.4, 0.3, 0.1][i] ?? 0, unit: 'mm' }));
      expect((await stack.call('POST', '/api/sensors/readings', { readings })).status).toBe(202);

      const context = await chrome.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } });
      const admin = await signIn(context, url, 'admin');
      await admin.getByLabel('语言').selectOption('en');
      await admin.getByRole('link', { name: 'Board' }).waitFor();
      expect((await stack.callAs('admin', 'GET', '/api/auth/me')).body.language).toBe('en');
      await admin.reload();
      await admin.getByRole('link', { name: 'Board' }).waitFor();
      // The first Tab offers to skip the navigation, for keyboard users.
      await admin.keyboard.press('Tab');
      expect(await admin.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');

      await admin.getByRole('link', { name: 'Drills', exact: true }).click();
      await admin.getByRole('heading', { name: /Drills/ }).waitFor();
      await shot(admin, '10-drills');
      const pages: [string, string][] = [
        ['triggers', 'Trigger log'], ['sensors', 'Sensors'], ['zones', 'Zones & facilities'], ['crews', 'Crews & rosters'],
        ['feeds', 'Feeds'], ['playbooks', 'Playbooks'], ['outbox', 'Outbox'], ['users', 'Users & API keys'], ['audit', 'Audit log'],
      ];
      for (const [id, caption] of pages) {
        await admin.getByRole('link', { name: caption, exact: true }).click();
        await admin.locator('table caption').first().waitFor();
        expect(await admin.locator('table caption').first().textContent()).toBe(caption);
        if (id === 'crews') {
          // A shift typed in the city's time (08:00 in Shanghai) is stored as the instant it means.
          const shift = admin.locator('details').filter({ has: admin.locator('summary', { hasText: '+ Rosters' }) });
          await shift.locator('summary').click();
          await shift.locator('select[name=crewId]').selectOption('crew-drain-shahe');
          await shift.locator('input[name=startsAt]').fill('2026-07-01T08:00');
          await shift.locator('input[name=endsAt]').fill('2026-07-01T20:00');
          await shift.getByRole('button', { name: 'Save' }).click();
          await shift.getByRole('status').waitFor();
          const { shifts } = (await stack.call('GET', '/api/rosters')).body as { shifts: { crewId: string; startsAt: string; endsAt: string }[] };
          expect(shifts).toContainEqual(expect.objectContaining({ crewId: 'crew-drain-shahe', startsAt: '2026-07-01T00:00:00.000Z', endsAt: '2026-07-01T12:00:00.000Z' }));
          // A refusal shows the API's words, which name the field.
          const member = admin.locator('details').filter({ has: admin.locator('summary', { hasText: '+ Members' }) });
          await member.locator('summary').click();
          await member.locator('input[name=name]').fill('Li Lei');
          await member.locator('input[name=phone]').fill('12345');
          await member.getByRole('button', { name: 'Save' }).click();
          expect(await member.getByRole('alert').textContent()).toContain('phone');
        }
        if (id === 'sensors') {
          await admin.getByRole('button', { name: '人和雨量站' }).click();
          await admin.locator('svg path.chart-line').waitFor();
        }
        await shot(admin, `10-${id}`);
      }
    });
  }, 120_000);
});
