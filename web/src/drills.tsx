import { createResource, createSignal, For, onCleanup, Show, type JSX } from 'solid-js';
import { api, problemText, type Playbook } from './api';
import { cityTimeToIso, formatTime } from './i18n';

export interface Drill {
  id: string; name: string; playbookId: string; zoneId: string; level: string; participants: string[];
  objectives: unknown[]; injects: unknown[]; timers: Record<string, string>; lead: string; window: string; onRealIncident: 'pause' | 'end';
  schedule: { kind: 'once'; at: string } | { kind: 'recurring'; cron: string } | null; skipDates: string[]; overlap: string; paused: boolean;
}
interface DrillRun { runId: string; status: string; announcedAt: string; startsAt: string; startedAt: string | null; endedAt: string | null; endedReason: string | null; fed: { id: string; at: string; outcome: string }[] }
interface DrillDetail extends Drill { scheduleState: { paused?: boolean; nextActionTimes?: string[]; missing?: boolean; timezone?: string | null } | null; runs: DrillRun[] }
interface Crew { id: string; name: string }

// Times as the city's clocks show them (STORMDESK_TIMEZONE), in the user's language.
const time = (iso: string | null | undefined) => formatTime(iso);
const describe = (d: Drill) => (d.schedule ? (d.schedule.kind === 'once' ? `一次 once ${time(d.schedule.at)}` : `cron ${d.schedule.cron}`) : '未排期 unscheduled');

/**
 * The drill coordinator's pages: the drills, a form to create or edit one (objectives and injects
 * as JSON, the API names any field it refuses), its schedule, and its runs with live view and reports.
 */
export function Drills(props: { watch: (runId: string) => JSX.Element }) {
  const [drills, { refetch }] = createResource(() => api<{ drills: Drill[] }>('GET', '/api/drills'));
  const [selected, setSelected] = createSignal<string | undefined>();
  const [editing, setEditing] = createSignal<Drill | 'new' | undefined>();
  return (
    <div class="columns drills">
      <section aria-label="演练 Drills">
        <h2>演练 Drills</h2>
        <button onClick={() => { setEditing('new'); setSelected(undefined); }}>新建演练 New drill</button>
        <ul class="runs">
          <For each={drills()?.drills ?? []} fallback={<li>暂无 None</li>}>
            {(d) => (
              <li classList={{ selected: selected() === d.id }}>
                <button class={`level-${d.level}`} onClick={() => { setSelected(d.id); setEditing(undefined); }}>
                  <strong>【演练】{d.name}</strong>
                  <small>{d.playbookId} · {d.zoneId} · {d.level} · {describe(d)}{d.paused ? ' · 已暂停 paused' : ''}</small>
                </button>
              </li>
            )}
          </For>
        </ul>
      </section>
      <Show when={editing()}>
        {(e) => <DrillForm drill={e() === 'new' ? undefined : (e() as Drill)} onSaved={(id) => { void refetch(); setEditing(undefined); setSelected(id); }} />}
      </Show>
      <Show when={!editing() && selected()}>
        {(id) => <DrillPanel id={id()} watch={props.watch} onEdit={(d) => setEditing(d)} onChanged={() => void refetch()} />}
      </Show>
    </div>
  );
}

function DrillForm(props: { drill: Drill | undefined; onSaved: (id: string) => void }) {
  const [playbooks] = createResource(() => api<{ playbooks: Playbook[] }>('GET', '/api/playbooks'));
  const [crews] = createResource(() => api<{ crews: Crew[] }>('GET', '/api/crews'));
  const [error, setError] = createSignal('');
  const d = props.drill;
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    try {
      const body = {
        name: form.get('name'), playbookId: form.get('playbookId'), zoneId: form.get('zoneId'), level: form.get('level'),
        participants: form.getAll('participants'), lead: form.get('lead'), window: form.get('window'), onRealIncident: form.get('onRealIncident'),
        objectives: JSON.parse(String(form.get('objectives') || '[]')) as unknown, injects: JSON.parse(String(form.get('injects') || '[]')) as unknown,
        timers: JSON.parse(String(form.get('timers') || '{}')) as unknown,
      };
      const saved = d ? await api<Drill>('PATCH', `/api/drills/${d.id}`, body) : await api<Drill>('POST', '/api/drills', body);
      props.onSaved(saved.id);
    } catch (err) {
      setError(err instanceof SyntaxError ? `JSON: ${err.message}` : problemText(err));
    }
  };
  return (
    <section aria-label={d ? '编辑演练 Edit drill' : '新建演练 New drill'}>
      <h2>{d ? `编辑 Edit: ${d.name}` : '新建演练 New drill'}</h2>
      <form class="launch" onSubmit={submit}>
        <label>名称 Name <input name="name" value={d?.name ?? ''} required /></label>
        <label>预案 Playbook <select name="playbookId"><For each={playbooks()?.playbooks ?? []}>{(p) => <option value={p.id} selected={p.id === d?.playbookId}>{p.title['zh-CN']} / {p.title.en}</option>}</For></select></label>
        <label>区域 Zone <input name="zoneId" value={d?.zoneId ?? 'renhe'} required /></label>
        <label>级别 Level <select name="level"><For each={['IV', 'III', 'II', 'I']}>{(l) => <option value={l} selected={l === (d?.level ?? 'III')}>{l}</option>}</For></select></label>
        <fieldset><legend>参演队伍 Participants</legend>
          <For each={crews()?.crews ?? []}>{(c) => <label class="inline"><input type="checkbox" name="participants" value={c.id} checked={d?.participants.includes(c.id) ?? false} /> {c.name}</label>}</For>
        </fieldset>
        <label>提前通知 Lead <input name="lead" value={d?.lead ?? '30m'} /></label>
        <label>演练时长 Window <input name="window" value={d?.window ?? '2h'} /></label>
        <label>遇真实险情 On a real incident <select name="onRealIncident"><option value="end" selected={d?.onRealIncident !== 'pause'}>结束 end</option><option value="pause" selected={d?.onRealIncident === 'pause'}>暂停 pause</option></select></label>
        <label>目标 Objectives (JSON) <textarea name="objectives" rows="4">{JSON.stringify(d?.objectives ?? [{ id: 'ack-5m', kind: 'ack-within', within: '5m' }], null, 1)}</textarea></label>
        <label>情景注入 Injects (JSON) <textarea name="injects" rows="5">{JSON.stringify(d?.injects ?? [{ id: 'orange', at: '5m', kind: 'warning', level: 'II', headline: '暴雨橙色预警（演练）' }], null, 1)}</textarea></label>
        <label>预案计时 Timers (JSON) <textarea name="timers" rows="2">{JSON.stringify(d?.timers ?? {})}</textarea></label>
        <button type="submit">保存 Save</button>
        <Show when={error()}><p role="alert" class="error">{error()}</p></Show>
      </form>
    </section>
  );
}

function DrillPanel(props: { id: string; watch: (runId: string) => JSX.Element; onEdit: (d: Drill) => void; onChanged: () => void }) {
  const [drill, { refetch }] = createResource(() => props.id, (id) => api<DrillDetail>('GET', `/api/drills/${id}`));
  const [watching, setWatching] = createSignal<string | undefined>();
  const [error, setError] = createSignal('');
  const timer = setInterval(() => void refetch(), 5000);
  onCleanup(() => clearInterval(timer));
  const post = async (path: string, body?: unknown) => {
    try {
      await api('POST', `/api/drills/${props.id}${path}`, body);
      setError('');
      await refetch();
      props.onChanged();
    } catch (err) {
      setError(problemText(err));
    }
  };
  const schedule = (e: SubmitEvent) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const at = String(form.get('at') ?? '');
    const skipDates = String(form.get('skipDates') ?? '').split(/[\s,]+/).filter(Boolean);
    const spec = form.get('kind') === 'once' ? { kind: 'once', at: at ? cityTimeToIso(String(at)) : '' } : { kind: 'recurring', cron: form.get('cron') };
    void post('/schedule', { schedule: spec, skipDates, overlap: form.get('overlap') });
  };
  return (
    <section class="run" aria-label="演练详情 Drill">
      <Show when={drill()}>
        {(d) => (
          <>
            <h2>【演练】{d().name}</h2>
            <p>{d().playbookId} · {d().zoneId} · {d().level} · {describe(d())} · 提前 lead {d().lead} · 时长 window {d().window} · 遇真实险情 {d().onRealIncident}</p>
            <Show when={d().scheduleState?.nextActionTimes?.length}>
              <p>下次通知 Next notice: {(d().scheduleState?.nextActionTimes ?? []).slice(0, 3).map(time).join('、')}</p>
            </Show>
            <div class="actions">
              <button onClick={() => props.onEdit(d())}>编辑 Edit</button>
              <button onClick={() => void post('/trigger')}>立即演练 Run now</button>
              <Show when={d().schedule}>
                <button onClick={() => void post(d().paused ? '/resume' : '/pause')}>{d().paused ? '恢复 Resume' : '暂停 Pause'}</button>
              </Show>
            </div>
            <Show when={error()}><p role="alert" class="error">{error()}</p></Show>
            <details>
              <summary>排期 Schedule</summary>
              <form class="launch" onSubmit={schedule}>
                <label>方式 Kind <select name="kind"><option value="recurring">周期 recurring</option><option value="once">一次 once</option></select></label>
                <label>Cron（城市时间 city time） <input name="cron" value={d().schedule?.kind === 'recurring' ? (d().schedule as { cron: string }).cron : '0 9 1 * *'} /></label>
                <label>一次 Once at <input name="at" type="datetime-local" /></label>
                <label>跳过日期 Skip dates <input name="skipDates" value={d().skipDates.join(', ')} placeholder="2026-10-01, 2027-01-01" /></label>
                <label>重叠 Overlap <select name="overlap"><For each={['skip', 'buffer-one', 'cancel-other', 'allow-all']}>{(o) => <option value={o} selected={o === d().overlap}>{o}</option>}</For></select></label>
                <button type="submit">保存排期 Save schedule</button>
              </form>
            </details>
            <h3>演练记录 Runs</h3>
            <table>
              <thead><tr><th>开始 Started</th><th>状态 Status</th><th>注入 Injects</th><th>报告 Report</th></tr></thead>
              <tbody>
                <For each={d().runs} fallback={<tr><td colSpan={4}>暂无 None</td></tr>}>
                  {(r) => (
                    <tr>
                      <td>{time(r.startedAt ?? r.startsAt)}</td>
                      <td>{r.status}{r.endedReason ? ` · ${r.endedReason}` : ''}</td>
                      <td>{r.fed.map((f) => `${f.id}: ${f.outcome}`).join('; ') || '—'}</td>
                      <td>
                        <Show when={r.startedAt} fallback={<span>{time(r.startsAt)} 开始 starts </span>}>
                          <button onClick={() => setWatching(r.runId)}>实时 Watch</button>{' '}
                        </Show>
                        <a href={`/api/drills/${d().id}/runs/${r.runId}/report.html`} target="_blank" rel="noopener">HTML</a>{' · '}
                        <a href={`/api/drills/${d().id}/runs/${r.runId}/report.csv`}>CSV</a>{' · '}
                        <a href={`/api/drills/${d().id}/runs/${r.runId}/report`} target="_blank" rel="noopener">JSON</a>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
            <Show when={watching()}>{(runId) => props.watch(runId())}</Show>
          </>
        )}
      </Show>
    </section>
  );
}
