import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readings, runs, sensorRules } from '../../db/schema/index.js';
import { withStack } from '../harness.js';

/** Writes a gateway, a feed or a person may send; each must answer 4xx (or 2xx), never 5xx. */
const endpoints = [
  '/api/sensors/readings', '/api/feeds/nws', '/api/feeds/qweather?zoneId=shahe', '/api/runs', '/api/sensors/rules',
  '/api/feeds', '/api/facilities/pump-3/status', '/api/zones', '/api/crews',
];

const reading = fc.record({
  sensorId: fc.oneof(fc.constantFrom('rain-renhe', 'depth-underpass-renmin', 'nope'), fc.string()),
  metric: fc.oneof(fc.constantFrom('rainfall', 'water-level'), fc.string()),
  unit: fc.string({ maxLength: 30 }),
  time: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string(), fc.constantFrom('2026-02-30T25:61:00Z', '9999-12-31T23:59:59Z', '1970-01-01T00:00:00Z')),
  value: fc.oneof(fc.double(), fc.integer(), fc.string(), fc.constant(null)),
}, { requiredKeys: [] });

describe('the API on arbitrary and hostile input', () => {
  it('never answers 5xx to any JSON value on any write', async () => {
    await withStack(async (stack) => {
      await fc.assert(fc.asyncProperty(fc.constantFrom(...endpoints), fc.oneof(fc.jsonValue(), fc.record({ readings: fc.array(reading, { maxLength: 20 }) }), reading), async (path, body) => {
        const res = await stack.callAs('admin', 'POST', path, JSON.stringify(body), { 'content-type': 'application/json' });
        expect(res.status, `${path} ${JSON.stringify(body).slice(0, 200)} → ${JSON.stringify(res.body).slice(0, 300)}`).toBeLessThan(500);
        if (res.status >= 400) expect(res.headers.get('content-type')).toContain('application/problem+json');
      }), { numRuns: 300 });
    });
  });

  it('refuses bodies that are not what they claim: invalid UTF-8, deep nesting, 10 MB, odd media types', async () => {
    await withStack(async (stack) => {
      const session = await sessionOf(stack);
      const admin = async (path: string, body: BodyInit, type = 'application/json') => {
        const res = await stack.app.request(path, { method: 'POST', body, headers: { 'content-type': type, ...session } });
        return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
      };
      const invalidUtf8 = new Uint8Array([0x7b, 0x22, 0x73, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]);
      for (const path of ['/api/sensors/readings', '/api/runs', '/api/feeds/nws']) {
        const res = await admin(path, invalidUtf8);
        expect(res.status, `${path}: ${res.text}`).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }
      const capBytes = await admin('/api/feeds/cap', new Uint8Array([0x3c, 0x61, 0x6c, 0x65, 0x72, 0x74, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x61, 0x6c, 0x65, 0x72, 0x74, 0x3e]), 'application/xml');
      expect(capBytes.status).toBe(422);

      const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
      for (const path of ['/api/sensors/readings', '/api/runs', '/api/feeds/nws', '/api/sensors/rules']) {
        const res = await admin(path, deep);
        expect(res.status, `${path}: ${res.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }
      const nestedObject = `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`;
      expect((await admin('/api/runs', nestedObject)).status).toBe(400);

      const huge = `{"readings":[${Array.from({ length: 120_000 }, (_, i) => `{"sensorId":"rain-renhe","metric":"rainfall","unit":"mm","time":"2026-07-20T03:00:00Z","value":${i}}`).join(',')}]}`;
      expect(huge.length).toBeGreaterThan(10_000_000);
      const big = await admin('/api/sensors/readings', huge);
      expect(big.status).toBe(413);
      expect(big.type).toContain('application/problem+json');
      const plain = await admin('/api/runs', '{}', 'text/plain');
      expect([400, 415]).toContain(plain.status);
      expect(plain.type).toContain('application/problem+json');

      // Nothing from any of it was kept.
      expect(await stack.database.db.select().from(readings)).toHaveLength(0);
      expect(await stack.database.db.select().from(runs)).toHaveLength(0);
      expect(await stack.database.db.select().from(sensorRules)).toHaveLength(0);
    });
  });
});

async function sessionOf(stack: Parameters<Parameters<typeof withStack>[0]>[0]): Promise<Record<string, string>> {
  const res = await stack.app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'correct horse battery staple' }) });
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '', 'x-csrf-token': csrfToken };
}
