import { createResource, createSignal, For, Show } from 'solid-js';
import { api, problemText } from './api';
import { formatTime } from './i18n';

/** City examination (城市体检): campaigns, their inspections and findings, and the year's indicators. */
export interface CampaignSummary { id: string; name: string; status: string; startedAt: string; dueAt: string; closedAt: string | null; inspections: number; done: number; openFindings: number }
interface ChecklistItem { id: string; label: { 'zh-CN': string; en: string }; measure?: { unit: string; min?: number; max?: number } }
interface InspectionRow { id: string; code: string; kind: string; facilityId: string; facilityName?: string; crewId: string | null; status: string; dueAt: string; overdueAt: string | null; inspectedAt: string | null; checklist: ChecklistItem[] }
interface FindingRow { id: string; facilityId: string; facilityName?: string; title: string; severity: string; status: string; crewId: string | null; openedAt: string; closedAt: string | null; reopened: number }
interface CampaignDetail extends Omit<CampaignSummary, 'inspections'> { inspections: InspectionRow[]; findings: FindingRow[]; events: { at: string; type: string; message: string }[] }
interface Indicator { zoneId: string; zoneName: string; facilityType: string; facilities: number; inspected: number; shareInspected: number | null; findings: { minor: number; major: number; critical: number }; open: number; closed: number; meanHoursToRemediate: number | null; overdue: number }

// Times as the city's clocks show them (STORMDESK_TIMEZONE), in the user's language.
const time = (iso: string | null) => formatTime(iso);
const severityName: Record<string, string> = { critical: '严重 Critical', major: '一般 Major', minor: '轻微 Minor' };
const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);

export function Campaigns() {
  const [campaigns] = createResource(() => api<{ campaigns: CampaignSummary[] }>('GET', '/api/campaigns'));
  const [selected, setSelected] = createSignal<string | undefined>();
  const year = new Date().getFullYear();
  return (
    <div class="columns">
      <section aria-label="体检活动 Campaigns">
        <h2>城市体检 City checks</h2>
        <ul class="runs">
          <For each={campaigns()?.campaigns ?? []} fallback={<li>暂无 None</li>}>
            {(c) => (
              <li classList={{ selected: selected() === c.id }}>
                <button onClick={() => setSelected(c.id)}>
                  <strong>{c.name}</strong> · {c.status === 'open' ? '进行中 open' : '已结束 closed'}
                  <small>{c.done}/{c.inspections} 已检 inspected · {c.openFindings} 未结问题 open findings · 截止 due {time(c.dueAt)}</small>
                </button>
              </li>
            )}
          </For>
        </ul>
        <Indicators year={year} />
      </section>
      <Show when={selected()} fallback={<section><p>选择一项体检活动 Select a campaign</p></section>}>
        {(id) => <CampaignPanel id={id()} />}
      </Show>
    </div>
  );
}

function CampaignPanel(props: { id: string }) {
  const [detail, { refetch }] = createResource(() => props.id, (id) => api<CampaignDetail>('GET', `/api/campaigns/${encodeURIComponent(id)}`));
  const [recording, setRecording] = createSignal<InspectionRow | undefined>();
  const fixed = async (findingId: string) => {
    const note = window.prompt('整改说明 What was done?');
    if (!note) return;
    await api('POST', `/api/findings/${encodeURIComponent(findingId)}/remediated`, { note }).catch((e: unknown) => window.alert(e instanceof Error ? e.message : String(e)));
    void refetch();
  };
  return (
    <Show when={detail()}>
      {(c) => (
        <section aria-label={c().name}>
          <h2>{c().name}</h2>
          <p>开始 Started {time(c().startedAt)} · 截止 Due {time(c().dueAt)} · {c().status}</p>
          <h3>检查 Inspections</h3>
          <table>
            <thead><tr><th>编号 Code</th><th>设施 Facility</th><th>班组 Crew</th><th>状态 Status</th><th>检查时间 Inspected</th></tr></thead>
            <tbody>
              <For each={c().inspections}>
                {(i) => <tr classList={{ overdue: !!i.overdueAt && i.status !== 'done' }}><td>{i.code}{i.kind === 're-inspection' ? ' (复查 re-inspection)' : ''}</td><td>{i.facilityName ?? i.facilityId}</td><td>{i.crewId ?? '—'}</td><td>{i.status}{i.overdueAt ? ' · 逾期 overdue' : ''}{i.status !== 'done' ? <> <button onClick={() => setRecording(i)}>记录 Record</button></> : ''}</td><td>{time(i.inspectedAt)}</td></tr>}
              </For>
            </tbody>
          </table>
          <Show when={recording()}>{(i) => <RecordForm inspection={i()} onDone={() => { setRecording(undefined); void refetch(); }} />}</Show>
          <h3>问题 Findings</h3>
          <table>
            <thead><tr><th>设施 Facility</th><th>问题 Finding</th><th>级别 Severity</th><th>状态 Status</th><th>整改班组 Crew</th><th>发现 Opened</th><th>结案 Closed</th></tr></thead>
            <tbody>
              <For each={c().findings} fallback={<tr><td colspan="7">无 None</td></tr>}>
                {(f) => <tr class={`severity-${f.severity}`}><td>{f.facilityName ?? f.facilityId}</td><td>{f.title}</td><td>{severityName[f.severity] ?? f.severity}</td><td>{f.status}{f.reopened ? ` (复查未过 ${f.reopened}×)` : ''}</td><td>{f.crewId ?? '—'}{f.status === 'open' ? <> <button onClick={() => void fixed(f.id)}>已整改 Fixed</button></> : ''}</td><td>{time(f.openedAt)}</td><td>{time(f.closedAt)}</td></tr>}
              </For>
            </tbody>
          </table>
          <p><a href={`/api/campaigns/indicators.csv?campaignId=${encodeURIComponent(c().id)}`}>指标 CSV</a></p>
          <h3>记录 Events</h3>
          <ol class="timeline"><For each={c().events}>{(e) => <li><time>{time(e.at)}</time> {e.message}</li>}</For></ol>
        </section>
      )}
    </Show>
  );
}

function Indicators(props: { year: number }) {
  const [rows] = createResource(() => props.year, (year) => api<{ indicators: Indicator[] }>('GET', `/api/campaigns/indicators?year=${year}`));
  return (
    <section aria-label="指标 Indicators">
      <h3>{props.year} 年度指标 Indicators</h3>
      <p>
        <a href={`/api/campaigns/indicators.csv?year=${props.year}`}>CSV</a> · <a href={`/api/campaigns/report.html?year=${props.year}`} target="_blank" rel="noopener">年度体检报告 Yearly report</a>
      </p>
      <table>
        <thead><tr><th>区域 Zone</th><th>类型 Type</th><th>检查率 Inspected</th><th>轻/中/重 Minor/Major/Critical</th><th>未结 Open</th><th>已结 Closed</th><th>平均整改 Mean h</th><th>逾期 Overdue</th></tr></thead>
        <tbody>
          <For each={rows()?.indicators ?? []}>
            {(r) => <tr><td>{r.zoneName}</td><td>{r.facilityType === 'all' ? '合计 all' : r.facilityType}</td><td>{r.inspected}/{r.facilities} ({pct(r.shareInspected)})</td><td>{r.findings.minor}/{r.findings.major}/{r.findings.critical}</td><td>{r.open}</td><td>{r.closed}</td><td>{r.meanHoursToRemediate ?? '—'}</td><td>{r.overdue}</td></tr>}
          </For>
        </tbody>
      </table>
    </section>
  );
}

/** One result per checklist item; a failed item, or a value out of range, opens a finding. */
function RecordForm(props: { inspection: InspectionRow; onDone: () => void }) {
  const [error, setError] = createSignal('');
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const results = props.inspection.checklist.map((item) => {
      const value = String(form.get(`${item.id}.value`) ?? '');
      const notes = String(form.get(`${item.id}.notes`) ?? '').trim();
      return { itemId: item.id, outcome: String(form.get(`${item.id}.outcome`)), ...(value ? { value: Number(value) } : {}), ...(notes ? { notes } : {}) };
    });
    try {
      await api('POST', `/api/inspections/${encodeURIComponent(props.inspection.id)}/results`, { results });
      props.onDone();
    } catch (err) {
      setError(problemText(err));
    }
  };
  return (
    <form class="record" onSubmit={submit} aria-label={`记录检查 ${props.inspection.code}`}>
      <h3>记录检查 Record {props.inspection.code} · {props.inspection.facilityName ?? props.inspection.facilityId}</h3>
      <For each={props.inspection.checklist}>
        {(item) => (
          <fieldset>
            <legend>{item.label['zh-CN']} / {item.label.en}</legend>
            <select name={`${item.id}.outcome`} aria-label="结果 Outcome"><option value="pass">合格 pass</option><option value="fail">不合格 fail</option><option value="n/a">不适用 n/a</option></select>
            <Show when={item.measure}>{(m) => <label>{m().unit} <input name={`${item.id}.value`} type="number" step="any" required /></label>}</Show>
            <input name={`${item.id}.notes`} placeholder="备注 Notes" />
          </fieldset>
        )}
      </For>
      <button type="submit">提交 Submit</button> <button type="button" onClick={() => props.onDone()}>取消 Cancel</button>
      <Show when={error()}><p role="alert" class="error">{error()}</p></Show>
    </form>
  );
}
