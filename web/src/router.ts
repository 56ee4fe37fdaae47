import { createSignal } from 'solid-js';

/** Where the app is: `#/run/abc` → ['run', 'abc']; the SMS link's `/t/<token>` path is its own place. */
export interface Place { parts: string[]; query: URLSearchParams }

function read(): Place {
  const signed = /^\/t\/([A-Za-z0-9_.-]+)$/.exec(location.pathname);
  if (signed?.[1]) return { parts: ['link', signed[1]], query: new URLSearchParams() };
  const [path = '', search = ''] = location.hash.replace(/^#\/?/, '').split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(search) };
}

const [place, setPlace] = createSignal<Place>(read());
window.addEventListener('hashchange', () => setPlace(read()));
window.addEventListener('popstate', () => setPlace(read()));
export { place };

/** Goes to a hash route, e.g. navigate('run', id). */
export function navigate(...parts: string[]): void {
  location.hash = `#/${parts.map(encodeURIComponent).join('/')}`;
}

export const href = (...parts: string[]): string => `#/${parts.map(encodeURIComponent).join('/')}`;
