import type { DrillMetrics } from './metrics.js';
import { csvCell, escapeHtml as escape, htmlRows as rows } from '../printable.js';

export interface TrendPoint { runId: string; drillId: string; drillName: string; startedAt: string | null; current: boolean; medianAckSeconds: number | null; objectivesMet: number; objectivesTotal: number; nonResponders: number; tasks: number }

export interface DrillReport {
  drill: { id: string; name: string; playbookId: string; zoneId: string; level: string; onRealIncident: string };
  run: { runId: string; status: string; startsAt: string; startedAt: string | null; endedAt: string | null; endedReason: string | null; finalLevel: string | null; fed: { id: string; at: string; outcome: string }[] };
  crewNames: Record<string, string>;
  metrics: DrillMetrics;
  /** This run and earlier drill runs of the same playbook, oldest first. */
  trend: TrendPoint[];
}

/** One row per task: who, how long to acknowledge, how long to complete. */
export function drillCsv(report: DrillReport): string {
  const header = ['taskCode', 'kind', 'step', 'crewId', 'crew', 'status', 'ackSeconds', 'doneSeconds', 'doneSinceStartSeconds'];
  const lines = report.metrics.tasks.map((t) => [t.code, t.kind, t.stepId, t.crewId, t.crewId ? report.crewNames[t.crewId] : '', t.status, t.ackSeconds, t.doneSeconds, t.sinceStartDoneSeconds].map(csvCell).join(','));
  return [header.join(','), ...lines].join('\r\n') + '\r\n';
}

const sec = (s: number | null) => (s === null ? '—' : String(s));

/** The after-action report as a printable page (A4, no script). */
export function drillReportHtml(report: DrillReport, formatTime: (iso: string) => string): string {
  const t = (iso: string | null | undefined) => (iso ? escape(formatTime(iso)) : '—');
  const crew = (id: string | null) => (id ? `${escape(report.crewNames[id] ?? id)}` : '—');
  const m = report.metrics;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>【演练】${escape(report.drill.name)} · ${escape(report.run.runId)}</title>
<style>
  @page { size: A4; margin: 15mm; }
  body { font: 11pt/1.45 "Noto Sans CJK SC", "Microsoft YaHei", system-ui, sans-serif; color: #111; max-width: 190mm; margin: auto; }
  h1 { font-size: 16pt; margin: 0 0 4pt; } h2 { font-size: 12.5pt; border-bottom: 1px solid #444; margin-top: 14pt; }
  table { border-collapse: collapse; width: 100%; font-size: 9.5pt; } td, th { border: 1px solid #999; padding: 2pt 4pt; text-align: left; vertical-align: top; }
  .meta td:first-child { width: 28%; font-weight: 600; } .drill { color: #a40000; font-weight: 700; } .met { color: #0a6b0a; } .missed { color: #a40000; font-weight: 600; }
</style></head><body>
<h1><span class="drill">【演练】</span>${escape(report.drill.name)}</h1>
<p>演练评估报告 · After-action report</p>
<table class="meta">${rows([
    ['演练 Drill', escape(report.drill.id)], ['运行 Run', escape(report.run.runId)], ['预案 Playbook', escape(report.drill.playbookId)], ['区域 Zone', escape(report.drill.zoneId)],
    ['级别 Level', `${escape(report.drill.level)}${report.run.finalLevel && report.run.finalLevel !== report.drill.level ? ` → ${escape(report.run.finalLevel)}` : ''}`],
    ['状态 Status', escape(report.run.status)], ['开始 Started', t(report.run.startedAt)], ['结束 Ended', t(report.run.endedAt)], ['原因 Reason', escape(report.run.endedReason ?? '—')],
  ])}</table>
<h2>目标 Objectives (${m.summary.objectivesMet}/${m.summary.objectivesTotal})</h2>
<table><tr><th>目标 Objective</th><th>结果 Result</th><th>说明 Detail</th></tr>${rows(m.objectives.map((o) => [escape(o.label), o.met ? '<span class="met">达成 met</span>' : '<span class="missed">未达成 missed</span>', escape(o.detail)]))}</table>
<h2>队伍 Crews</h2>
<table><tr><th>队伍 Crew</th><th>任务 Tasks</th><th>确认 Acked</th><th>完成 Done</th><th>确认中位 Median ack (s)</th><th>最慢确认 Max ack (s)</th><th>最慢完成 Max done (s)</th><th>超时 Timed out</th></tr>
${rows(m.crews.map((c) => [crew(c.crewId), c.tasks, c.acknowledged, c.done, sec(c.medianAckSeconds), sec(c.maxAckSeconds), sec(c.maxDoneSeconds), c.timedOut]))}</table>
<p>未响应 Non-responders: ${m.nonResponders.length ? m.nonResponders.map((id) => `<span class="missed">${crew(id)}</span>`).join('、') : '无 none'}</p>
<h2>任务 Tasks</h2>
<table><tr><th>编号</th><th>步骤 Step</th><th>队伍 Crew</th><th>状态 Status</th><th>确认 Ack (s)</th><th>完成 Done (s)</th><th>自开始 Since start (s)</th></tr>
${rows(m.tasks.map((k) => [escape(k.code), escape(k.stepId), crew(k.crewId), escape(k.status), sec(k.ackSeconds), sec(k.doneSeconds), sec(k.sinceStartDoneSeconds)]))}</table>
<h2>情景注入 Injects</h2>
<table><tr><th>时间 Time</th><th>注入 Inject</th><th>结果 Outcome</th></tr>${rows(report.run.fed.map((f) => [t(f.at), escape(f.id), escape(f.outcome)])) || '<tr><td>—</td></tr>'}</table>
<h2>趋势 Trend (${escape(report.drill.playbookId)})</h2>
<table><tr><th>开始 Started</th><th>演练 Drill</th><th>确认中位 Median ack (s)</th><th>目标 Objectives</th><th>未响应 Non-responders</th><th>任务 Tasks</th></tr>
${rows(report.trend.map((p) => [`${t(p.startedAt)}${p.current ? ' ◀' : ''}`, escape(p.drillName), sec(p.medianAckSeconds), `${p.objectivesMet}/${p.objectivesTotal}`, p.nonResponders, p.tasks]))}</table>
</body></html>
`;
}
