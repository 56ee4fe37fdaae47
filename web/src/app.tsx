import { createResource, createSignal, For, onCleanup, Show } from 'solid-js';
import { api, ApiProblem, login, logout, type Me, type Playbook, type RunDetail, type RunSummary } from './api';
import { Drills } from './drills';
import { Campaigns } from './campaigns';
import './style.css';

const levelName: Record<string, string> = { IV: 'IV 蓝 Blue', III: 'III 黄 Yellow', II: 'II 橙 Orange', I: 'I 红 Red' };
const time = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

export function App() {
  const [me, setMe] = createSignal<Me | undefined>();
  const [checked] = createResource(async () => {
    try {
      setMe(await api<Me>('GET', '/api/auth/me'));
    } catch { /* not signed in */ }
    return true;
  });
  return (
    <Show when={checked()}>
      <Show when={me()} fallback={<Login onIn={setMe} />}>
        {(user) => <Console me={user()} onOut={() => { void logout(); setMe(undefined); }} />}
      </Show>
    </Show>
  );
}

function Login(props: { onIn: (me: Me) => void }) {
  const [error, setError] = createSignal('');
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    try {
      props.onIn(await login(String(form.get('username')), String(form.get('password'))));
    } catch (err) {
      setError(err instanceof ApiProblem ? err.message : '登录失败 Sign-in failed');
    }
  };
  return (
    <main class="login">
      <h1>Stormdesk 城市应急值守</h1>
      <form onSubmit={submit}>
        <label>用户名 Username <input name="username" autocomplete="username" required /></label>
        <label>密码 Password <input name="password" type="password" autocomplete="current-password" required /></label>
        <button type="submit">登录 Sign in</button>
        <Show when={error()}><p role="alert" class="error">{error()}</p></Show>
      </form>
    </main>
  );
}

function Console(props: { me: Me; onOut: () => void }) {
  const [runs, { refetch }] = createResource(() => api<{ runs: RunSummary[] }>('GET', '/api/runs?status=open'));
  const [selected, setSelected] = createSignal<string | undefined>();
  const [page, setPage] = createSignal<'board' | 'inbox' | 'drills' | 'checks'>(props.me.role === 'drill-coordinator' ? 'drills' : 'board');
  // A live stream arrives with the full console; until then the board refreshes every few seconds.
  const timer = setInterval(() => void refetch(), 5000);
  onCleanup(() => clearInterval(timer));
  return (
    <div class="console">
      <header>
        <h1>Stormdesk 值班台</h1>
        <nav>
          <button aria-pressed={page() === 'board'} onClick={() => setPage('board')}>值班台 Board</button>
          <button aria-pressed={page() === 'drills'} onClick={() => setPage('drills')}>演练 Drills</button>
          <button aria-pressed={page() === 'inbox'} onClick={() => setPage('inbox')}>消息 Outbox</button>
          <button aria-pressed={page() === 'checks'} onClick={() => setPage('checks')}>城市体检 City checks</button>
        </nav>
        <span>{props.me.username} · {props.me.role}</span>
        <button onClick={props.onOut}>退出 Sign out</button>
      </header>
      <Show when={page() === 'inbox'}><Inbox /></Show>
      <Show when={page() === 'drills'}><Drills watch={(runId) => <RunPanel id={runId} onChanged={() => void refetch()} />} /></Show>
      <Show when={page() === 'checks'}><Campaigns /></Show>
      <div class="columns" hidden={page() !== 'board'}>
        <section aria-label="运行中 Open runs">
          <h2>运行中 Open runs</h2>
          <Launch onLaunched={() => void refetch()} />
          <ul class="runs">
            <For each={runs()?.runs ?? []} fallback={<li>暂无 None</li>}>
              {(run) => (
                <li classList={{ selected: selected() === run.id }}>
                  <button class={`level-${run.level}`} onClick={() => setSelected(run.id)}>
                    <strong>{run.drill ? '【演练】' : ''}{run.hazard}</strong> · {run.zoneId} · {levelName[run.level] ?? run.level}
                    <small>{time(run.startedAt)} · {run.reason}</small>
                  </button>
                </li>
              )}
            </For>
          </ul>
        </section>
        <Show when={selected()}>{(id) => <RunPanel id={id()} onChanged={() => void refetch()} />}</Show>
      </div>
    </div>
  );
}

function Launch(props: { onLaunched: () => void }) {
  const [playbooks] = createResource(() => api<{ playbooks: Playbook[] }>('GET', '/api/playbooks'));
  const [error, setError] = createSignal('');
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    try {
      await api('POST', '/api/runs', { playbookId: form.get('playbookId'), zoneId: form.get('zoneId'), level: form.get('level'), reason: form.get('reason') });
      setError('');
      props.onLaunched();
    } catch (err) {
      setError(err instanceof ApiProblem ? err.message : String(err));
    }
  };
  return (
    <form class="launch" onSubmit={submit}>
      <label>预案 Playbook <select name="playbookId" required><For each={playbooks()?.playbooks ?? []}>{(p) => <option value={p.id}>{p.title['zh-CN']} / {p.title.en}</option>}</For></select></label>
      <label>区域 Zone <input name="zoneId" value="renhe" required /></label>
      <label>级别 Level <select name="level"><For each={['IV', 'III', 'II', 'I']}>{(l) => <option value={l}>{levelName[l]}</option>}</For></select></label>
      <label>原因 Reason <input name="reason" required /></label>
      <button type="submit">启动 Launch</button>
      <Show when={error()}><p role="alert" class="error">{error()}</p></Show>
    </form>
  );
}

function RunPanel(props: { id: string; onChanged: () => void }) {
  const [run, { refetch }] = createResource(() => props.id, (id) => api<RunDetail>('GET', `/api/runs/${id}`));
  const [error, setError] = createSignal('');
  const act = async (body: Record<string, unknown>, confirmText?: string) => {
    if (confirmText && !window.confirm(confirmText)) return;
    try {
      await api('POST', `/api/runs/${props.id}/actions`, body);
      setError('');
      await refetch();
      props.onChanged();
    } catch (err) {
      setError(err instanceof ApiProblem ? err.message : String(err));
    }
  };
  const timer = setInterval(() => void refetch(), 3000);
  onCleanup(() => clearInterval(timer));
  return (
    <section class="run" aria-label="运行详情 Run">
      <Show when={run()}>
        {(r) => (
          <>
            <h2>{r().playbookId} · {r().zoneId} · {levelName[r().state?.level ?? r().level]}</h2>
            <p><a href={`/api/runs/${r().id}/report.html`} target="_blank" rel="noopener">报告 Report</a></p>
            <Show when={error()}><p role="alert" class="error">{error()}</p></Show>
            <ol class="steps">
              <For each={r().state?.steps ?? []}>
                {(s) => (
                  <li class={`status-${s.status}`} style={{ 'margin-left': s.parentId ? '1.5em' : '0' }}>
                    <span>{s.title['zh-CN']} / {s.title.en}</span> <em>{s.status}</em>
                    <Show when={(s.status === 'running' || s.status === 'waiting-ack') && s.items}>
                      <For each={s.items?.filter((i) => !i.tickedAt) ?? []}>
                        {(item) => <button onClick={() => void act({ type: 'tick', stepId: s.id, itemId: item.id })}>✓ {item.label['zh-CN']}</button>}
                      </For>
                    </Show>
                    <Show when={s.status === 'running' && s.decision && !s.decision.chosen}>
                      <For each={s.decision?.options ?? []}>
                        {(o) => <button onClick={() => void act({ type: 'decide', stepId: s.id, optionId: o.id })}>{o.label['zh-CN']}</button>}
                      </For>
                    </Show>
                  </li>
                )}
              </For>
            </ol>
            <h3>任务 Tasks</h3>
            <ul><For each={r().state?.tasks ?? []}>{(t) => <li>{t.code} · {t.title['zh-CN']} · {t.crewId ?? '—'} · <em>{t.status}</em></li>}</For></ul>
            <div class="actions">
              <button onClick={() => { const reason = window.prompt('解除原因 Reason to stand down'); if (reason) void act({ type: 'stand-down', reason }, `确认解除？ Stand down this run?`); }}>解除 Stand down</button>
            </div>
            <h3>时间线 Timeline</h3>
            <ol class="timeline"><For each={[...r().timeline].reverse().slice(0, 50)}>{(e) => <li><time>{time(e.at)}</time> {e.actor}: {e.message}</li>}</For></ol>
          </>
        )}
      </Show>
    </section>
  );
}

interface OutboxMessage { id: string; memberId: string; channel: string; to: string; body: string; status: string; provider: string | null; createdAt: string; drill: boolean }

/** The dev inbox: every message, as the crews would get it (and all of them when no provider is set). */
function Inbox() {
  const [messages, { refetch }] = createResource(() => api<{ messages: OutboxMessage[] }>('GET', '/api/outbox?limit=200'));
  const timer = setInterval(() => void refetch(), 5000);
  onCleanup(() => clearInterval(timer));
  return (
    <section class="inbox" aria-label="消息 Outbox">
      <h2>消息 Outbox</h2>
      <table>
        <thead><tr><th>时间 Time</th><th>成员 Member</th><th>渠道 Channel</th><th>状态 Status</th><th>内容 Message</th></tr></thead>
        <tbody>
          <For each={messages()?.messages ?? []}>
            {(m) => <tr><td>{time(m.createdAt)}</td><td>{m.memberId}<br /><small>{m.channel === 'sms' ? m.to : ''}</small></td><td>{m.channel}</td><td>{m.status}</td><td>{m.body}</td></tr>}
          </For>
        </tbody>
      </table>
    </section>
  );
}
