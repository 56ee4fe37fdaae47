/* global self, URL, fetch */
/* Stormdesk service worker: shows task notifications and acknowledges from their button.
   The push payload (activities/index.ts messageCrews) is JSON: title, body, tag, actions,
   data: { taskId, code, url } where url is the signed task link https://…/t/<token>. */
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  let payload = {};
  try { payload = event.data ? event.data.json() : {}; } catch { payload = { body: event.data ? event.data.text() : '' }; }
  const title = payload.title || 'Stormdesk';
  event.waitUntil(self.registration.showNotification(title, {
    body: payload.body || '',
    tag: payload.tag,
    // A life-safety task stays on screen until someone answers it.
    requireInteraction: Boolean(payload.data && payload.data.taskId),
    actions: Array.isArray(payload.actions) ? payload.actions : [],
    data: payload.data || {},
    icon: '/icon.svg',
  }));
});

const linkToken = (url) => {
  const match = /\/t\/([A-Za-z0-9_.-]+)$/.exec(new URL(url, self.location.origin).pathname);
  return match ? match[1] : undefined;
};

self.addEventListener('notificationclick', (event) => {
  const data = event.notification.data || {};
  event.notification.close();
  const token = data.url ? linkToken(data.url) : undefined;
  const target = token ? `/t/${token}` : '/#/crew';
  if (event.action === 'ack' && token) {
    // The signed link is the credential: acknowledging needs no open page and no sign-in.
    event.waitUntil(fetch(`/api/links/${token}/ack`, { method: 'POST' }).then((res) => {
      if (!res.ok) return self.clients.openWindow(target);
      return undefined;
    }).catch(() => self.clients.openWindow(target)));
    return;
  }
  event.waitUntil(self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
    const open = windows.find((w) => new URL(w.url).origin === self.location.origin);
    if (open) return open.navigate(target).then((w) => (w || open).focus());
    return self.clients.openWindow(target);
  }));
});
