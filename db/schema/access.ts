import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const roles = ['admin', 'duty-officer', 'drill-coordinator', 'crew', 'viewer'] as const;
export type Role = (typeof roles)[number];
export const scopes = ['feeds:write', 'sensors:write', 'runs:write', 'admin', 'read'] as const;
export type Scope = (typeof scopes)[number];

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  username: text('username').notNull(),
  /** scrypt$N$r$p$salt$hash, all base64url. */
  passwordHash: text('password_hash').notNull(),
  role: text('role', { enum: roles }).notNull(),
  /** For crew users: the member whose tasks they see and acknowledge. */
  memberId: text('member_id'),
  language: text('language', { enum: ['zh-CN', 'en'] }).notNull().default('zh-CN'),
  disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: text('locked_until'),
  createdAt: text('created_at').notNull(),
}, (t) => [uniqueIndex('users_username_uq').on(t.username)]);

/** Server-side sessions: the cookie holds a random token, the table only its hash. */
export const sessions = sqliteTable('sessions', {
  tokenHash: text('token_hash').primaryKey(),
  userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  csrfToken: text('csrf_token').notNull(),
  createdAt: text('created_at').notNull(),
  expiresAt: text('expires_at').notNull(),
  ip: text('ip'),
}, (t) => [index('sessions_user_idx').on(t.userId)]);

export const apiKeys = sqliteTable('api_keys', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** The first characters, shown in lists so a person can tell keys apart. */
  prefix: text('prefix').notNull(),
  /** SHA-256 of the key: keys are long random strings, so a fast hash is enough and lookups stay O(1). */
  hash: text('hash').notNull(),
  scopes: text('scopes', { mode: 'json' }).$type<Scope[]>().notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: text('created_at').notNull(),
  lastUsedAt: text('last_used_at'),
  revokedAt: text('revoked_at'),
}, (t) => [uniqueIndex('api_keys_hash_uq').on(t.hash)]);

/** Append-only: rows are inserted, never updated or deleted (no route or code path does either). */
export const auditLog = sqliteTable('audit_log', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  at: text('at').notNull(),
  actorType: text('actor_type', { enum: ['user', 'key', 'system', 'anonymous'] }).notNull(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  target: text('target'),
  outcome: text('outcome').notNull(),
  ip: text('ip'),
  details: text('details', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
}, (t) => [index('audit_at_idx').on(t.at), index('audit_actor_idx').on(t.actor)]);

export type UserRow = typeof users.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
