import type { Db } from './client.js';
import { campaigns, findings, inspections, type ChecklistItem, type ItemResult } from './schema/index.js';
import { loadChecklists } from '../config/checklists.js';
import type { FacilityType } from './schema/zones.js';

const day = 86_400_000;

/**
 * The demo city's pre-flood-season examination, under way: three of seven facilities inspected,
 * pumping station 3 with an open critical fault (flagged in every run that dispatches to it), and
 * the Renmin Road underpass's blocked drain fixed and verified by a re-inspection. Only rows: the
 * API adopts the open campaign at start-up and gives it (and its open finding) a workflow.
 */
export async function seedDemoCampaign(db: Db, now = new Date()): Promise<void> {
  const checklists = loadChecklists();
  const at = (days: number) => new Date(now.getTime() + days * day).toISOString();
  const id = 'cmp_demo_pre_flood';
  const items = (type: FacilityType): ChecklistItem[] => checklists[type]?.items ?? [];
  const pass = (type: FacilityType, values: Record<string, number> = {}, fail: string[] = []): ItemResult[] =>
    items(type).map((i) => ({ itemId: i.id, outcome: fail.includes(i.id) ? 'fail' : 'pass', ...(i.id in values ? { value: values[i.id] } : {}) }));
  await db.transaction(async (tx) => {
    await tx.insert(campaigns).values({
      id, workflowId: `campaign:${id}`, name: `${now.getFullYear()}年汛前排水设施体检 / pre-flood-season drainage check`,
      facilityTypes: ['pumping-station', 'underpass', 'waterlogging-point'], zoneIds: ['zhouhe'],
      crewIds: ['crew-pumpops-city', 'crew-drain-shahe', 'crew-drain-yingshui'], status: 'open', startedBy: 'officer', startedAt: at(-10), dueAt: at(20),
    });
    const inspection = (facilityId: string, type: FacilityType, zoneId: string, crewId: string, code: string, done?: { results: ItemResult[]; daysAgo: number; notes?: string }) => ({
      id: `insp_demo_${facilityId}`, campaignId: id, kind: 'inspection' as const, facilityId, facilityType: type, zoneId, crewId, code, checklist: items(type), dueAt: at(20), createdAt: at(-10),
      status: done ? 'done' as const : 'assigned' as const, results: done?.results ?? null, notes: done?.notes ?? null,
      inspectedAt: done ? at(-done.daysAgo) : null, inspectedBy: done ? `${crewId}-m1` : null,
    });
    await tx.insert(inspections).values([
      inspection('pump-3', 'pumping-station', 'chenzhou-g1', 'crew-pumpops-city', 'P3QX', { results: pass('pumping-station', { 'sump-level': 0.9 }, ['pump-test-run']), daysAgo: 6, notes: '2号机组试运行跳闸 / unit 2 tripped on test run' }),
      inspection('pump-7', 'pumping-station', 'hehua-g1', 'crew-pumpops-city', 'P7MB'),
      inspection('underpass-renmin', 'underpass', 'renhe-g1', 'crew-drain-shahe', 'UR4K', { results: pass('underpass', {}, ['drains-clear']), daysAgo: 8 }),
      inspection('underpass-railway', 'underpass', 'hehua-g2', 'crew-drain-yingshui', 'UR9T'),
      inspection('waterlog-bayi', 'waterlogging-point', 'renhe-g2', 'crew-drain-shahe', 'WB2D', { results: pass('waterlogging-point'), daysAgo: 7 }),
      inspection('waterlog-wenchang', 'waterlogging-point', 'qiyi-g1', 'crew-drain-yingshui', 'WW5H'),
      inspection('waterlog-renmin-market', 'waterlogging-point', 'renhe-g1', 'crew-drain-shahe', 'WR8N'),
    ]);
    await tx.insert(findings).values([
      {
        id: 'fnd_demo_pump3', campaignId: id, inspectionId: 'insp_demo_pump-3', itemId: 'pump-test-run', facilityId: 'pump-3', facilityType: 'pumping-station', zoneId: 'chenzhou-g1',
        title: '水泵试运行正常', severity: 'critical', status: 'open', crewId: 'crew-pumpops-city', openedAt: at(-6), remediationDueAt: at(1),
      },
      {
        id: 'fnd_demo_underpass', campaignId: id, inspectionId: 'insp_demo_underpass-renmin', itemId: 'drains-clear', facilityId: 'underpass-renmin', facilityType: 'underpass', zoneId: 'renhe-g1',
        title: '排水沟畅通', severity: 'major', status: 'closed', crewId: 'crew-drain-shahe', openedAt: at(-8), remediationDueAt: at(-1),
        remediatedAt: at(-5), remediationNote: '清淤 3 立方米 / 3 m³ of silt removed', closedAt: at(-4), verifiedBy: 'crew-drain-shahe-m1',
      },
    ]);
    await tx.insert(inspections).values({
      id: 'insp_demo_underpass-renmin-re1', campaignId: id, kind: 're-inspection', findingId: 'fnd_demo_underpass', facilityId: 'underpass-renmin', facilityType: 'underpass', zoneId: 'renhe-g1',
      crewId: 'crew-drain-shahe', code: 'UR4R', status: 'done', checklist: items('underpass').filter((i) => i.id === 'drains-clear'),
      results: [{ itemId: 'drains-clear', outcome: 'pass' }], dueAt: at(-2), createdAt: at(-5), inspectedAt: at(-4), inspectedBy: 'crew-drain-shahe-m1',
    });
  });
}
