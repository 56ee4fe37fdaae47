import { createServer, type Server } from 'node:http';

export interface StandIn { url: string; received: { to: string; body: string; at: number; sentAt: number }[]; rejected: number; close(): Promise<void> }

/**
 * Answers like Twilio's Messages API and, like a sender with a fixed throughput, refuses with
 * 429 and Retry-After when more than `perSecond` messages arrive within a second (token bucket).
 */
export async function startTwilioStandIn(perSecond: number): Promise<StandIn> {
  const received: StandIn['received'] = [];
  let tokens = perSecond;
  let last = performance.now();
  let rejected = 0;
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET') {
      // Messages list as Twilio answers it: newest first, filtered by To and DateSent>, in pages
      // of PageSize that link to the next (the SDK follows next_page_uri).
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const to = url.searchParams.get('To');
      const after = Date.parse(url.searchParams.get('DateSent>') ?? '');
      const pageSize = Math.min(1000, Number(url.searchParams.get('PageSize') ?? 50) || 50);
      const page = Number(url.searchParams.get('Page') ?? 0) || 0;
      const all = received.map((r, i) => ({ sid: `SM${String(i + 1).padStart(32, '0')}`, to: r.to, body: r.body, status: 'sent', date_created: new Date(r.sentAt).toUTCString(), date_sent: new Date(r.sentAt).toUTCString(), sentAt: r.sentAt }))
        .filter((m) => (!to || m.to === to) && (Number.isNaN(after) || m.sentAt >= Math.floor(after / 1000) * 1000))
        .reverse();
      const messages = all.slice(page * pageSize, (page + 1) * pageSize).map(({ sentAt: _at, ...m }) => m);
      const next = new URLSearchParams(url.searchParams);
      next.set('Page', String(page + 1));
      next.set('PageSize', String(pageSize));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ messages, next_page_uri: (page + 1) * pageSize < all.length ? `${url.pathname}?${next}` : null, previous_page_uri: null, first_page_uri: url.pathname, page, page_size: pageSize, start: page * pageSize, end: page * pageSize + messages.length, uri: url.pathname }));
      return;
    }
    let raw = '';
    req.on('data', (chunk) => { raw += chunk; });
    req.on('end', () => {
      const now = performance.now();
      tokens = Math.min(perSecond, tokens + ((now - last) / 1000) * perSecond);
      last = now;
      if (tokens < 1) {
        rejected += 1;
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end(JSON.stringify({ code: 20429, message: 'Too Many Requests', status: 429 }));
        return;
      }
      tokens -= 1;
      const form = new URLSearchParams(raw);
      received.push({ to: form.get('To') ?? '', body: form.get('Body') ?? '', at: now, sentAt: Date.now() });
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sid: `SM${String(received.length).padStart(32, '0')}`, status: 'queued', to: form.get('To') }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    get rejected() { return rejected; },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
