import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Short signed, expiring links for crew messages: the token carries the outbox message id (which
 * names the task and the member) and an expiry, signed with the instance's secret. 43 characters.
 */
export function signLink(secret: string, messageId: string, expiresAt: Date): string {
  const payload = Buffer.alloc(20);
  Buffer.from(messageId.replace(/-/g, ''), 'hex').copy(payload, 0);
  payload.writeUInt32BE(Math.ceil(expiresAt.getTime() / 60_000), 16);
  return payload.toString('base64url') + mac(secret, payload);
}

export type LinkCheck = { ok: true; messageId: string } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

export function verifyLink(secret: string, token: string, now: Date): LinkCheck {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return { ok: false, reason: 'malformed' };
  const payload = Buffer.from(token.slice(0, 27), 'base64url');
  const expected = Buffer.from(mac(secret, payload));
  const given = Buffer.from(token.slice(27));
  if (payload.length !== 20 || expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad-signature' };
  if (payload.readUInt32BE(16) * 60_000 < now.getTime()) return { ok: false, reason: 'expired' };
  const hex = payload.subarray(0, 16).toString('hex');
  return { ok: true, messageId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` };
}

function mac(secret: string, payload: Buffer): string {
  return createHmac('sha256', secret).update(payload).digest('base64url').slice(0, 16);
}
