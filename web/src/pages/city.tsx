import { createResource, createSignal, For, Show } from 'solid-js';
import { api, problemText, type Facility, type Playbook, type PlaybookError, type Zone } from '../api';
import { DataTable } from '../components/data-table';
import { formatTime, language, t, tr } from '../i18n';

interface Crew { id: string; name: string; specialty: string; zoneIds: string[] }
interface Member { id: string; crewId: string | null; name: string; phone: string; supervisor: boolean; language: string }
interface Shift { id: string; crewId: string; startsAt: string; endsAt: string; handoverNote: string | null }
interface Feed { id: string; name: string; kind: string; url: string; cron: string; health: string; lastOkAt: string | null; lastError: string | null; failures: number }

const named = (x: { name: string; nameEn: string | null }) => (language() === 'en' && x.nameEn ? x.nameEn : x.name);

export function ZonesPage() {
  const [zones] = createResource(() => api<{ zones: Zone[] }>('GET', '/api/zones').then((r) => r.zones));
  const [facilities] = createResource(() => api<{ facilities: Facility[] }>('GET', '/api/facilities').then((r) => r.facilities));
  return (
    <main id="main" class="page">
      <DataTable caption={t('zones')} rows={zones()} columns={[
        { label: 'id', cell: (z) => z.id }, { label: t('name'), cell: named }, { label: t('type'), cell: (z) => z.tier }, { label: '↑', cell: (z) => z.parentId ?? '—' },
      ]} />
      <DataTable caption={t('facilities')} rows={facilities()} columns={[
        { label: 'id', cell: (f) => f.id }, { label: t('name'), cell: named }, { label: t('type'), cell: (f) => f.type }, { label: t('zone'), cell: (f) => f.zoneId },
        { label: 'lat, lon', cell: (f) => `${f.lat.toFixed(4)}, ${f.lon.toFixed(4)}` },
      ]} />
    </main>
  );
}

export function CrewsPage() {
  const [crews] = createResource(() => api<{ crews: Crew[] }>('GET', '/api/crews').then((r) => r.crews));
  const [members] = createResource(() => api<{ members: Member[] }>('GET', '/api/members').then((r) => r.members));
  const [rosters] = createResource(() => api<{ shifts: Shift[]; onDuty: Shift[] }>('GET', '/api/rosters'));
  const onDuty = (crewId: string) => rosters()?.onDuty.some((s) => s.crewId === crewId);
  return (
    <main id="main" class="page">
      <DataTable caption={t('crews')} rows={crews()} columns={[
        { label: 'id', cell: (c) => c.id }, { label: t('name'), cell: (c) => c.name }, { label: t('type'), cell: (c) => c.specialty },
        { label: t('zones'), cell: (c) => c.zoneIds.join(', ') }, { label: t('onDuty'), cell: (c) => (onDuty(c.id) ? '✓' : '') },
      ]} />
      <DataTable caption={t('members')} rows={members()} columns={[
        { label: 'id', cell: (m) => m.id }, { label: t('name'), cell: (m) => `${m.name}${m.supervisor ? ' ★' : ''}` }, { label: t('crewId'), cell: (m) => m.crewId ?? '—' },
        { label: t('phone'), cell: (m) => m.phone }, { label: t('language'), cell: (m) => m.language },
      ]} />
      <DataTable caption={t('rosters')} rows={rosters()?.shifts} columns={[
        { label: t('crewId'), cell: (s) => s.crewId }, { label: '⏵', cell: (s) => formatTime(s.startsAt) }, { label: '⏹', cell: (s) => formatTime(s.endsAt) }, { label: t('note'), cell: (s) => s.handoverNote ?? '' },
      ]} />
    </main>
  );
}

export function FeedsPage(props: { canPoll: boolean }) {
  const [feeds, { refetch }] = createResource(() => api<{ feeds: Feed[] }>('GET', '/api/feeds').then((r) => r.feeds));
  const [message, setMessage] = createSignal('');
  const poll = async (id: string) => {
    try { await api('POST', `/api/feeds/${encodeURIComponent(id)}/poll`); setMessage(`${id} ✓`); } catch (err) { setMessage(problemText(err)); }
    await refetch();
  };
  return (
    <main id="main" class="page">
      <Show when={message()}><p role="status">{message()}</p></Show>
      <DataTable caption={t('feeds')} rows={feeds()} columns={[
        { label: t('name'), cell: (f) => `${f.name} (${f.kind})` }, { label: t('health'), cell: (f) => <strong class={`flag health-${f.health}`}>{f.health}</strong> },
        { label: 'cron', cell: (f) => f.cron }, { label: 'OK', cell: (f) => formatTime(f.lastOkAt) }, { label: '✗', cell: (f) => (f.failures ? `${f.failures} · ${f.lastError ?? ''}` : '') },
        { label: t('actions'), cell: (f) => (props.canPoll ? <button type="button" onClick={() => void poll(f.id)}>{t('poll')}</button> : '') },
      ]} />
    </main>
  );
}

/** Playbooks are files reviewed like code; here they are read, and the ones that failed validation say why. */
export function PlaybooksPage() {
  const [data] = createResource(() => api<{ playbooks: Playbook[]; errors: PlaybookError[] }>('GET', '/api/playbooks'));
  return (
    <main id="main" class="page">
      <Show when={data()?.errors.length}>
        <section class="panel error-panel" aria-labelledby="pb-errors"><h2 id="pb-errors">{t('invalidPlaybooks')}</h2>
          <ul><For each={data()?.errors}>{(e) => <li role="alert"><code>{e.file}</code> · <code>{e.path}</code>: {e.problem}</li>}</For></ul>
        </section>
      </Show>
      <DataTable caption={t('playbooks')} rows={data()?.playbooks} columns={[
        { label: 'id', cell: (p) => p.id }, { label: t('name'), cell: (p) => tr(p.title) }, { label: t('hazard'), cell: (p) => p.hazard },
        { label: t('levels'), cell: (p) => p.levels.join(' ') }, { label: t('version'), cell: (p) => <code>{p.version.slice(0, 12)}</code> },
      ]} />
    </main>
  );
}
