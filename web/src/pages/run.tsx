import { createEffect, createResource, createSignal, For, on, Show } from 'solid-js';
import { api, problemText, type Playbook, type RunDetail, type Step, type Task, type Zone } from '../api';
import { ConfirmButton } from '../components/confirm-dialog';
import { formatTime, language, levelName, statusName, t, tr } from '../i18n';
import type { LiveRuns } from '../live';

const levels = ['IV', 'III', 'II', 'I'];
/** Tasks that need nothing more from the officer. */
const settled = new Set(['verified', 'waived', 'cancelled']);
const active = (s: Step) => s.status === 'running' || s.status === 'waiting-ack';

/** One run: its plan, tasks, level history, notes and timeline, and the officer's actions on it. */
export function RunPage(props: { id: string; live: LiveRuns; canAct: boolean }) {
  const [run, { refetch }] = createResource(() => props.id, (id) => api<RunDetail>('GET', `/api/runs/${id}`));
  const [names] = createResource(async () => {
    const [playbooks, zones] = await Promise.all([api<{ playbooks: Playbook[] }>('GET', '/api/playbooks'), api<{ zones: Zone[] }>('GET', '/api/zones')]);
    return { playbooks: playbooks.playbooks, zones: zones.zones };
  });
  const playbookTitle = (id: string) => tr(names()?.playbooks.find((p) => p.id === id)?.title) || id;
  const zoneName = (id: string) => { const z = names()?.zones.find((x) => x.id === id); return z ? (language() === 'en' && z.nameEn ? z.nameEn : z.name) : id; };
  const [crews] = createResource(() => api<{ crews: { id: string; name: string }[] }>('GET', '/api/crews').then((r) => r.crews));
  const [error, setError] = createSignal('');
  const [notice, setNotice] = createSignal('');
  // The stream says when this run changed; only then is the detail read again.
  createEffect(on(props.live.lastChange, (changed) => { if (changed?.id === props.id) void refetch(); }, { defer: true }));
  const act = async (body: Record<string, unknown>) => {
    try {
      const result = await api<{ message: string }>('POST', `/api/runs/${props.id}/actions`, body);
      setError('');
      setNotice(result.message);
      await refetch();
    } catch (err) {
      setError(problemText(err));
    }
  };
  const open = () => run()?.status === 'open' && props.canAct;
  return (
    <main class="run-page" id="main">
      <Show when={run()} fallback={<p>{t('loading')}</p>}>
        {(r) => (
          <>
            <header class={`run-head level-${r().state?.level ?? r().level}`}>
              <h2>{r().drill ? `【${t('drill')}】` : ''}{playbookTitle(r().playbookId)} · {zoneName(r().zoneId)} · <span class="badge">{levelName(r().state?.level ?? r().level)}</span></h2>
              <p><span data-status={r().status}>{statusName(r().status)}</span> · {statusName(r().state?.phase)} · {formatTime(r().startedAt)} · {r().reason}</p>
              <p><a href={`/api/runs/${r().id}/report.html`} target="_blank" rel="noopener">{t('report')}</a></p>
            </header>
            <Show when={error()}><p role="alert" class="error">{error()}</p></Show>
            <Show when={notice()}><p role="status">{notice()}</p></Show>
            <Show when={open()}>
              <section class="actions panel" aria-label={t('actions')}>
                <LevelChange current={r().state?.level ?? r().level} onChange={(type, level, reason) => act({ type, level, reason })} />
                <form class="row" onSubmit={(e) => { e.preventDefault(); const f = e.currentTarget; void act({ type: 'note', text: new FormData(f).get('text') }).then(() => f.reset()); }}>
                  <label>{t('note')}<input name="text" required /></label>
                  <button type="submit">{t('addNote')}</button>
                </form>
                <ConfirmButton label={t('standDown')} question={t('standDownQuestion')} reasonLabel={t('reason')} danger onConfirm={(reason) => act({ type: 'stand-down', reason })} />
              </section>
            </Show>
            <div class="columns">
              <section aria-labelledby="plan-h" class="panel">
                <h3 id="plan-h">{t('plan')}</h3>
                <ol class="steps">
                  <For each={r().state?.steps ?? []}>
                    {(s) => (
                      <li class={`step status-${s.status}`} classList={{ child: !!s.parentId }}>
                        <span>{tr(s.title)}</span> <em data-status={s.status}>{statusName(s.status)}{s.paused ? ' ⏸' : ''}</em>
                        <Show when={s.timerEndsAt}><small> ⏱ {formatTime(s.timerEndsAt, 'time')}</small></Show>
                        <Show when={s.reason}><small> · {s.reason}</small></Show>
                        <Show when={s.items}>
                          <ul class="checklist">
                            <For each={s.items ?? []}>
                              {(item) => (
                                <li>
                                  <Show when={!item.tickedAt && open() && active(s)} fallback={<span>{item.tickedAt ? '☑' : '☐'} {tr(item.label)} <small>{item.tickedBy ?? ''} {item.tickedAt ? formatTime(item.tickedAt, 'time') : ''}</small></span>}>
                                    <button type="button" onClick={() => void act({ type: 'tick', stepId: s.id, itemId: item.id })}>☐ {tr(item.label)}</button>
                                  </Show>
                                </li>
                              )}
                            </For>
                          </ul>
                        </Show>
                        <Show when={s.decision && !s.decision.chosen && open() && active(s)}>
                          <div class="row" role="group" aria-label={t('decide')}>
                            <For each={s.decision?.options ?? []}>{(o) => <button type="button" onClick={() => void act({ type: 'decide', stepId: s.id, optionId: o.id })}>{tr(o.label)}</button>}</For>
                          </div>
                        </Show>
                        <Show when={s.decision?.chosen}><small> → {tr(s.decision?.options.find((o) => o.id === s.decision?.chosen)?.label)}</small></Show>
                      </li>
                    )}
                  </For>
                </ol>
              </section>
              <section aria-labelledby="tasks-h" class="panel">
                <h3 id="tasks-h">{t('tasks')}</h3>
                <table>
                  <thead><tr><th scope="col">{t('tasks')}</th><th scope="col">{t('assignee')}</th><th scope="col">{t('status')}</th><th scope="col">{t('created')}</th><th scope="col">{t('acknowledged')}</th><th scope="col">{t('done')}</th><Show when={open()}><th scope="col">{t('actions')}</th></Show></tr></thead>
                  <tbody>
                    <For each={r().state?.tasks ?? []} fallback={<tr><td colSpan={7}>{t('none')}</td></tr>}>
                      {(task: Task) => (
                        <tr>
                          <td>{task.code} · {tr(task.title)}<Show when={task.place}><br /><small>{tr(task.place)}</small></Show></td>
                          <td>{task.crewId ?? '—'}</td>
                          <td data-status={task.status}>{statusName(task.status)}{task.helpRequested ? ` · ${t('helpRequested')}` : ''}</td>
                          <td>{formatTime(task.assignedAt ?? task.createdAt, 'time')}</td>
                          <td>{formatTime(task.acknowledgedAt, 'time')}</td>
                          <td>{formatTime(task.doneAt, 'time')}</td>
                          <Show when={open()}>
                            <td>
                              <Show when={!settled.has(task.status)}>
                                <div class="row">
                                  <Show when={task.status === 'awaiting-verification' || task.status === 'done'}><button type="button" onClick={() => void act({ type: 'verify', taskId: task.id })}>{t('verify')} {task.code}</button></Show>
                                  <ConfirmButton label={`${t('waive')} ${task.code}`} question={t('waiveQuestion')} reasonLabel={t('reason')} onConfirm={(reason) => act({ type: 'waive', taskId: task.id, reason })} />
                                </div>
                                <Reassign task={task} crews={crews() ?? []} onReassign={(crewId) => act({ type: 'reassign', taskId: task.id, crewId })} />
                              </Show>
                            </td>
                          </Show>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
                <h3>{t('levelHistory')}</h3>
                <ol><For each={r().state?.levelHistory ?? []}>{(h) => <li><time>{formatTime(h.at)}</time> {levelName(h.level)} · {h.by} · {h.reason}</li>}</For></ol>
                <h3>{t('notes')}</h3>
                <ul><For each={r().state?.notes ?? []} fallback={<li>{t('none')}</li>}>{(n) => <li><time>{formatTime(n.at)}</time> {n.by}: {n.text}</li>}</For></ul>
              </section>
            </div>
            <section aria-labelledby="timeline-h" class="panel">
              <h3 id="timeline-h">{t('timeline')}</h3>
              <ol class="timeline"><For each={[...r().timeline].reverse().slice(0, 100)}>{(e) => <li><time>{formatTime(e.at)}</time> {e.actor}: {e.message}</li>}</For></ol>
            </section>
          </>
        )}
      </Show>
    </main>
  );
}

function LevelChange(props: { current: string; onChange: (type: 'escalate' | 'downgrade', level: string, reason: string) => void }) {
  const [level, setLevel] = createSignal('');
  const type = () => (levels.indexOf(level()) > levels.indexOf(props.current) ? 'escalate' : 'downgrade');
  return (
    <div class="row">
      <label>{t('level')}<select value={level()} onChange={(e) => setLevel(e.currentTarget.value)}>
        <option value="">—</option>
        <For each={levels.filter((l) => l !== props.current)}>{(l) => <option value={l}>{levelName(l)}</option>}</For>
      </select></label>
      <Show when={level()}>
        <ConfirmButton label={`${type() === 'escalate' ? t('escalate') : t('downgrade')} → ${levelName(level())}`} question={t('escalateQuestion')} reasonLabel={t('reason')} onConfirm={(reason) => { props.onChange(type(), level(), reason); setLevel(''); }} />
      </Show>
    </div>
  );
}

function Reassign(props: { task: Task; crews: { id: string; name: string }[]; onReassign: (crewId: string) => void }) {
  const [crewId, setCrewId] = createSignal('');
  return (
    <div class="row">
      <label class="sr-only" for={`reassign-${props.task.id}`}>{t('reassign')} {props.task.code}</label>
      <select id={`reassign-${props.task.id}`} value={crewId()} onChange={(e) => setCrewId(e.currentTarget.value)}>
        <option value="">—</option>
        <For each={props.crews.filter((c) => c.id !== props.task.crewId)}>{(c) => <option value={c.id}>{c.name}</option>}</For>
      </select>
      <Show when={crewId()}><ConfirmButton label={t('reassign')} question={t('reassignQuestion')} onConfirm={() => { props.onReassign(crewId()); setCrewId(''); }} /></Show>
    </div>
  );
}
