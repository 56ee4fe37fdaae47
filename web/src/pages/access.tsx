import { createResource, createSignal, For, Show } from 'solid-js';
import { api, problemText } from '../api';
import { ConfirmButton } from '../components/confirm-dialog';
import { DataTable } from '../components/data-table';
import { formatTime, t } from '../i18n';

interface User { id: string; username: string; role: string; memberId: string | null; language: string; disabled: boolean; createdAt: string }
interface Key { id: string; name: string; prefix: string; scopes: string[]; createdBy: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null }
interface AuditEntry { id: number; at: string; actor: string; action: string; target: string; outcome: string }
interface OutboxMessage { id: string; memberId: string; channel: string; to: string; body: string; status: string; createdAt: string; drill: boolean }

const roles = ['admin', 'duty-officer', 'drill-coordinator', 'crew', 'viewer'];
const scopes = ['read', 'runs:write', 'feeds:write', 'sensors:write', 'admin'];

export function UsersPage() {
  const [users, { refetch: refetchUsers }] = createResource(() => api<{ users: User[] }>('GET', '/api/users').then((r) => r.users));
  const [keys, { refetch: refetchKeys }] = createResource(() => api<{ keys: Key[] }>('GET', '/api/keys').then((r) => r.keys));
  const [message, setMessage] = createSignal('');
  const [newKey, setNewKey] = createSignal('');
  const run = async (work: () => Promise<void>) => {
    try { await work(); setMessage(''); } catch (err) { setMessage(problemText(err)); }
  };
  const addUser = (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    void run(async () => {
      await api('POST', '/api/users', { username: f.get('username'), password: f.get('password'), role: f.get('role'), language: f.get('language'), ...(f.get('memberId') ? { memberId: f.get('memberId') } : {}) });
      form.reset();
      await refetchUsers();
    });
  };
  const addKey = (e: SubmitEvent) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    void run(async () => {
      const created = await api<{ key: string }>('POST', '/api/keys', { name: f.get('name'), scopes: f.getAll('scopes') });
      setNewKey(created.key);
      await refetchKeys();
    });
  };
  return (
    <main id="main" class="page">
      <Show when={message()}><p role="alert" class="error">{message()}</p></Show>
      <DataTable caption={t('users')} rows={users()} columns={[
        { label: t('username'), cell: (u) => `${u.username}${u.disabled ? ' (disabled)' : ''}` }, { label: t('role'), cell: (u) => u.role },
        { label: t('member'), cell: (u) => u.memberId ?? '—' }, { label: t('language'), cell: (u) => u.language }, { label: t('created'), cell: (u) => formatTime(u.createdAt) },
      ]} />
      <details class="panel"><summary>{t('createUser')}</summary>
        <form class="grid-form" onSubmit={addUser}>
          <label>{t('username')}<input name="username" required pattern="[a-zA-Z0-9._-]{3,64}" /></label>
          <label>{t('password')}<input name="password" type="password" required minLength={12} autocomplete="new-password" /></label>
          <label>{t('role')}<select name="role"><For each={roles}>{(r) => <option>{r}</option>}</For></select></label>
          <label>{t('member')}<input name="memberId" /></label>
          <label>{t('language')}<select name="language"><option value="zh-CN">中文</option><option value="en">English</option></select></label>
          <button type="submit">{t('createUser')}</button>
        </form>
      </details>
      <DataTable caption={t('keys')} rows={keys()} columns={[
        { label: t('name'), cell: (k) => k.name }, { label: 'prefix', cell: (k) => <code>{k.prefix}</code> }, { label: t('scopes'), cell: (k) => k.scopes.join(' ') },
        { label: t('created'), cell: (k) => `${formatTime(k.createdAt)} · ${k.createdBy}` }, { label: '⏱', cell: (k) => formatTime(k.lastUsedAt) },
        { label: t('actions'), cell: (k) => (k.revokedAt ? formatTime(k.revokedAt) : <ConfirmButton label={t('revoke')} question={`${t('revokeQuestion')} ${k.name}`} danger onConfirm={() => run(async () => { await api('DELETE', `/api/keys/${k.id}`); await refetchKeys(); })} />) },
      ]} />
      <details class="panel"><summary>{t('createKey')}</summary>
        <form class="grid-form" onSubmit={addKey}>
          <label>{t('name')}<input name="name" required /></label>
          <fieldset><legend>{t('scopes')}</legend><For each={scopes}>{(s) => <label class="inline"><input type="checkbox" name="scopes" value={s} /> {s}</label>}</For></fieldset>
          <button type="submit">{t('createKey')}</button>
        </form>
        <Show when={newKey()}><p role="status">{t('keyShownOnce')} <code>{newKey()}</code></p></Show>
      </details>
    </main>
  );
}

export function AuditPage() {
  const [entries] = createResource(() => api<{ entries: AuditEntry[] }>('GET', '/api/audit?limit=300').then((r) => r.entries));
  return (
    <main id="main" class="page">
      <DataTable caption={t('audit')} rows={entries()} columns={[
        { label: t('time'), cell: (e) => formatTime(e.at) }, { label: t('actor'), cell: (e) => e.actor }, { label: t('action'), cell: (e) => e.action },
        { label: 'target', cell: (e) => e.target }, { label: t('outcome'), cell: (e) => e.outcome },
      ]} />
    </main>
  );
}

/** Every message as the crews got it (all of them, when no SMS provider is configured). */
export function OutboxPage() {
  const [messages] = createResource(() => api<{ messages: OutboxMessage[] }>('GET', '/api/outbox?limit=200').then((r) => r.messages));
  return (
    <main id="main" class="page">
      <DataTable caption={t('outbox')} rows={messages()} columns={[
        { label: t('time'), cell: (m) => formatTime(m.createdAt) }, { label: t('member'), cell: (m) => <>{m.memberId}<br /><small>{m.channel === 'sms' ? m.to : ''}</small></> },
        { label: t('channel'), cell: (m) => m.channel }, { label: t('status'), cell: (m) => m.status }, { label: t('message'), cell: (m) => m.body },
      ]} />
    </main>
  );
}
