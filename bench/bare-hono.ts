// The baseline for ingest benchmarks: the same HTTP stack (Hono on @hono/node-server) that
// parses the same bodies and answers 202, with nothing behind it.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono()
  .post('/readings', async (c) => {
    const body = (await c.req.json()) as { readings?: unknown[] };
    return c.json({ accepted: Array.isArray(body.readings) ? body.readings.length : 1, rejected: [], triggered: [] }, 202);
  })
  .post('/cap', async (c) => {
    const text = await c.req.text();
    return c.json({ results: [{ identifier: '', action: 'noted', length: text.length }] }, 202);
  });
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' }, () => process.send?.('ready'));
