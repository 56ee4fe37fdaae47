import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv, temporalAddress } from './env.js';

describe('parseEnv', () => {
  it('gives the embedded defaults for an empty environment', () => {
    const config = parseEnv({});
    expect(config).toMatchObject({ port: 8080, dataDir: './data', timeZone: 'Asia/Shanghai', temporal: { address: undefined, namespace: 'default', devPort: 7233, uiPort: 8233 } });
    expect(config.database.url).toBe('file:./data/stormdesk.db');
    expect(temporalAddress(config)).toBe('127.0.0.1:7233');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('points at a cluster and a libSQL server by configuration alone', () => {
    const config = parseEnv({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'k', DATABASE_URL: 'libsql://db.example', DATABASE_AUTH_TOKEN: 't' });
    expect(temporalAddress(config)).toBe('ns.acct.tmprl.cloud:7233');
    expect(config.temporal.apiKey).toBe('k');
    expect(config.database).toEqual({ url: 'libsql://db.example', authToken: 't' });
  });

  it.each([
    [{ PORT: 'eighty' }, /^PORT: /],
    [{ PORT: '70000' }, /^PORT: /],
    [{ STORMDESK_TIMEZONE: 'Mars/Olympus' }, /^STORMDESK_TIMEZONE: is not an IANA time zone/],
    [{ DATABASE_URL: 'postgres://x' }, /^DATABASE_URL: must start with file:/],
    [{ TEMPORAL_TLS_CERT: 'cert.pem' }, /^TEMPORAL_TLS_KEY: TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together/],
    [{ TWILIO_ACCOUNT_SID: 'nope', TWILIO_AUTH_TOKEN: 't' }, /^TWILIO_ACCOUNT_SID: /],
    [{ TWILIO_FROM: '13800000000' }, /^TWILIO_FROM: must be an E.164 number/],
  ])('stops on %o with one line naming the variable', (env, message) => {
    expect(() => parseEnv(env)).toThrow(ConfigError);
    expect(() => parseEnv(env)).toThrow(message);
  });
});
