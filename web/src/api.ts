/** The API as the console uses it: the session cookie rides along; writes carry the CSRF token. */
let csrfToken = sessionStorage.getItem('csrf') ?? '';

export class ApiProblem extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) throw new ApiProblem(res.status, (data as { detail?: string } | undefined)?.detail ?? res.statusText);
  return data as T;
}

export async function login(username: string, password: string): Promise<Me> {
  const result = await api<{ user: Me; csrfToken: string }>('POST', '/api/auth/login', { username, password });
  csrfToken = result.csrfToken;
  sessionStorage.setItem('csrf', csrfToken);
  return result.user;
}

export async function logout(): Promise<void> {
  await api('POST', '/api/auth/logout').catch(() => undefined);
  sessionStorage.removeItem('csrf');
  csrfToken = '';
}

export interface Me { id: string; username: string; role: string; language: string }
export interface RunSummary { id: string; playbookId: string; hazard: string; zoneId: string; level: string; status: string; drill: boolean; reason: string; startedAt: string; startedBy: string }
export interface Step { id: string; parentId: string | null; kind: string; title: { 'zh-CN': string; en: string }; status: string; reason?: string; items?: { id: string; label: { 'zh-CN': string; en: string }; tickedAt?: string }[]; decision?: { options: { id: string; label: { 'zh-CN': string; en: string } }[]; chosen?: string } }
export interface Task { id: string; code: string; title: { 'zh-CN': string; en: string }; status: string; crewId?: string; place?: { 'zh-CN': string; en: string } }
export interface RunDetail extends RunSummary { state: { level: string; phase: string; steps: Step[]; tasks: Task[] } | null; timeline: { at: string; actor: string; message: string }[] }
export interface Playbook { id: string; title: { 'zh-CN': string; en: string }; levels: string[] }
