import { api } from './api';

/** Registers the service worker that shows task notifications and acknowledges from their buttons. */
export async function registerServiceWorker(): Promise<ServiceWorkerRegistration | undefined> {
  if (!('serviceWorker' in navigator)) return undefined;
  return navigator.serviceWorker.register('/sw.js', { scope: '/' });
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = (base64url + '='.repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

/**
 * Subscribes this device to push with the server's VAPID key and registers it: as the signed-in
 * crew member, or (from an SMS link) as the member the link was sent to.
 */
export async function subscribeToPush(linkToken?: string): Promise<void> {
  const registration = await registerServiceWorker();
  if (!registration || !('PushManager' in window)) throw new Error('unsupported');
  if ((await Notification.requestPermission()) !== 'granted') throw new Error('permission denied');
  const { publicKey } = await api<{ publicKey: string }>('GET', '/api/push/vapid-public-key');
  const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) });
  const path = linkToken ? `/api/links/${encodeURIComponent(linkToken)}/push-subscriptions` : '/api/push/subscriptions';
  await api('POST', path, subscription.toJSON());
}
