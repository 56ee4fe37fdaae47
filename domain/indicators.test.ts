import { describe, expect, it } from 'vitest';
import { computeIndicators, indicatorsCsv } from './indicators.js';
import { evaluateResults } from './inspections.js';
import type { ChecklistItem } from '../db/schema/campaigns.js';

const zones = [
  { id: 'city', parentId: null, tier: 'city' as const, name: '周河市' },
  { id: 'd1', parentId: 'city', tier: 'district' as const, name: '沙河区' },
  { id: 'g1', parentId: 'd1', tier: 'grid' as const, name: 'g1' },
  { id: 'd2', parentId: 'city', tier: 'district' as const, name: '颍水区' },
];
const facilities = [
  { id: 'pump-1', type: 'pumping-station', zoneId: 'g1' },
  { id: 'pump-2', type: 'pumping-station', zoneId: 'd2' },
  { id: 'drain-1', type: 'drain-inlet', zoneId: 'g1' },
];
const due = '2027-04-30T00:00:00.000Z';

describe('examination indicators', () => {
  it('counts share inspected, findings by severity, open and closed, mean time to remediate and overdue, per district and type and for the city', () => {
    const rows = computeIndicators({
      zones, facilities,
      inspections: [
        { facilityId: 'pump-1', status: 'done', dueAt: due, overdueAt: null, inspectedAt: '2027-04-10T00:00:00.000Z' },
        { facilityId: 'pump-2', status: 'assigned', dueAt: due, overdueAt: null, inspectedAt: null },
        { facilityId: 'drain-1', status: 'done', dueAt: due, overdueAt: '2027-04-30T00:00:00.000Z', inspectedAt: '2027-05-02T00:00:00.000Z' },
      ],
      findings: [
        { facilityId: 'pump-1', severity: 'critical', status: 'closed', openedAt: '2027-04-10T00:00:00.000Z', closedAt: '2027-04-11T12:00:00.000Z', remediationDueAt: '2027-04-17T00:00:00.000Z' },
        { facilityId: 'pump-1', severity: 'minor', status: 'open', openedAt: '2027-04-10T00:00:00.000Z', closedAt: null, remediationDueAt: '2027-04-17T00:00:00.000Z' },
      ],
    }, new Date('2027-05-10T00:00:00.000Z'));
    const row = (zoneId: string, type: string) => rows.find((r) => r.zoneId === zoneId && r.facilityType === type);
    expect(rows[0]).toMatchObject({ zoneId: 'city', facilityType: 'all', facilities: 3, inspected: 2, shareInspected: 0.667, open: 1, closed: 1 });
    expect(row('city', 'pumping-station')).toMatchObject({ facilities: 2, inspected: 1, shareInspected: 0.5, findings: { minor: 1, major: 0, critical: 1 }, meanHoursToRemediate: 36 });
    // pump-2 still open past due, drain-1 done late, pump-1's minor finding past its remediation date.
    expect(row('city', 'all')?.overdue).toBe(3);
    expect(row('d1', 'drain-inlet')).toMatchObject({ zoneName: '沙河区', inspected: 1, overdue: 1 });
    expect(row('d2', 'pumping-station')).toMatchObject({ inspected: 0, shareInspected: 0, overdue: 1 });
    const csv = indicatorsCsv(rows).split('\r\n');
    expect(csv[0]).toBe('zone_id,zone,facility_type,facilities,inspected,share_inspected,findings_minor,findings_major,findings_critical,open,closed,mean_hours_to_remediate,overdue');
    expect(csv[1]).toBe('city,周河市,all,3,2,0.667,1,0,1,1,1,36,3');
  });

  it('groups by grid cell when asked, facilities above that tier counting only in the city total', () => {
    const rows = computeIndicators({ zones, facilities, inspections: [], findings: [] }, new Date('2027-05-10T00:00:00.000Z'), 'grid');
    expect(rows.map((r) => `${r.zoneId}/${r.facilityType}/${r.facilities}`)).toEqual(['city/all/3', 'city/drain-inlet/1', 'city/pumping-station/2', 'g1/all/2', 'g1/drain-inlet/1', 'g1/pumping-station/1']);
  });
});

describe('inspection results', () => {
  const checklist: ChecklistItem[] = [
    { id: 'pump-test-run', label: { 'zh-CN': '水泵试运行正常', en: 'Pump test run' }, severity: 'critical' },
    { id: 'sump-level', label: { 'zh-CN': '前池水位', en: 'Sump level' }, measure: { unit: 'm', max: 1.5 }, severity: 'major' },
  ];
  it('fails an item marked fail or measured outside its range, and opens nothing for a clean sheet', () => {
    expect(evaluateResults(checklist, [{ itemId: 'pump-test-run', outcome: 'pass' }, { itemId: 'sump-level', outcome: 'pass', value: 1.2 }])).toEqual({ failed: [], problems: [] });
    expect(evaluateResults(checklist, [{ itemId: 'pump-test-run', outcome: 'fail' }, { itemId: 'sump-level', outcome: 'pass', value: 1.9 }]).failed.map((f) => [f.itemId, f.severity])).toEqual([['pump-test-run', 'critical'], ['sump-level', 'major']]);
  });
  it('names missing, unknown, repeated and unmeasured items by field', () => {
    const { problems } = evaluateResults(checklist, [{ itemId: 'pump-test-run', outcome: 'pass' }, { itemId: 'pump-test-run', outcome: 'pass' }, { itemId: 'nope', outcome: 'pass' }]);
    expect(problems.map((p) => p.path)).toEqual(['body.results.1.itemId', 'body.results.2.itemId', 'body.results']);
    expect(evaluateResults(checklist, [{ itemId: 'pump-test-run', outcome: 'pass' }, { itemId: 'sump-level', outcome: 'pass' }]).problems).toEqual([{ path: 'body.results.1.value', message: 'required: measured in m' }]);
  });
});
