import type { Config } from '../config/env.js';
import type { Db } from '../db/client.js';
import { providerOrder } from '../domain/sms.js';
import { linkSecret, vapidKeys } from '../activities/settings.js';
import type { ActivityDeps } from '../activities/index.js';
import { aliyunTransport } from '../activities/transports/aliyun.js';
import { pushTransport } from '../activities/transports/push.js';
import { twilioTransport } from '../activities/transports/twilio.js';
import { failover, outboxTransport, type Transport } from '../activities/transports/types.js';

/**
 * The worker's ways out, from configuration: Twilio and/or Alibaba Cloud SMS with failover
 * (mainland numbers domestic first), else the outbox; web push with configured or generated keys.
 */
export async function deliveryDeps(config: Config, db: Db): Promise<Pick<ActivityDeps, 'delivery' | 'linkSecret' | 'publicUrl' | 'timeZone'>> {
  const providers: Record<string, Transport> = {};
  if (config.twilio?.from) {
    providers.twilio = twilioTransport({ accountSid: config.twilio.accountSid, authToken: config.twilio.authToken, from: config.twilio.from, statusCallback: `${config.publicUrl}/api/twilio/status`, apiBaseUrl: config.twilio.apiBaseUrl, timeoutMs: config.twilio.timeoutMs });
  }
  if (config.aliyun) providers.aliyun = aliyunTransport(config.aliyun);
  const names = Object.keys(providers);
  const sms = names.length ? failover((to) => providerOrder(to, names).map((n) => providers[n]).filter((t): t is Transport => Boolean(t))) : outboxTransport;
  return {
    timeZone: config.timeZone,
    publicUrl: config.publicUrl,
    linkSecret: await linkSecret(db),
    delivery: {
      transports: { sms, push: pushTransport(await vapidKeys(db, config.vapid)) },
      // The outbox is no sender with a rate; a real provider is held to SMS_PER_SECOND.
      perSecond: { sms: names.length ? config.sms.perSecond : 1000, push: config.pushPerSecond },
      dailyCapPerNumber: config.sms.dailyCapPerNumber,
    },
  };
}
