import type { Bilingual, Language } from './i18n';

/** The API as the app uses it: the session cookie rides along; writes carry the CSRF token. */
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

export const problemText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

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

export interface Me { id: string; username: string; role: string; memberId: string | null; language: Language; timeZone: string }
export interface RunSummary { id: string; playbookId: string; hazard: string; zoneId: string; level: string; status: string; drill: boolean; reason: string; startedAt: string; startedBy: string; updatedAt: string; closedAt: string | null }
export interface Step {
  id: string; parentId: string | null; kind: string; title: Bilingual; status: string; paused: boolean; reason?: string; startedAt?: string; endedAt?: string; timerEndsAt?: string;
  items?: { id: string; label: Bilingual; tickedAt?: string; tickedBy?: string }[];
  decision?: { options: { id: string; label: Bilingual }[]; chosen?: string };
}
export interface Task {
  id: string; code: string; kind: string; title: Bilingual; status: string; crewId?: string; place?: Bilingual; zoneId: string;
  createdAt: string; assignedAt?: string; acknowledgedAt?: string; doneAt?: string; verifiedAt?: string; helpRequested?: boolean;
}
export interface RunState {
  level: string; phase: string; steps: Step[]; tasks: Task[]; dutyOfficer: string;
  levelHistory: { at: string; level: string; by: string; reason: string }[];
  notes: { at: string; by: string; text: string }[];
}
export interface RunDetail extends RunSummary { live: boolean; state: RunState | null; timeline: { at: string; actor: string; type: string; message: string }[] }
export interface Playbook { id: string; title: Bilingual; hazard: string; levels: string[]; version: string; description?: Bilingual }
export interface PlaybookError { file: string; path: string; problem: string }
export interface Zone { id: string; name: string; nameEn: string | null; parentId: string | null; tier: string; boundary: { type: 'Polygon' | 'MultiPolygon'; coordinates: number[][][] | number[][][][] } | null }
export interface Facility { id: string; name: string; nameEn: string | null; type: string; zoneId: string; lat: number; lon: number }
/** A crew member's view of a task (the tasks table's mirror; its title is the Chinese text). */
export interface CrewTask { id: string; runId: string; code: string; kind: string; title: string; zoneId: string; status: string; createdAt: string; acknowledgedAt: string | null; doneAt: string | null; drill: boolean; hazard: string; level: string }
