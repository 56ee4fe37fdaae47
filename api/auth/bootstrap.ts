import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { apiKeys, scopes, users } from '../../db/schema/access.js';
import { hashPassword, randomToken, sha256 } from './crypto.js';
import { createApiKey } from './keys.js';

/**
 * First start: with no user, creates `admin` from STORMDESK_ADMIN_PASSWORD or a generated
 * password printed once; STORMDESK_API_KEY, when set, becomes a key with every scope. So
 * automation can drive a fresh instance.
 */
export async function bootstrapAccess(db: Db, options: { adminPassword?: string | undefined; apiKey?: string | undefined }, print: (line: string) => void): Promise<void> {
  const [existing] = await db.select({ n: count() }).from(users);
  if ((existing?.n ?? 0) === 0) {
    const password = options.adminPassword ?? randomToken(12);
    await db.insert(users).values({ id: `user_${randomUUID()}`, username: 'admin', passwordHash: await hashPassword(password), role: 'admin', createdAt: new Date().toISOString() }).onConflictDoNothing();
    if (!options.adminPassword) print(`First start: created user "admin" with password ${password} (shown once; change it after signing in)`);
    else print('First start: created user "admin" with the password from STORMDESK_ADMIN_PASSWORD');
  }
  if (options.apiKey && !(await db.query.apiKeys.findFirst({ where: eq(apiKeys.hash, sha256(options.apiKey)) }))) {
    await createApiKey(db, 'STORMDESK_API_KEY', [...scopes], 'system', options.apiKey);
    print('Seeded an API key with every scope from STORMDESK_API_KEY');
  }
}
