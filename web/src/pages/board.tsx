import { createMemo, createResource, createSignal, For, Show } from 'solid-js';
import { api, problemText, type Facility, type Playbook, type RunSummary, type Zone } from '../api';
import { ZoneMap } from '../components/zone-map';
import { formatTime, levelName, t, tr } from '../i18n';
import type { LiveRuns } from '../live';
import { href } from '../router';

const levels = ['IV', 'III', 'II', 'I'];
interface Feed { id: string; name: string; health: string; lastError: string | null }

/** The duty officer's board: open runs as they change, the map, feed health, and launching a run. */
export function BoardPage(props: { live: LiveRuns; canLaunch: boolean }) {
  const [zones] = createResource(() => api<{ zones: Zone[] }>('GET', '/api/zones').then((r) => r.zones));
  const [facilities] = createResource(() => api<{ facilities: Facility[] }>('GET', '/api/facilities').then((r) => r.facilities));
  const [feeds] = createResource(() => api<{ feeds: Feed[] }>('GET', '/api/feeds').then((r) => r.feeds).catch(() => []));
  const [hazard, setHazard] = createSignal('');
  const [zone, setZone] = createSignal('');
  const [level, setLevel] = createSignal('');
  const shown = createMemo(() => props.live.runs().filter((r) => (!hazard() || r.hazard === hazard()) && (!zone() || r.zoneId === zone()) && (!level() || r.level === level())));
  const hazards = createMemo(() => [...new Set(props.live.runs().map((r) => r.hazard))].sort());
  const zoneName = (id: string) => zones()?.find((z) => z.id === id)?.name ?? id;
  const troubled = () => (feeds() ?? []).filter((f) => f.health !== 'ok' && f.health !== 'disabled');
  return (
    <div class="board">
      <section aria-labelledby="runs-h" class="panel">
        <h2 id="runs-h">{t('openRuns')} <span class="live-dot" classList={{ on: props.live.connected() }} role="status">{props.live.connected() ? t('live') : t('reconnecting')}</span></h2>
        <Show when={troubled().length}>
          <ul class="flags" aria-label={t('feedFlags')}>
            <For each={troubled()}>{(f) => <li class={`flag health-${f.health}`}><a href={href('feeds')}>{f.name}: {f.health}</a></li>}</For>
          </ul>
        </Show>
        <div class="filters" role="group" aria-label="filters">
          <label>{t('hazard')}<select value={hazard()} onChange={(e) => setHazard(e.currentTarget.value)}><option value="">{t('all')}</option><For each={hazards()}>{(h) => <option value={h}>{h}</option>}</For></select></label>
          <label>{t('zone')}<select value={zone()} onChange={(e) => setZone(e.currentTarget.value)}><option value="">{t('all')}</option><For each={zones() ?? []}>{(z) => <option value={z.id}>{z.name}</option>}</For></select></label>
          <label>{t('level')}<select value={level()} onChange={(e) => setLevel(e.currentTarget.value)}><option value="">{t('all')}</option><For each={levels}>{(l) => <option value={l}>{levelName(l)}</option>}</For></select></label>
        </div>
        <ul class="runs" aria-live="polite">
          <For each={shown()} fallback={<li>{t('none')}</li>}>
            {(run: RunSummary) => (
              <li>
                <a class={`run-card level-${run.level}`} href={href('run', run.id)} data-run-id={run.id}>
                  <strong>{run.drill ? `【${t('drill')}】` : ''}{run.hazard} · {zoneName(run.zoneId)}</strong>
                  <span class="badge">{levelName(run.level)}</span>
                  <small>{formatTime(run.startedAt)} · {run.reason}</small>
                </a>
              </li>
            )}
          </For>
        </ul>
        <Show when={props.canLaunch}><Launch zones={zones() ?? []} /></Show>
      </section>
      <section aria-labelledby="map-h" class="panel">
        <h2 id="map-h">{t('map')}</h2>
        <ZoneMap zones={zones() ?? []} facilities={facilities() ?? []} runs={props.live.runs()} />
      </section>
    </div>
  );
}

function Launch(props: { zones: Zone[] }) {
  const [playbooks] = createResource(() => api<{ playbooks: Playbook[] }>('GET', '/api/playbooks').then((r) => r.playbooks));
  const [error, setError] = createSignal('');
  const [launched, setLaunched] = createSignal('');
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    try {
      const started = await api<{ runId: string }>('POST', '/api/runs', {
        playbookId: form.get('playbookId'), zoneId: form.get('zoneId'), level: form.get('level'), reason: form.get('reason'), drill: form.get('drill') === 'on',
      });
      setError('');
      // Stay on the board: the run shows up in the list through the live stream, like anyone else's.
      setLaunched(started.runId);
    } catch (err) {
      setError(problemText(err));
    }
  };
  return (
    <details class="launch">
      <summary>{t('launchRun')}</summary>
      <form onSubmit={(e) => void submit(e)}>
        <label>{t('playbook')}<select name="playbookId" required><For each={playbooks() ?? []}>{(p) => <option value={p.id}>{tr(p.title)}</option>}</For></select></label>
        <label>{t('zone')}<select name="zoneId" required><For each={props.zones}>{(z) => <option value={z.id}>{z.name} ({z.id})</option>}</For></select></label>
        <label>{t('level')}<select name="level"><For each={levels}>{(l) => <option value={l}>{levelName(l)}</option>}</For></select></label>
        <label>{t('reason')}<input name="reason" required /></label>
        <label class="inline"><input type="checkbox" name="drill" /> {t('drill')}</label>
        <button type="submit">{t('launch')}</button>
        <Show when={error()}><p role="alert" class="error">{error()}</p></Show>
        <Show when={launched()}><p role="status">{t('launched')}: <a href={href('run', launched())}>{launched()}</a></p></Show>
      </form>
    </details>
  );
}
