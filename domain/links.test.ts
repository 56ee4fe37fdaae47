import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signLink, verifyLink } from './links.js';

describe('signed task links', () => {
  const secret = 'test-secret';
  const id = randomUUID();
  const now = new Date('2026-07-20T03:00:00Z');

  it('are 43 characters and name the message they were sent in', () => {
    const token = signLink(secret, id, new Date(now.getTime() + 3_600_000));
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(verifyLink(secret, token, now)).toEqual({ ok: true, messageId: id });
  });

  it('expire', () => {
    const token = signLink(secret, id, new Date(now.getTime() + 60_000));
    expect(verifyLink(secret, token, new Date(now.getTime() + 3 * 60_000))).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuse another secret, a changed payload and garbage', () => {
    const token = signLink(secret, id, new Date(now.getTime() + 3_600_000));
    expect(verifyLink('other', token, now)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyLink(secret, `${token.startsWith('A') ? 'B' : 'A'}${token.slice(1)}`, now).ok).toBe(false);
    expect(verifyLink(secret, 'not-a-token', now)).toEqual({ ok: false, reason: 'malformed' });
  });
});
