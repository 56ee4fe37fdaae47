import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { campaigns, findings, inspections, messages } from '../db/schema/index.js';
import { loadPlaybooks } from '../playbooks/loader.js';
import { eventually, testPassword, withStack, type Stack } from '../test/harness.js';
import { launch, state } from '../test/runs.js';
import { adoptCampaigns } from './campaigns-service.js';
import { findFacilities } from '../activities/directory.js';
import { loadChecklists } from '../config/checklists.js';
import type { runCampaign } from '../workflows/campaign.js';

type Inspection = { id: string; code: string; kind: string; facilityId: string; crewId: string; status: string; findingId: string | null; overdueAt: string | null; checklist: { id: string }[] };
type Finding = { id: string; severity: string; status: string; itemId: string; crewId: string | null; workflowId: string | null; reopened: number; verifiedBy: string | null };

const outbox = (stack: Stack, campaignId: string) => stack.database.db.select().from(messages).where(eq(messages.runId, campaignId));

async function startCampaign(stack: Stack, body: Record<string, unknown>): Promise<string> {
  const res = await stack.call('POST', '/api/campaigns', { dueIn: '1h', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.campaignId as string;
}

async function inspectionsOf(stack: Stack, campaignId: string, count: number): Promise<Inspection[]> {
  return eventually(async () => {
    const res = await stack.call('GET', `/api/inspections?campaignId=${campaignId}`);
    return res.body.inspections?.length === count ? (res.body.inspections as Inspection[]) : undefined;
  }, 15_000, `${count} inspections`);
}

const campaignStatus = (stack: Stack, campaignId: string, status: string) =>
  eventually(async () => {
    const res = await stack.call('GET', `/api/campaigns/${campaignId}`);
    return res.body.status === status ? res.body : undefined;
  }, 15_000, `campaign ${status}`);

/** A signed-in officer's headers, for requests the JSON helper cannot make (multipart uploads). */
async function officerHeaders(stack: Stack): Promise<Record<string, string>> {
  const res = await stack.app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'officer', password: testPassword }) });
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '', 'x-csrf-token': csrfToken };
}

const passAll = (inspection: Inspection, values: Record<string, number> = {}) => ({
  results: inspection.checklist.map((item) => ({ itemId: item.id, outcome: 'pass', ...(item.id in values ? { value: values[item.id] } : {}) })),
});

const pumpValues = { 'sump-level': 0.8 };

describe('inspection campaigns (城市体检)', () => {
  it('opens an inspection per facility, sends each to its crew, records results with a photo, and closes when all are in', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'stormdesk-data-'));
    await withStack(async (stack) => {
      const campaignId = await startCampaign(stack, { name: '2027年汛前检查 pre-flood-season check', facilityTypes: ['pumping-station'], zoneIds: ['zhouhe'], crewIds: ['crew-pumpops-city'] });
      const list = await inspectionsOf(stack, campaignId, 2);
      expect(list.map((i) => [i.facilityId, i.crewId, i.status])).toEqual([['pump-3', 'crew-pumpops-city', 'assigned'], ['pump-7', 'crew-pumpops-city', 'assigned']]);
      expect(list[0]?.checklist.map((c) => c.id)).toEqual(['pump-test-run', 'backup-power', 'sump-level', 'screen-clean']);
      const sent = await eventually(async () => { const rows = await outbox(stack, campaignId); return rows.length === 4 ? rows : undefined; }, 10_000, 'four messages');
      expect(sent.map((m) => m.memberId).sort()).toEqual(['crew-pumpops-city-m1', 'crew-pumpops-city-m1', 'crew-pumpops-city-m2', 'crew-pumpops-city-m2']);
      expect(sent.find((m) => m.body.includes(`体检工单${list[0]?.code}`))?.body).toContain('城市体检：2027年汛前检查');

      const [pump3, pump7] = list as [Inspection, Inspection];
      const headers = await officerHeaders(stack);
      const form = new FormData();
      form.append('photo', new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])], 'pump.jpg', { type: 'image/jpeg' }));
      const upload = await stack.app.request(`/api/inspections/${pump3.id}/photos`, { method: 'POST', headers, body: form });
      expect(upload.status).toBe(201);
      const photo = (await upload.json()) as { id: string; url: string };
      const served = await stack.app.request(photo.url, { headers });
      expect(served.headers.get('content-type')).toBe('image/jpeg');
      expect(new Uint8Array(await served.arrayBuffer())[0]).toBe(0xff);
      expect((await stack.callAs('anonymous', 'GET', photo.url)).status).toBe(401);
      // A retried upload (same Idempotency-Key) stores one photo, byte for byte.
      const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00, 0xc8]);
      const multipart = new FormData();
      multipart.append('photo', new File([png], 'grate.png', { type: 'image/png' }));
      const encoded = new Request('http://upload.test', { method: 'POST', body: multipart });
      const [bytes, contentType] = [await encoded.arrayBuffer(), encoded.headers.get('content-type') ?? ''];
      const retried = () => stack.app.request(`/api/inspections/${pump3.id}/photos`, { method: 'POST', headers: { ...headers, 'content-type': contentType, 'idempotency-key': `photo-${pump3.id}` }, body: bytes });
      const first = await retried();
      expect(first.status).toBe(201);
      const once = (await first.json()) as { id: string; url: string };
      const twice = await retried();
      expect(twice.headers.get('idempotent-replayed')).toBe('true');
      expect(((await twice.json()) as { id: string }).id).toBe(once.id);
      expect(new Uint8Array(await (await stack.app.request(once.url, { headers })).arrayBuffer())).toEqual(png);
      const fake = new FormData();
      fake.append('photo', new File(['<svg/>'], 'x.jpg', { type: 'image/jpeg' }));
      expect((await stack.app.request(`/api/inspections/${pump3.id}/photos`, { method: 'POST', headers, body: fake })).status).toBe(415);

      const body = passAll(pump3, pumpValues);
      body.results[0] = { ...body.results[0], photoIds: [photo.id] } as (typeof body.results)[number];
      const recorded = await stack.call('POST', `/api/inspections/${pump3.id}/results`, { ...body, location: { lat: 33.59, lon: 114.58 } });
      expect(recorded.status, JSON.stringify(recorded.body)).toBe(200);
      expect(recorded.body).toMatchObject({ inspectionId: pump3.id, kind: 'inspection', findings: [] });
      expect((await stack.call('POST', `/api/inspections/${pump3.id}/results`, body)).status).toBe(409);
      expect((await stack.call('GET', `/api/campaigns/${campaignId}`)).body.status).toBe('open');

      expect((await stack.call('POST', `/api/inspections/${pump7.id}/results`, passAll(pump7, pumpValues))).status).toBe(200);
      const closed = await campaignStatus(stack, campaignId, 'closed');
      expect(closed.closedAt).toBeTruthy();
      expect(closed.inspections.map((i: { facilityName: string; status: string }) => [i.facilityName, i.status])).toEqual([['3号雨水泵站', 'done'], ['7号雨水泵站', 'done']]);
      const detail = await stack.call('GET', `/api/inspections/${pump3.id}`);
      expect(detail.body).toMatchObject({ status: 'done', inspectedBy: 'officer', lat: 33.59 });
      expect(detail.body.photos.map((p: { id: string }) => p.id).sort()).toEqual([photo.id, once.id].sort());

      const indicators = await stack.callAs('viewer', 'GET', `/api/campaigns/indicators?campaignId=${campaignId}`);
      expect(indicators.body.indicators[0]).toMatchObject({ zoneId: 'zhouhe', facilityType: 'all', facilities: 2, inspected: 2, shareInspected: 1, open: 0, overdue: 0 });
      const csv = await stack.callAs('viewer', 'GET', `/api/campaigns/indicators.csv?campaignId=${campaignId}`);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      expect(String(csv.body).split('\r\n')[1]).toBe('zhouhe,周河市,all,2,2,1,0,0,0,0,0,,0');
      const report = await stack.callAs('viewer', 'GET', `/api/campaigns/report.html?year=${new Date().getFullYear()}`);
      expect(report.headers.get('content-type')).toContain('text/html');
      expect(String(report.body)).toContain('2027年汛前检查');
    }, { env: { STORMDESK_DATA_DIR: dataDir } });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('fills {year} into the name of a campaign started by hand, in its row from the first answer on', async () => {
    await withStack(async (stack) => {
      const campaignId = await startCampaign(stack, { name: '{year}年汛前检查', facilityTypes: ['pumping-station'], zoneIds: ['zhouhe'], crewIds: ['crew-pumpops-city'] });
      const [row] = await stack.database.db.select().from(campaigns).where(eq(campaigns.id, campaignId));
      expect(row?.name).toBe(`${new Date().getFullYear()}年汛前检查`);
    });
  });

  it('reminds crews before the due date and escalates overdue inspections to supervisors until they are done', async () => {
    await withStack(async (stack) => {
      const campaignId = await startCampaign(stack, { name: 'winter gas safety check', facilityTypes: ['gas-regulator'], zoneIds: ['chenzhou'], crewIds: ['crew-patrol-chenzhou'], dueIn: '3s', timers: { remindBefore: '1s', escalateEvery: '2s' } });
      const [inspection] = (await inspectionsOf(stack, campaignId, 1)) as [Inspection];
      const overdue = await eventually(async () => {
        const rows = await stack.database.db.select().from(inspections).where(eq(inspections.id, inspection.id));
        return rows[0]?.overdueAt ? rows[0] : undefined;
      }, 15_000, 'the inspection to be marked overdue');
      expect(overdue.status).toBe('assigned');
      const sent = await eventually(async () => { const rows = await outbox(stack, campaignId); return rows.some((m) => m.key.includes('|overdue|')) ? rows : undefined; }, 10_000, 'the escalation');
      const keys = sent.map((m) => m.key.replace(`${campaignId}|${inspection.id}`, 'I'));
      expect(keys.filter((k) => k.endsWith('|1') && !k.includes('overdue')).sort()).toEqual(['I|crew-patrol-chenzhou-m1|sms|1', 'I|crew-patrol-chenzhou-m2|sms|1']);
      // The reminder goes to everyone; the escalation to supervisors only.
      expect(keys.filter((k) => k.endsWith('|2') && !k.includes('overdue')).sort()).toEqual(['I|crew-patrol-chenzhou-m1|sms|2', 'I|crew-patrol-chenzhou-m2|sms|2']);
      expect(keys.filter((k) => k.includes('overdue')).every((k) => k.includes('-m1|'))).toBe(true);
      const events = (await stack.call('GET', `/api/campaigns/${campaignId}`)).body.events.map((e: { type: string }) => e.type);
      expect(events).toEqual(expect.arrayContaining(['campaign.opened', 'campaign.reminded', 'campaign.overdue']));

      expect((await stack.call('POST', `/api/inspections/${inspection.id}/results`, passAll(inspection, { 'outlet-pressure': 2.8 }))).status).toBe(200);
      await campaignStatus(stack, campaignId, 'closed');
      const indicators = await stack.call('GET', `/api/campaigns/indicators?campaignId=${campaignId}`);
      expect(indicators.body.indicators[0]).toMatchObject({ inspected: 1, overdue: 1 });
    });
  });

  it('opens findings for failed items, flags an open critical one in runs dispatching to the facility, and closes it only when a re-inspection passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stormdesk-playbooks-'));
    writeFileSync(join(dir, 'gas-check.yaml'), [
      'id: gas-check', 'title: { zh-CN: 燃气调压站处置, en: Gas regulator response }', 'hazard: gas-check', 'levels: [IV, III, II, I]', 'timers:', '  ack: 1h', '  verify: 1h', 'steps:',
      '  - id: isolate', '    kind: dispatch', '    title: { zh-CN: 关阀隔离, en: Isolate }', '    task: { zh-CN: 关阀隔离, en: Close the valves }', '    specialty: gas-repair',
      '    target: { type: facilities, facilityType: gas-regulator }', '    ackTimeout: ack', '    verify: { timeout: verify }',
    ].join('\n'));
    await withStack(async (stack) => {
      const campaignId = await startCampaign(stack, { name: 'winter gas safety check', facilityTypes: ['gas-regulator'], zoneIds: ['chenzhou'], crewIds: ['crew-patrol-chenzhou'] });
      const [inspection] = (await inspectionsOf(stack, campaignId, 1)) as [Inspection];
      const recorded = await stack.call('POST', `/api/inspections/${inspection.id}/results`, {
        results: [{ itemId: 'outlet-pressure', outcome: 'pass', value: 4.2 }, { itemId: 'no-leak', outcome: 'pass' }, { itemId: 'signage', outcome: 'fail', notes: '警示牌缺失' }],
      });
      expect(recorded.status, JSON.stringify(recorded.body)).toBe(200);
      expect(recorded.body.findings.map((f: Finding) => f.severity).sort()).toEqual(['critical', 'minor']);
      // The campaign is done when its inspections are; its findings are tracked on their own.
      await campaignStatus(stack, campaignId, 'closed');

      const critical = await eventually(async () => {
        const res = await stack.call('GET', `/api/findings?campaignId=${campaignId}&severity=critical`);
        const f = res.body.findings[0] as Finding | undefined;
        return f?.crewId && f.workflowId ? f : undefined;
      }, 15_000, 'the critical finding to be assigned');
      expect(critical).toMatchObject({ itemId: 'outlet-pressure', status: 'open', crewId: 'crew-gas-city' });
      await eventually(async () => ((await outbox(stack, campaignId)).some((m) => m.memberId.startsWith('crew-gas-city') && m.body.includes('整改')) ? true : undefined), 10_000, 'the remediation task');

      const runId = await launch(stack, 'gas-check', 'chenzhou');
      const run = await eventually(async () => { const v = await state(stack, runId); return v.timeline?.some((e) => e.type === 'facility.open-fault') ? v : undefined; }, 15_000, 'the readiness flag');
      expect(run.timeline.find((e) => e.type === 'facility.open-fault')?.message).toMatch(/^Chenzhou Road gas regulator: open critical finding "出口压力（kPa）在范围内" since \d{4}-\d{2}-\d{2}$/);
      expect(run.tasks[0]?.place?.en).toContain('open fault');

      const fixed = await stack.call('POST', `/api/findings/${critical.id}/remediated`, { note: '更换调压器皮膜' });
      expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
      const reinspect = async (attempt: number) => eventually(async () => {
        const rows = await stack.database.db.select().from(inspections).where(eq(inspections.findingId, critical.id));
        return rows.length === attempt && rows[attempt - 1]?.status === 'assigned' ? rows[attempt - 1] : undefined;
      }, 15_000, `re-inspection ${attempt}`);
      const first = await reinspect(1);
      expect(first).toMatchObject({ kind: 're-inspection', crewId: 'crew-patrol-chenzhou', facilityId: 'gas-reg-chenzhou' });
      expect(first.checklist.map((c) => c.id)).toEqual(['outlet-pressure']);
      const stillBad = await stack.call('POST', `/api/inspections/${first.id}/results`, { results: [{ itemId: 'outlet-pressure', outcome: 'pass', value: 3.9 }] });
      expect(stillBad.body).toMatchObject({ kind: 're-inspection', passed: false });
      const [reopened] = await stack.database.db.select().from(findings).where(eq(findings.id, critical.id));
      expect(reopened).toMatchObject({ status: 'open', reopened: 1, remediatedAt: null });

      expect((await stack.call('POST', `/api/findings/${critical.id}/remediated`, { note: '更换整台调压器' })).status).toBe(200);
      const second = await reinspect(2);
      const good = await stack.call('POST', `/api/inspections/${second.id}/results`, { results: [{ itemId: 'outlet-pressure', outcome: 'pass', value: 2.8 }] });
      expect(good.body).toMatchObject({ passed: true });
      const closed = (await stack.call('GET', `/api/findings/${critical.id}`)).body as Finding & { reinspections: unknown[] };
      expect(closed).toMatchObject({ status: 'closed', verifiedBy: 'officer', reinspections: [{}, {}] });
      expect((await stack.call('POST', `/api/findings/${critical.id}/remediated`, { note: 'again' })).status).toBe(409);

      const indicators = await stack.call('GET', `/api/campaigns/indicators?campaignId=${campaignId}`);
      expect(indicators.body.indicators[0]).toMatchObject({ findings: { minor: 1, major: 0, critical: 1 }, open: 1, closed: 1 });
    }, { playbooks: loadPlaybooks(dir) });
  });

  it('refuses bad campaigns and results naming the field, and keeps crews to their own inspections', async () => {
    await withStack(async (stack) => {
      const cases: [Record<string, unknown>, number, string][] = [
        [{ name: 'x', facilityTypes: ['hospital'], zoneIds: ['zhouhe'], crewIds: ['crew-pumpops-city'], dueIn: '1h' }, 400, 'body.facilityTypes.0'],
        [{ name: 'x', facilityTypes: ['pumping-station'], zoneIds: ['atlantis'], crewIds: ['crew-pumpops-city'], dueIn: '1h' }, 422, 'body.zoneIds.0'],
        [{ name: 'x', facilityTypes: ['pumping-station'], zoneIds: ['zhouhe'], crewIds: ['nobody'], dueIn: '1h' }, 422, 'body.crewIds.0'],
        [{ name: 'x', facilityTypes: ['pumping-station'], zoneIds: ['zhouhe'], crewIds: ['crew-pumpops-city'], dueIn: '1h', dueAt: '2030-01-01T00:00:00Z' }, 400, 'body.dueAt'],
        [{ name: 'x', facilityTypes: ['pumping-station'], zoneIds: ['zhouhe'], crewIds: ['crew-pumpops-city'], dueAt: '2001-01-01T00:00:00Z' }, 422, 'body.dueAt'],
        [{ name: 'x', facilityTypes: ['pumping-station'], zoneIds: ['zhouhe'], crewIds: ['crew-pumpops-city'], dueIn: 'soon' }, 400, 'body.dueIn'],
      ];
      for (const [body, status, path] of cases) {
        const res = await stack.call('POST', '/api/campaigns', body);
        expect(res.status, JSON.stringify(body)).toBe(status);
        expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
      }
      expect((await stack.callAs('crew', 'POST', '/api/campaigns', { name: 'x', facilityTypes: ['pumping-station'], zoneIds: ['zhouhe'], crewIds: ['crew-pumpops-city'], dueIn: '1h' })).status).toBe(403);
      expect((await stack.call('GET', '/api/campaigns')).body.campaigns.map((c: { id: string }) => c.id)).toEqual(['cmp_demo_pre_flood']);

      const campaignId = await startCampaign(stack, { name: 'check', facilityTypes: ['pumping-station'], zoneIds: ['shahe'], crewIds: ['crew-pumpops-city'] });
      const [pump3] = (await inspectionsOf(stack, campaignId, 1)) as [Inspection];
      const missing = await stack.call('POST', `/api/inspections/${pump3.id}/results`, { results: [{ itemId: 'pump-test-run', outcome: 'pass' }] });
      expect(missing.status).toBe(400);
      expect(missing.body.errors[0]).toMatchObject({ path: 'body.results', message: expect.stringContaining('backup-power') });
      const unmeasured = await stack.call('POST', `/api/inspections/${pump3.id}/results`, passAll(pump3));
      expect(unmeasured.body.errors[0].path).toBe('body.results.2.value');
      const ghostPhoto = passAll(pump3, pumpValues);
      ghostPhoto.results[1] = { ...ghostPhoto.results[1], photoIds: ['photo_nope'] } as (typeof ghostPhoto.results)[number];
      expect((await stack.call('POST', `/api/inspections/${pump3.id}/results`, ghostPhoto)).body.errors[0].path).toBe('body.results.1.photoIds.0');
      // The crew user belongs to the Shahe drainage crew, not the pumping-station crew.
      expect((await stack.callAs('crew', 'GET', `/api/inspections?campaignId=${campaignId}`)).body.inspections).toEqual([]);
      expect((await stack.callAs('crew', 'POST', `/api/inspections/${pump3.id}/results`, passAll(pump3, pumpValues))).status).toBe(404);
      expect((await stack.callAs('viewer', 'POST', `/api/inspections/${pump3.id}/results`, passAll(pump3, pumpValues))).status).toBe(403);
    });
  });

  it('starts a recurring campaign from a Temporal Schedule every April in the city time zone', async () => {
    await withStack(async (stack) => {
      const created = await stack.call('POST', '/api/campaigns/schedules', { id: 'pre-flood', name: '{year}年汛前检查', facilityTypes: ['pumping-station'], zoneIds: ['zhouhe'], crewIds: ['crew-pumpops-city'], at: { month: 4, day: 1 }, dueIn: '30d' });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.scheduleId).toBe(`${stack.config.temporal.workflowIdPrefix}campaign-schedule:pre-flood`);
      expect((await stack.call('POST', '/api/campaigns/schedules', { id: 'pre-flood', name: 'again', facilityTypes: ['pumping-station'], zoneIds: ['zhouhe'], crewIds: ['crew-pumpops-city'], at: { month: 4, day: 1 }, dueIn: '30d' })).status).toBe(409);
      try {
        const schedule = await stack.call('GET', '/api/campaigns/schedules/pre-flood');
        expect(schedule.body).toMatchObject({ timezone: 'Asia/Shanghai', paused: false });
        const next = new Date(schedule.body.nextActionTimes[0]);
        expect(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' }).format(next)).toBe('04-01, 08');

        await stack.client.schedule.getHandle(created.body.scheduleId).trigger();
        const campaign = await eventually(async () => (await stack.call('GET', '/api/campaigns')).body.campaigns.find((c: { scheduleId: string }) => c.scheduleId === 'pre-flood'), 15_000, 'the scheduled campaign');
        expect(campaign.name).toBe(`${new Date().getFullYear()}年汛前检查`);
        await inspectionsOf(stack, campaign.id, 2);
      } finally {
        expect((await stack.call('DELETE', '/api/campaigns/schedules/pre-flood')).status).toBe(204);
      }
      expect((await stack.call('GET', '/api/campaigns/schedules/pre-flood')).status).toBe(404);
    });
  });

  it('seeds a pre-flood check under way, which the API adopts at start-up with its open finding, flagged on the pumping station', async () => {
    await withStack(async (stack) => {
      const [seeded] = (await stack.call('GET', '/api/campaigns')).body.campaigns;
      expect(seeded).toMatchObject({ id: 'cmp_demo_pre_flood', status: 'open', inspections: 7, done: 3, openFindings: 1 });
      const [pump3] = await findFacilities(stack.database.db, { zoneId: 'zhouhe', type: 'pumping-station', limit: 10 });
      expect(pump3).toMatchObject({ id: 'pump-3', openFault: { findingId: 'fnd_demo_pump3', title: '水泵试运行正常' } });

      expect(await adoptCampaigns(stack.deps)).toEqual(['cmp_demo_pre_flood']);
      expect(await adoptCampaigns(stack.deps)).toEqual([]);
      const tracked = await eventually(async () => {
        const [row] = await stack.database.db.select().from(findings).where(eq(findings.id, 'fnd_demo_pump3'));
        return row?.workflowId ? row : undefined;
      }, 15_000, 'the open finding to be adopted');
      expect(tracked).toMatchObject({ status: 'open', crewId: 'crew-pumpops-city' });
      // The four inspections still to do go out again; the three done do not.
      const sent = await eventually(async () => { const rows = await outbox(stack, 'cmp_demo_pre_flood'); return rows.filter((m) => m.key.endsWith('|sms|1')).length >= 10 ? rows : undefined; }, 15_000, 'the adopted campaign to message its crews');
      const subjects = new Set(sent.map((m) => m.key.split('|')[1]));
      expect([...subjects].filter((x) => x?.startsWith('insp_')).sort()).toEqual(['insp_demo_pump-7', 'insp_demo_underpass-railway', 'insp_demo_waterlog-renmin-market', 'insp_demo_waterlog-wenchang']);

      const year = new Date().getFullYear();
      const rows = (await stack.call('GET', `/api/campaigns/indicators?year=${year}`)).body.indicators as { zoneId: string; facilityType: string }[];
      const row = (type: string) => rows.find((r) => r.zoneId === 'zhouhe' && r.facilityType === type);
      expect(row('pumping-station')).toMatchObject({ facilities: 2, inspected: 1, shareInspected: 0.5, findings: { critical: 1 }, open: 1 });
      expect(row('underpass')).toMatchObject({ inspected: 1, closed: 1, meanHoursToRemediate: 96 });
      const report = String((await stack.call('GET', `/api/campaigns/report.html?year=${year}`)).body);
      expect(report).toContain('3号雨水泵站');
      expect(report).toContain('pre-flood-season drainage check');

      const pump7 = (await stack.call('GET', '/api/inspections/insp_demo_pump-7')).body as Inspection;
      expect((await stack.call('POST', `/api/inspections/${pump7.id}/results`, passAll(pump7, pumpValues))).status).toBe(200);
    });
  });

  it("restarts the workflow of a closed campaign's open finding that Temporal no longer has", async () => {
    await withStack(async (stack) => {
      await stack.database.db.update(campaigns).set({ status: 'closed' }).where(eq(campaigns.id, 'cmp_demo_pre_flood'));
      expect(await adoptCampaigns(stack.deps)).toEqual(['fnd_demo_pump3']);
      expect(await adoptCampaigns(stack.deps)).toEqual([]);
      const tracked = await eventually(async () => {
        const res = await stack.call('GET', '/api/findings/fnd_demo_pump3');
        return res.body.events?.some((e: { type: string }) => e.type === 'finding.assigned') ? res.body : undefined;
      }, 15_000, 'the finding workflow to assign remediation');
      expect(tracked).toMatchObject({ status: 'open', crewId: 'crew-pumpops-city', workflowId: `${stack.config.temporal.workflowIdPrefix}finding:fnd_demo_pump3` });
    });
  });

  it('hands a long campaign over to a fresh run (continue-as-new) without losing progress or messaging crews twice', async () => {
    await withStack(async (stack) => {
      const campaignId = 'cmp_long';
      const prefix = stack.config.temporal.workflowIdPrefix;
      const handle = await stack.client.workflow.start<typeof runCampaign>('runCampaign', {
        taskQueue: stack.config.temporal.taskQueue, workflowId: `${prefix}campaign:${campaignId}`,
        args: [{
          campaignId, name: 'long check', facilityTypes: ['pumping-station'], zoneIds: ['zhouhe'], crewIds: ['crew-pumpops-city'], checklists: { 'pumping-station': loadChecklists()['pumping-station'] },
          dueAt: new Date(Date.now() + 3_600_000).toISOString(), remindBeforeMs: 60_000, escalateEveryMs: 60_000, remediation: { dueMs: 3_600_000, reinspectionDueMs: 3_600_000 },
          startedBy: 'officer', workflowIdPrefix: prefix, maxHistoryEvents: 20,
        }],
      });
      const [first, second] = (await inspectionsOf(stack, campaignId, 2)) as [Inspection, Inspection];
      const record = (i: Inspection) => eventually(async () => ((await stack.call('POST', `/api/inspections/${i.id}/results`, passAll(i, pumpValues))).status === 200 ? true : undefined), 15_000, `inspection ${i.code} recorded`);
      await eventually(async () => ((await handle.describe()).runId !== handle.firstExecutionRunId ? true : undefined), 15_000, 'a continue-as-new');
      await record(first);
      await record(second);
      await campaignStatus(stack, campaignId, 'closed');
      const sent = await outbox(stack, campaignId);
      expect(sent.map((m) => m.key.split('|').slice(1).join('|')).sort()).toEqual([
        `${first.id}|crew-pumpops-city-m1|sms|1`, `${first.id}|crew-pumpops-city-m2|sms|1`, `${second.id}|crew-pumpops-city-m1|sms|1`, `${second.id}|crew-pumpops-city-m2|sms|1`,
      ].sort());
    });
  });
});
