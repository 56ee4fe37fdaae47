import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { apiKeys, type Scope } from '../../db/schema/access.js';
import { randomToken, sha256 } from './crypto.js';

/** Creates an API key; the key itself is returned once and only its hash is kept. */
export async function createApiKey(db: Db, name: string, keyScopes: Scope[], createdBy: string, key = `sdk_${randomToken(32)}`) {
  const row = { id: `key_${randomUUID()}`, name, prefix: key.slice(0, 10), hash: sha256(key), scopes: keyScopes, createdBy, createdAt: new Date().toISOString() };
  await db.insert(apiKeys).values(row).onConflictDoNothing();
  return { ...row, key };
}

