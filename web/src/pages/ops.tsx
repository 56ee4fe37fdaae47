import { createResource, createSignal, Show } from 'solid-js';
import { api } from '../api';
import { ConfirmButton } from '../components/confirm-dialog';
import { CreateForm } from '../components/create-form';
import { DataTable } from '../components/data-table';
import { LineChart } from '../components/line-chart';
import { formatTime, levelName, t } from '../i18n';
import { href } from '../router';

interface TriggerRow { id: number; at: string; source: string; identifier: string; msgType: string; action: string; hazard: string | null; level: string | null; zoneId: string | null; runId: string | null; reason: string; by: string }
interface Sensor { id: string; name: string; metric: string; unit: string; zoneId: string; lastReadingAt: string | null; silent: boolean }
interface Rule { id: string; kind: string; sensorId: string | null; zoneId: string | null; metric: string | null; hazard: string | null; level: string | null; above: number | null; clearBelow: number | null; tripped: boolean }

/** Every warning and reading that reached (or was kept from) a run, and why. */
export function TriggersPage() {
  const [rows] = createResource(() => api<{ triggers: TriggerRow[] }>('GET', '/api/triggers?limit=200').then((r) => r.triggers));
  return (
    <main id="main" class="page">
      <DataTable caption={t('triggers')} rows={rows()} columns={[
        { label: t('time'), cell: (r) => formatTime(r.at) },
        { label: t('source'), cell: (r) => `${r.source} · ${r.identifier}` },
        { label: t('action'), cell: (r) => `${r.msgType} → ${r.action}` },
        { label: t('hazard'), cell: (r) => r.hazard ?? '—' },
        { label: t('level'), cell: (r) => (r.level ? levelName(r.level) : '—') },
        { label: t('zone'), cell: (r) => r.zoneId ?? '—' },
        { label: t('reason'), cell: (r) => r.reason },
        { label: t('openRuns'), cell: (r) => (r.runId ? <a href={href('run', r.runId)}>{r.runId.slice(0, 12)}</a> : '—') },
      ]} />
    </main>
  );
}

/** Sensors with their last reading and silence, one sensor's recent readings as a chart, and the rules. */
export function SensorsPage(props: { canEdit: boolean }) {
  const [sensors] = createResource(() => api<{ sensors: Sensor[] }>('GET', '/api/sensors').then((r) => r.sensors));
  const [rules, { refetch: refetchRules }] = createResource(() => api<{ rules: Rule[] }>('GET', '/api/sensors/rules').then((r) => r.rules));
  const [chosen, setChosen] = createSignal('');
  const [readings] = createResource(chosen, (id) => api<{ readings: { time: string; value: number; unit: string }[] }>('GET', `/api/sensors/${encodeURIComponent(id)}/readings`).then((r) => r.readings));
  const sensor = () => sensors()?.find((s) => s.id === chosen());
  return (
    <main id="main" class="page">
      <DataTable caption={t('sensors')} rows={sensors()} columns={[
        { label: t('name'), cell: (s) => <button type="button" class="link" aria-pressed={chosen() === s.id} onClick={() => setChosen(s.id)}>{s.name}</button> },
        { label: t('type'), cell: (s) => `${s.metric} (${s.unit})` },
        { label: t('zone'), cell: (s) => s.zoneId },
        { label: t('lastReading'), cell: (s) => formatTime(s.lastReadingAt) },
        { label: t('silent'), cell: (s) => (s.silent ? <strong class="flag health-silent">{t('silent')}</strong> : '') },
      ]} />
      <Show when={sensor()}>
        {(s) => (
          <section class="panel" aria-labelledby="readings-h">
            <h2 id="readings-h">{t('readings')}: {s().name}</h2>
            <Show when={readings()} fallback={<p>{t('loading')}</p>}>
              {(points) => <LineChart points={points()} unit={s().unit} label={s().name} />}
            </Show>
          </section>
        )}
      </Show>
      <DataTable caption={t('rules')} rows={rules()} columns={[
        { label: 'id', cell: (r) => r.id },
        { label: t('type'), cell: (r) => r.kind },
        { label: t('sensors'), cell: (r) => r.sensorId ?? r.zoneId ?? '—' },
        { label: t('hazard'), cell: (r) => `${r.hazard ?? '—'} ${r.level ? levelName(r.level) : ''}` },
        { label: '>', cell: (r) => `${r.above ?? '—'} / ${r.clearBelow ?? '—'}` },
        { label: t('tripped'), cell: (r) => (r.tripped ? <strong class="flag health-failing">{t('tripped')}</strong> : '') },
        { label: t('actions'), cell: (r) => (props.canEdit ? <ConfirmButton label={t('delete')} question={`${t('deleteQuestion')} ${r.id}`} danger onConfirm={async () => { await api('DELETE', `/api/sensors/rules/${encodeURIComponent(r.id)}`); await refetchRules(); }} /> : '') },
      ]} />
      <Show when={props.canEdit}>
        <CreateForm title={`+ ${t('rules')}`} onSubmit={async (b) => { await api('POST', '/api/sensors/rules', b); await refetchRules(); }} fields={[
          { name: 'kind', label: t('type'), kind: 'select', options: ['threshold', 'rate-of-change', 'silent'], required: true },
          { name: 'sensorId', label: t('sensors'), kind: 'select', options: (sensors() ?? []).map((x) => x.id) }, { name: 'zoneId', label: t('zone') },
          { name: 'metric', label: 'metric', kind: 'select', options: ['rainfall', 'water-level', 'wind-speed', 'gas-concentration', 'pump-status', 'flow'] },
          { name: 'hazard', label: t('hazard') }, { name: 'playbookId', label: t('playbook') }, { name: 'level', label: t('level'), kind: 'select', options: ['IV', 'III', 'II', 'I'] },
          { name: 'above', label: '>', kind: 'number' }, { name: 'clearBelow', label: '<', kind: 'number' }, { name: 'sustainedSeconds', label: 's', kind: 'number' },
          { name: 'windowSeconds', label: 'window (s)', kind: 'number' }, { name: 'silentSeconds', label: `${t('silent')} (s)`, kind: 'number' },
        ]} />
      </Show>
    </main>
  );
}
