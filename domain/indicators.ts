import type { GridZone } from './grid.js';
import { ancestry } from './grid.js';
import { escapeHtml, htmlRows as rows } from './printable.js';

/** The rows the indicators are computed from (a campaign's, or a year's). */
export interface IndicatorInput {
  zones: readonly (GridZone & { name: string })[];
  /** The facilities in scope: the denominator of "share inspected". */
  facilities: readonly { id: string; type: string; zoneId: string }[];
  inspections: readonly { facilityId: string; status: string; dueAt: string; overdueAt: string | null; inspectedAt: string | null }[];
  findings: readonly { facilityId: string; severity: 'minor' | 'major' | 'critical'; status: 'open' | 'remediated' | 'closed'; openedAt: string; closedAt: string | null; remediationDueAt: string | null }[];
}

export interface IndicatorRow {
  /** The district, street or grid (or the city, on the total row). */
  zoneId: string;
  zoneName: string;
  /** A facility type, or "all" on total rows. */
  facilityType: string;
  facilities: number;
  inspected: number;
  /** inspected / facilities, 0..1; null when there is nothing to inspect. */
  shareInspected: number | null;
  findings: { minor: number; major: number; critical: number };
  open: number;
  closed: number;
  /** Mean hours from a finding opening to its verified fix; null when none closed. */
  meanHoursToRemediate: number | null;
  /** Inspections done late or still open past due, plus findings open past their remediation due date. */
  overdue: number;
}

/**
 * Indicators per zone of a tier (districts by default) and facility type, with a total per zone and one for the city:
 * share inspected, findings by severity, open and closed, mean time to remediate, overdue.
 * `now` decides what is overdue.
 */
export function computeIndicators(input: IndicatorInput, now: Date, tier: 'district' | 'street' | 'grid' = 'district'): IndicatorRow[] {
  const district = new Map<string, GridZone & { name: string }>();
  for (const z of input.zones) {
    const d = ancestry(input.zones, z.id).find((a) => a.tier === tier);
    const found = d ? input.zones.find((x) => x.id === d.id) : undefined;
    if (found) district.set(z.id, found);
  }
  const city = input.zones.find((z) => z.tier === 'city');
  const at = now.toISOString();
  const groups = new Map<string, { zoneId: string; zoneName: string; facilityType: string; ids: Set<string> }>();
  const add = (zoneId: string, zoneName: string, facilityType: string, facilityId: string) => {
    const key = `${zoneId}|${facilityType}`;
    const g = groups.get(key) ?? { zoneId, zoneName, facilityType, ids: new Set<string>() };
    g.ids.add(facilityId);
    groups.set(key, g);
  };
  for (const f of input.facilities) {
    const d = district.get(f.zoneId);
    if (d) {
      add(d.id, d.name, f.type, f.id);
      add(d.id, d.name, 'all', f.id);
    }
    if (city) {
      add(city.id, city.name, f.type, f.id);
      add(city.id, city.name, 'all', f.id);
    }
  }
  const rows = [...groups.values()].map((g): IndicatorRow => {
    const inspections = input.inspections.filter((i) => g.ids.has(i.facilityId));
    const findings = input.findings.filter((f) => g.ids.has(f.facilityId));
    const inspected = new Set(inspections.filter((i) => i.status === 'done').map((i) => i.facilityId)).size;
    const closed = findings.filter((f) => f.status === 'closed' && f.closedAt);
    const hours = closed.map((f) => (Date.parse(f.closedAt ?? f.openedAt) - Date.parse(f.openedAt)) / 3_600_000);
    const lateInspections = inspections.filter((i) => i.overdueAt || (i.status !== 'done' && i.dueAt < at) || (i.inspectedAt !== null && i.inspectedAt > i.dueAt)).length;
    const lateFindings = findings.filter((f) => f.status !== 'closed' && f.remediationDueAt !== null && f.remediationDueAt < at).length;
    const facilities = g.ids.size;
    return {
      zoneId: g.zoneId, zoneName: g.zoneName, facilityType: g.facilityType, facilities, inspected,
      shareInspected: facilities ? Math.round((inspected / facilities) * 1000) / 1000 : null,
      findings: { minor: findings.filter((f) => f.severity === 'minor').length, major: findings.filter((f) => f.severity === 'major').length, critical: findings.filter((f) => f.severity === 'critical').length },
      open: findings.length - closed.length, closed: closed.length,
      meanHoursToRemediate: hours.length ? Math.round((hours.reduce((a, b) => a + b, 0) / hours.length) * 10) / 10 : null,
      overdue: lateInspections + lateFindings,
    };
  });
  // The city first, then districts; within each, the total row first, then types by name.
  const rank = (r: IndicatorRow) => (r.zoneId === city?.id ? '0' : '1') + r.zoneId + (r.facilityType === 'all' ? '' : `~${r.facilityType}`);
  return rows.sort((a, b) => rank(a).localeCompare(rank(b)));
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  // A leading =, +, - or @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function indicatorsCsv(rows: readonly IndicatorRow[]): string {
  const header = ['zone_id', 'zone', 'facility_type', 'facilities', 'inspected', 'share_inspected', 'findings_minor', 'findings_major', 'findings_critical', 'open', 'closed', 'mean_hours_to_remediate', 'overdue'];
  const lines = rows.map((r) => [r.zoneId, r.zoneName, r.facilityType, r.facilities, r.inspected, r.shareInspected, r.findings.minor, r.findings.major, r.findings.critical, r.open, r.closed, r.meanHoursToRemediate, r.overdue].map(csvCell).join(','));
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}


export interface YearReport {
  year: number;
  city: string;
  generatedAt: string;
  campaigns: { id: string; name: string; status: string; startedAt: string; dueAt: string; closedAt: string | null; inspections: number; done: number }[];
  indicators: IndicatorRow[];
  openCritical: { facility: string; title: string; openedAt: string }[];
}

/** The city's printable yearly examination report (城市体检年度报告). */
export function yearReportHtml(r: YearReport, formatTime: (iso: string) => string): string {
  const t = (iso: string | null) => (iso ? escapeHtml(formatTime(iso)) : '—');
  const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(r.city)} ${r.year} 城市体检报告</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#111}table{border-collapse:collapse;width:100%;margin:1rem 0}td,th{border:1px solid #999;padding:.3rem .5rem;text-align:left;font-size:.9rem}th{background:#eee}h1{font-size:1.4rem}@media print{body{margin:0}}</style></head><body>
<h1>${escapeHtml(r.city)} ${r.year}年度城市体检报告 / ${r.year} city examination report</h1>
<p>生成 Generated: ${t(r.generatedAt)}</p>
<h2>体检活动 Campaigns</h2>
<table><tr><th>名称 Name</th><th>状态 Status</th><th>开始 Started</th><th>截止 Due</th><th>结束 Closed</th><th>完成 Done</th></tr>
${rows(r.campaigns.map((c) => [escapeHtml(c.name), escapeHtml(c.status), t(c.startedAt), t(c.dueAt), t(c.closedAt), `${c.done}/${c.inspections}`])) || '<tr><td colspan="6">—</td></tr>'}</table>
<h2>指标 Indicators</h2>
<table><tr><th>区域 Zone</th><th>设施类型 Type</th><th>设施 Facilities</th><th>已检 Inspected</th><th>检查率 Share</th><th>轻微/一般/严重 Minor/Major/Critical</th><th>未结 Open</th><th>已结 Closed</th><th>平均整改(小时) Mean hours to fix</th><th>逾期 Overdue</th></tr>
${rows(r.indicators.map((i) => [escapeHtml(i.zoneName), escapeHtml(i.facilityType === 'all' ? '合计 all' : i.facilityType), i.facilities, i.inspected, pct(i.shareInspected), `${i.findings.minor}/${i.findings.major}/${i.findings.critical}`, i.open, i.closed, i.meanHoursToRemediate ?? '—', i.overdue]))}</table>
<h2>未整改的严重问题 Open critical findings</h2>
<table><tr><th>设施 Facility</th><th>问题 Finding</th><th>发现 Since</th></tr>
${rows(r.openCritical.map((f) => [escapeHtml(f.facility), escapeHtml(f.title), t(f.openedAt)])) || '<tr><td colspan="3">无 None</td></tr>'}</table>
</body></html>`;
}
