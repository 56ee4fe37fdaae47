import { createResource, createSignal, For, onCleanup, Show } from 'solid-js';
import { api, problemText, type CrewTask } from '../api';
import { formatTime, levelName, statusName, t } from '../i18n';
import { subscribeToPush } from '../push';

const CREW_REFRESH_MS = 5000;
const openStatuses = new Set(['assigned', 'acknowledged', 'unassigned', 'awaiting-verification']);

/** One task with the crew's three answers, each a single tap. */
export function TaskCard(props: { task: CrewTask; onAnswer: (verb: 'ack' | 'done' | 'help') => Promise<void> }) {
  const [busy, setBusy] = createSignal(false);
  const answer = async (verb: 'ack' | 'done' | 'help') => {
    setBusy(true);
    try { await props.onAnswer(verb); } finally { setBusy(false); }
  };
  return (
    <article class={`task-card level-${props.task.level}`} aria-label={`${t('taskLink')} ${props.task.code}`}>
      <h2>{props.task.drill ? `【${t('drill')}】` : ''}{props.task.code} · {props.task.title}</h2>
      <p>{levelName(props.task.level)} · {props.task.zoneId} · {formatTime(props.task.createdAt)}</p>
      <p class="task-status">{t('status')}: <strong data-status={props.task.status}>{statusName(props.task.status)}</strong>
        <Show when={props.task.acknowledgedAt}> · {t('acknowledged')} {formatTime(props.task.acknowledgedAt, 'time')}</Show>
        <Show when={props.task.doneAt}> · {t('done')} {formatTime(props.task.doneAt, 'time')}</Show>
      </p>
      <Show when={openStatuses.has(props.task.status)}>
        <div class="big-buttons">
          <Show when={props.task.status === 'assigned'}><button type="button" class="primary" disabled={busy()} onClick={() => void answer('ack')}>{t('ack')}</button></Show>
          <button type="button" disabled={busy()} onClick={() => void answer('done')}>{t('finished')}</button>
          <button type="button" class="danger" disabled={busy()} onClick={() => void answer('help')}>{t('help')}</button>
        </div>
      </Show>
    </article>
  );
}

export function PushButton(props: { linkToken?: string }) {
  const [state, setState] = createSignal('');
  const subscribe = async () => {
    try {
      await subscribeToPush(props.linkToken);
      setState(t('pushOn'));
    } catch (err) {
      setState(`${t('pushUnsupported')} (${problemText(err)})`);
    }
  };
  return (
    <p class="push">
      <button type="button" onClick={() => void subscribe()}>{t('subscribePush')}</button>
      <Show when={state()}><span role="status"> {state()}</span></Show>
    </p>
  );
}

/** The crew member's phone: their crew's open tasks, newest first. */
export function CrewPage() {
  const [tasks, { refetch }] = createResource(() => api<{ tasks: CrewTask[] }>('GET', '/api/tasks').then((r) => r.tasks));
  const [error, setError] = createSignal('');
  // Crews are not on the officers' event stream (it carries every run); a phone refreshes its few tasks instead.
  const timer = setInterval(() => void refetch(), CREW_REFRESH_MS);
  onCleanup(() => clearInterval(timer));
  const answer = async (task: CrewTask, verb: 'ack' | 'done' | 'help') => {
    try {
      await api('POST', `/api/tasks/${task.id}/${verb}`);
      setError('');
    } catch (err) {
      setError(problemText(err));
    }
    await refetch();
  };
  const open = () => (tasks() ?? []).filter((x) => openStatuses.has(x.status));
  return (
    <main class="crew" id="main">
      <h1>{t('myTasks')}</h1>
      <PushButton />
      <Show when={error()}><p role="alert" class="error">{error()}</p></Show>
      <Show when={tasks()} fallback={<p>{t('loading')}</p>}>
        <For each={open()} fallback={<p>{t('none')}</p>}>{(task) => <TaskCard task={task} onAnswer={(verb) => answer(task, verb)} />}</For>
      </Show>
    </main>
  );
}
