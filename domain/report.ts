import type { RunView, TaskView } from '../workflows/messages.js';
import { csvCell, escapeHtml as escape, htmlRows as rows } from './printable.js';

export interface TimelineEntry { at: string; type: string; actor: string; message: string }
export interface MessageSummary { memberId: string; channel: string; status: string; count: number }

export interface TaskLine {
  code: string; kind: TaskView['kind']; step: string; title: string; place: string; crew: string; status: string;
  assignedAt: string; acknowledgedAt: string; doneAt: string; verifiedAt: string; verifiedBy: string;
  attempts: number; timeToAckSeconds: number | null; timeToCompleteSeconds: number | null;
}

export interface IncidentReport {
  runId: string;
  interim: boolean;
  playbook: { id: string; version: string; title: { 'zh-CN': string; en: string } };
  hazard: string;
  zoneId: string;
  drill: boolean;
  startedAt: string;
  closedAt: string | null;
  standDown: { at: string; by: string; reason: string } | null;
  levelHistory: RunView['levelHistory'];
  tasks: TaskLine[];
  notified: MessageSummary[];
  notes: RunView['notes'];
  timeline: TimelineEntry[];
}

const seconds = (from?: string, to?: string): number | null => (from && to ? Math.round((Date.parse(to) - Date.parse(from)) / 1000) : null);

/** Time to acknowledge and to complete are measured from the task's first assignment. */
export function taskLine(t: TaskView): TaskLine {
  const first = t.attempts[0]?.at ?? t.assignedAt;
  return {
    code: t.code, kind: t.kind, step: t.stepId, title: t.title['zh-CN'], place: t.place?.['zh-CN'] ?? t.zoneId, crew: t.crewId ?? '', status: t.status,
    assignedAt: first ?? '', acknowledgedAt: t.acknowledgedAt ?? '', doneAt: t.doneAt ?? '', verifiedAt: t.verifiedAt ?? '', verifiedBy: t.verifiedBy ?? '',
    attempts: t.attempts.length, timeToAckSeconds: seconds(first, t.acknowledgedAt), timeToCompleteSeconds: seconds(first, t.doneAt),
  };
}

export function buildReport(view: RunView, title: { 'zh-CN': string; en: string }, timeline: TimelineEntry[], notified: MessageSummary[]): IncidentReport {
  return {
    runId: view.runId,
    interim: view.phase !== 'closed',
    playbook: { id: view.playbookId, version: view.playbookVersion, title },
    hazard: view.hazard,
    zoneId: view.zoneId,
    drill: view.drill,
    startedAt: view.startedAt,
    closedAt: view.standDown && view.phase === 'closed' ? view.standDown.at : null,
    standDown: view.standDown ?? null,
    levelHistory: view.levelHistory,
    tasks: view.tasks.map(taskLine),
    notified,
    notes: view.notes,
    timeline,
  };
}

export function tasksCsv(report: IncidentReport): string {
  const columns: (keyof TaskLine)[] = ['code', 'kind', 'step', 'title', 'place', 'crew', 'status', 'assignedAt', 'acknowledgedAt', 'doneAt', 'verifiedAt', 'verifiedBy', 'attempts', 'timeToAckSeconds', 'timeToCompleteSeconds'];
  return [columns.join(','), ...report.tasks.map((t) => columns.map((c) => csvCell(t[c])).join(','))].join('\r\n') + '\r\n';
}

/** A printable page (A4, no script) for the incident file. */
export function reportHtml(report: IncidentReport, formatTime: (iso: string) => string): string {
  const t = (iso: string | null | undefined) => (iso ? escape(formatTime(iso)) : '—');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escape(report.playbook.title['zh-CN'])} · ${escape(report.runId)}</title>
<style>
  @page { size: A4; margin: 15mm; }
  body { font: 11pt/1.45 "Noto Sans CJK SC", "Microsoft YaHei", system-ui, sans-serif; color: #111; max-width: 190mm; margin: auto; }
  h1 { font-size: 16pt; margin: 0 0 4pt; } h2 { font-size: 12.5pt; border-bottom: 1px solid #444; margin-top: 14pt; }
  table { border-collapse: collapse; width: 100%; font-size: 9.5pt; } td, th { border: 1px solid #999; padding: 2pt 4pt; text-align: left; vertical-align: top; }
  .meta td:first-child { width: 28%; font-weight: 600; } .drill { color: #a40000; font-weight: 700; }
</style></head><body>
<h1>${report.drill ? '<span class="drill">【演练】</span>' : ''}${escape(report.playbook.title['zh-CN'])} / ${escape(report.playbook.title.en)}</h1>
<p>${report.interim ? '<strong>中期报告（处置中） · Interim report (run still open)</strong>' : '处置报告 · Incident report'}</p>
<table class="meta">${rows([
    ['运行 Run', escape(report.runId)], ['预案 Playbook', `${escape(report.playbook.id)} @ ${escape(report.playbook.version)}`],
    ['区域 Zone', escape(report.zoneId)], ['开始 Started', t(report.startedAt)], ['结束 Closed', t(report.closedAt)],
    ['解除 Stood down', report.standDown ? `${escape(report.standDown.by)}: ${escape(report.standDown.reason)}` : '—'],
  ])}</table>
<h2>响应级别 Level history</h2>
<table><tr><th>时间 Time</th><th>级别 Level</th><th>由 By</th><th>原因 Reason</th></tr>${rows(report.levelHistory.map((l) => [t(l.at), escape(l.level), escape(l.by), escape(l.reason)]))}</table>
<h2>任务 Tasks</h2>
<table><tr><th>编号</th><th>任务 Task</th><th>地点 Place</th><th>队伍 Crew</th><th>状态 Status</th><th>确认用时 Ack (s)</th><th>完成用时 Done (s)</th><th>核查 Verified</th></tr>
${rows(report.tasks.map((k) => [escape(k.code), escape(k.title), escape(k.place), escape(k.crew), escape(k.status), k.timeToAckSeconds ?? '—', k.timeToCompleteSeconds ?? '—', k.verifiedAt ? `${t(k.verifiedAt)} ${escape(k.verifiedBy)}` : '—']))}</table>
<h2>通知与派单 Notified and dispatched</h2>
<table><tr><th>人员 Member</th><th>渠道 Channel</th><th>状态 Status</th><th>条数 Messages</th></tr>${rows(report.notified.map((n) => [escape(n.memberId), escape(n.channel), escape(n.status), n.count]))}</table>
<h2>备注 Notes</h2>
<table>${rows(report.notes.map((n) => [t(n.at), escape(n.by), escape(n.text)])) || '<tr><td>—</td></tr>'}</table>
<h2>时间线 Timeline</h2>
<table><tr><th>时间 Time</th><th>由 By</th><th>事件 Event</th></tr>${rows(report.timeline.map((e) => [t(e.at), escape(e.actor), escape(e.message)]))}</table>
</body></html>
`;
}
