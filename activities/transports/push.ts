import webpush, { WebPushError } from 'web-push';
import { SendError, type Transport } from './types.js';

export interface VapidKeys { publicKey: string; privateKey: string; subject: string }

/**
 * Web push through web-push. The message's `to` is the subscription (JSON); the body is the
 * notification's JSON payload, with the actions the service worker offers (Acknowledge, Open).
 */
export function pushTransport(vapid: VapidKeys): Transport {
  return {
    name: 'webpush',
    async send(message) {
      const subscription = JSON.parse(message.to) as webpush.PushSubscription;
      try {
        const result = await webpush.sendNotification(subscription, message.body, {
          vapidDetails: vapid, TTL: 3600, urgency: 'high', timeout: 10_000,
        });
        return { provider: 'webpush', providerMessageId: result.headers.location ?? message.id };
      } catch (error) {
        if (error instanceof WebPushError) {
          if (error.statusCode === 404 || error.statusCode === 410) throw new SendError(`push subscription gone (${error.statusCode})`, true, undefined, 'gone');
          if (error.statusCode === 429 || error.statusCode >= 500) {
            const retryAfter = Number(error.headers['retry-after']);
            throw new SendError(`push service ${error.statusCode}`, false, Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined);
          }
          throw new SendError(`push service ${error.statusCode}: ${error.body}`, true);
        }
        throw new SendError(`push failed: ${(error as Error).message}`, false);
      }
    },
  };
}
