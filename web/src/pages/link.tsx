import { createResource, createSignal, Show } from 'solid-js';
import { api, problemText, type CrewTask } from '../api';
import { t } from '../i18n';
import { registerServiceWorker } from '../push';
import { PushButton, TaskCard } from './crew';

/** The page behind the signed link in a task's SMS: no sign-in, the link itself is the credential. */
export function LinkPage(props: { token: string }) {
  const path = `/api/links/${encodeURIComponent(props.token)}`;
  const [link, { refetch }] = createResource(() => api<{ task: Omit<CrewTask, 'drill' | 'hazard' | 'level'> }>('GET', path));
  const [error, setError] = createSignal('');
  // The worker must be there before the member turns push on, and answers notifications' buttons after.
  void registerServiceWorker().catch(() => undefined);
  const answer = async (verb: 'ack' | 'done' | 'help') => {
    try {
      await api('POST', `${path}/${verb}`);
      setError('');
    } catch (err) {
      setError(problemText(err));
    }
    await refetch();
  };
  return (
    <main class="crew" id="main">
      <h1>{t('taskLink')}</h1>
      <Show when={!link.error} fallback={<p role="alert" class="error">{t('linkInvalid')}</p>}>
        <Show when={link()} fallback={<p>{t('loading')}</p>}>
          {(l) => <TaskCard task={{ drill: false, hazard: '', level: '', ...l().task }} onAnswer={answer} />}
        </Show>
        <PushButton linkToken={props.token} />
      </Show>
      <Show when={error()}><p role="alert" class="error">{error()}</p></Show>
    </main>
  );
}
