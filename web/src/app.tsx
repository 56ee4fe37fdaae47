import { createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import { api, logout, type Me } from './api';
import { createLiveRuns } from './live';
import { language, setLanguage, setTimeZone, t, type Label, type Language } from './i18n';
import { href, place } from './router';
import { LoginPage } from './pages/login';
import { BoardPage } from './pages/board';
import { RunPage } from './pages/run';
import { CrewPage } from './pages/crew';
import { LinkPage } from './pages/link';
import { SensorsPage, TriggersPage } from './pages/ops';
import { CrewsPage, FeedsPage, PlaybooksPage, ZonesPage } from './pages/city';
import { AuditPage, OutboxPage, UsersPage } from './pages/access';
import { registerServiceWorker } from './push';
import { Drills } from './drills';
import { Campaigns } from './campaigns';
import './style.css';

const staff = ['admin', 'duty-officer', 'drill-coordinator', 'viewer'];
const officers = ['admin', 'duty-officer'];
/** The console's pages and who sees them (the API enforces the same; this only hides what would be refused). */
const pages: { id: string; label: Label; roles: string[] }[] = [
  { id: 'board', label: 'board', roles: staff },
  { id: 'drills', label: 'drills', roles: staff },
  { id: 'checks', label: 'checks', roles: staff },
  { id: 'triggers', label: 'triggers', roles: staff },
  { id: 'sensors', label: 'sensors', roles: staff },
  { id: 'zones', label: 'zones', roles: staff },
  { id: 'crews', label: 'crews', roles: staff },
  { id: 'feeds', label: 'feeds', roles: staff },
  { id: 'playbooks', label: 'playbooks', roles: staff },
  { id: 'outbox', label: 'outbox', roles: officers },
  { id: 'users', label: 'users', roles: ['admin'] },
  { id: 'audit', label: 'audit', roles: ['admin'] },
];

export function App() {
  const [me, setMe] = createSignal<Me | undefined>();
  const signedIn = (user: Me) => {
    setLanguage(user.language);
    setTimeZone(user.timeZone);
    setMe(user);
  };
  const [checked] = createResource(async () => {
    try { signedIn(await api<Me>('GET', '/api/auth/me')); } catch { /* not signed in */ }
    return true;
  });
  return (
    <Show when={place().parts[0] !== 'link'} fallback={<LinkPage token={place().parts[1] ?? ''} />}>
      <Show when={checked()}>
        <Show when={me()} fallback={<LoginPage onIn={signedIn} />}>
          {(user) => <Shell me={user()} onOut={() => { void logout(); setMe(undefined); }} onLanguage={(u) => signedIn(u)} />}
        </Show>
      </Show>
    </Show>
  );
}

function Shell(props: { me: Me; onOut: () => void; onLanguage: (me: Me) => void }) {
  const isCrew = () => props.me.role === 'crew';
  const changeLanguage = async (lang: Language) => props.onLanguage(await api<Me>('PATCH', '/api/auth/me', { language: lang }));
  if (isCrew()) void registerServiceWorker().catch(() => undefined);
  return (
    <div class="console" classList={{ mobile: isCrew() }}>
      <a class="skip" href="#main">{t('skipToMain')}</a>
      <header>
        <h1>{t('appName')}</h1>
        <Show when={!isCrew()}>
          <nav aria-label="pages">
            <For each={pages.filter((p) => p.roles.includes(props.me.role))}>
              {(p) => <a href={href(p.id)} aria-current={(place().parts[0] ?? (props.me.role === 'drill-coordinator' ? 'drills' : 'board')) === p.id ? 'page' : undefined}>{t(p.label)}</a>}
            </For>
          </nav>
        </Show>
        <label class="inline">{t('language')}
          <select value={language()} onChange={(e) => void changeLanguage(e.currentTarget.value as Language)}>
            <option value="zh-CN">中文</option><option value="en">English</option>
          </select>
        </label>
        <span>{props.me.username} · {props.me.role}</span>
        <button type="button" onClick={() => props.onOut()}>{t('signOut')}</button>
      </header>
      <Show when={!isCrew()} fallback={<CrewPage />}><Console me={props.me} /></Show>
    </div>
  );
}

function Console(props: { me: Me }) {
  const live = createLiveRuns();
  // A drill coordinator's work starts at the drills.
  const page = () => place().parts[0] ?? (props.me.role === 'drill-coordinator' ? 'drills' : 'board');
  const canAct = () => [...officers, 'drill-coordinator'].includes(props.me.role);
  return (
    <Switch fallback={<main id="main"><BoardPage live={live} canLaunch={canAct()} /></main>}>
      <Match when={page() === 'run' && place().parts[1]}>{(id) => <RunPage id={id()} live={live} canAct={canAct()} />}</Match>
      <Match when={page() === 'checks'}><main id="main" class="page"><Campaigns /></main></Match>
      <Match when={page() === 'drills'}><main id="main" class="page"><Drills watch={(runId) => <RunPage id={runId} live={live} canAct={canAct()} />} /></main></Match>
      <Match when={page() === 'triggers'}><TriggersPage /></Match>
      <Match when={page() === 'sensors'}><SensorsPage canEdit={officers.includes(props.me.role)} /></Match>
      <Match when={page() === 'zones'}><ZonesPage canEdit={props.me.role === 'admin'} /></Match>
      <Match when={page() === 'crews'}><CrewsPage canEdit={officers.includes(props.me.role)} /></Match>
      <Match when={page() === 'feeds'}><FeedsPage canPoll={officers.includes(props.me.role)} /></Match>
      <Match when={page() === 'playbooks'}><PlaybooksPage /></Match>
      <Match when={page() === 'outbox'}><OutboxPage /></Match>
      <Match when={page() === 'users'}><UsersPage /></Match>
      <Match when={page() === 'audit'}><AuditPage /></Match>
    </Switch>
  );
}
