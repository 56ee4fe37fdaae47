import { createResource, createSignal, For, Show } from 'solid-js';
import { api, problemText, type Facility, type Playbook, type PlaybookError, type Zone } from '../api';
import { ConfirmButton } from '../components/confirm-dialog';
import { CreateForm } from '../components/create-form';
import { DataTable } from '../components/data-table';
import { formatTime, language, t, tr } from '../i18n';

interface Crew { id: string; name: string; specialty: string; zoneIds: string[] }
interface Member { id: string; crewId: string | null; name: string; phone: string; supervisor: boolean; language: string }
interface Shift { id: string; crewId: string; startsAt: string; endsAt: string; handoverNote: string | null }
interface Feed { id: string; name: string; kind: string; url: string; cron: string; health: string; lastOkAt: string | null; lastError: string | null; failures: number }

const facilityTypes = ['underpass', 'waterlogging-point', 'pumping-station', 'gas-station', 'gas-regulator', 'sewage-plant', 'water-main', 'garbage-transfer-station', 'river-embankment', 'drain-inlet'];
const named = (x: { name: string; nameEn: string | null }) => (language() === 'en' && x.nameEn ? x.nameEn : x.name);

export function ZonesPage(props: { canEdit: boolean }) {
  const [zones] = createResource(() => api<{ zones: Zone[] }>('GET', '/api/zones').then((r) => r.zones));
  const [facilities, { refetch }] = createResource(() => api<{ facilities: Facility[] }>('GET', '/api/facilities').then((r) => r.facilities));
  return (
    <main id="main" class="page">
      <DataTable caption={t('zones')} rows={zones()} columns={[
        { label: 'id', cell: (z) => z.id }, { label: t('name'), cell: named }, { label: t('type'), cell: (z) => z.tier }, { label: '↑', cell: (z) => z.parentId ?? '—' },
      ]} />
      <DataTable caption={t('facilities')} rows={facilities()} columns={[
        { label: 'id', cell: (f) => f.id }, { label: t('name'), cell: named }, { label: t('type'), cell: (f) => f.type }, { label: t('zone'), cell: (f) => f.zoneId },
        { label: 'lat, lon', cell: (f) => `${f.lat.toFixed(4)}, ${f.lon.toFixed(4)}` },
      ]} />
      <Show when={props.canEdit}>
        <CreateForm title={`+ ${t('facility')}`} onSubmit={async (b) => { await api('POST', '/api/facilities', b); await refetch(); }} fields={[
          { name: 'id', label: 'id', hint: 'underpass-renmin' }, { name: 'name', label: t('name'), required: true }, { name: 'nameEn', label: `${t('name')} (English)` },
          { name: 'type', label: t('type'), kind: 'select', options: facilityTypes, required: true }, { name: 'zoneId', label: t('zone'), kind: 'select', options: (zones() ?? []).map((z) => z.id), required: true },
          { name: 'lat', label: 'lat', kind: 'number', required: true }, { name: 'lon', label: 'lon', kind: 'number', required: true },
        ]} />
      </Show>
    </main>
  );
}

export function CrewsPage(props: { canEdit: boolean }) {
  const [crews, { refetch: refetchCrews }] = createResource(() => api<{ crews: Crew[] }>('GET', '/api/crews').then((r) => r.crews));
  const [members, { refetch: refetchMembers }] = createResource(() => api<{ members: Member[] }>('GET', '/api/members').then((r) => r.members));
  const [rosters, { refetch: refetchRosters }] = createResource(() => api<{ shifts: Shift[]; onDuty: Shift[] }>('GET', '/api/rosters'));
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
        { label: t('actions'), cell: (s) => (props.canEdit ? <ConfirmButton label={t('delete')} question={t('deleteQuestion')} danger onConfirm={async () => { await api('DELETE', `/api/rosters/${encodeURIComponent(s.id)}`); await refetchRosters(); }} /> : '') },
      ]} />
      <Show when={props.canEdit}>
        <CreateForm title={`+ ${t('crews')}`} onSubmit={async (b) => { await api('POST', '/api/crews', b); await refetchCrews(); }} fields={[
          { name: 'id', label: 'id', hint: 'drain-renhe' }, { name: 'name', label: t('name'), required: true }, { name: 'specialty', label: t('type'), required: true, hint: 'drainage' },
          { name: 'zoneIds', label: t('zones'), kind: 'list', hint: 'renhe-g1, renhe-g2' },
        ]} />
        <CreateForm title={`+ ${t('members')}`} onSubmit={async (b) => { await api('POST', '/api/members', b); await refetchMembers(); }} fields={[
          { name: 'id', label: 'id' }, { name: 'crewId', label: t('crewId'), kind: 'select', options: (crews() ?? []).map((c) => c.id) }, { name: 'name', label: t('name'), required: true },
          { name: 'phone', label: t('phone'), required: true, hint: '+8613800000000' }, { name: 'language', label: t('language'), kind: 'select', options: ['zh-CN', 'en'], required: true },
          { name: 'channelPreference', label: t('channel'), kind: 'select', options: ['push', 'sms'], required: true }, { name: 'supervisor', label: '★', kind: 'checkbox' },
        ]} />
        <CreateForm title={`+ ${t('rosters')}`} onSubmit={async (b) => { await api('POST', '/api/rosters', b); await refetchRosters(); }} fields={[
          { name: 'crewId', label: t('crewId'), kind: 'select', options: (crews() ?? []).map((c) => c.id), required: true },
          { name: 'startsAt', label: '⏵', kind: 'city-time', required: true }, { name: 'endsAt', label: '⏹', kind: 'city-time', required: true }, { name: 'handoverNote', label: t('note') },
        ]} />
      </Show>
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
        { label: t('actions'), cell: (f) => (props.canPoll ? (
          <div class="row">
            <button type="button" onClick={() => void poll(f.id)}>{t('poll')}</button>
            <ConfirmButton label={t('delete')} question={`${t('deleteQuestion')} ${f.name}`} danger onConfirm={async () => { await api('DELETE', `/api/feeds/${encodeURIComponent(f.id)}`); await refetch(); }} />
          </div>
        ) : '') },
      ]} />
      <Show when={props.canPoll}>
        <CreateForm title={`+ ${t('feeds')}`} onSubmit={async (b) => { await api('POST', '/api/feeds', b); await refetch(); }} fields={[
          { name: 'id', label: 'id' }, { name: 'name', label: t('name'), required: true }, { name: 'kind', label: t('type'), kind: 'select', options: ['cap', 'nws', 'qweather'], required: true },
          { name: 'url', label: 'URL', required: true, hint: 'https://' }, { name: 'cron', label: 'cron', required: true, hint: '*/5 * * * *' }, { name: 'zoneId', label: t('zone') },
          { name: 'silentAfterSeconds', label: `${t('silent')} (s)`, kind: 'number' },
        ]} />
      </Show>
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
