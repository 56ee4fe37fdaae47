import { eq } from 'drizzle-orm';
import webpush from 'web-push';
import type { Db } from '../db/client.js';
import { settings } from '../db/schema/settings.js';
import { randomBytes } from 'node:crypto';

/** Returns the stored value, creating it once; concurrent first starts agree on one value. */
export async function getOrCreateSetting(db: Db, key: string, create: () => string): Promise<string> {
  await db.insert(settings).values({ key, value: create(), createdAt: new Date().toISOString() }).onConflictDoNothing();
  const row = await db.query.settings.findFirst({ where: eq(settings.key, key) });
  if (!row) throw new Error(`setting ${key} could not be stored`);
  return row.value;
}

export const linkSecret = (db: Db) => getOrCreateSetting(db, 'link-secret', () => randomBytes(32).toString('base64url'));

/** VAPID keys: from the configuration when given, else generated on first start and kept. */
export async function vapidKeys(db: Db, configured: { publicKey: string; privateKey: string; subject: string } | undefined) {
  if (configured) return configured;
  const pair = JSON.parse(await getOrCreateSetting(db, 'vapid-keys', () => JSON.stringify(webpush.generateVAPIDKeys()))) as { publicKey: string; privateKey: string };
  return { ...pair, subject: 'mailto:duty@stormdesk.invalid' };
}
