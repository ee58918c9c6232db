import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp, api, TestApp } from '../helpers/test-app';
import { REFUSED } from '../../src/webhooks/ssrf';

/**
 * Two apps share the test Redis and one webhook queue: `open` allowlists loopback and runs no workers, `guarded`
 * allowlists nothing and runs the delivery worker. An endpoint registered through `open` is therefore checked
 * again, and refused, when `guarded` comes to deliver it: the delivery-time check does not trust registration.
 */
let open: TestApp;
let guarded: TestApp;
let receiver: http.Server;
let hits = 0;
let port = 0;

beforeAll(async () => {
  const queue = `webhooks-ssrf-${process.pid}`;
  open = await startTestApp({ VIGIL_WEBHOOK_ALLOWLIST: '127.0.0.1', VIGIL_WEBHOOK_QUEUE: queue, VIGIL_WEBHOOK_RETRY_SCHEDULE: '50ms' }, { workers: false });
  guarded = await startTestApp({ VIGIL_WEBHOOK_QUEUE: queue, VIGIL_WEBHOOK_RETRY_SCHEDULE: '50ms' });
  receiver = http.createServer((_req, res) => {
    hits++;
    res.end('ok');
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  port = (receiver.address() as AddressInfo).port;
});
afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((r) => receiver.close(r));
  await guarded.close();
  await open.close();
});

describe('webhook SSRF guard', () => {
  it.each([
    ['loopback', () => `http://127.0.0.1:${port}/hook`],
    ['loopback by name', () => `http://localhost:${port}/hook`],
    ['IPv6 loopback', () => `http://[::1]:${port}/hook`],
    ['private', () => 'http://10.0.0.8/hook'],
    ['private', () => 'http://192.168.1.20/hook'],
    ['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/'],
    ['IPv4-mapped loopback', () => 'http://[::ffff:127.0.0.1]/'],
    ['non-http scheme', () => 'file:///etc/passwd'],
  ])('when a %s URL is registered without an allowlist, then it is refused with webhook_url_refused', async (_what, url) => {
    const site = await guarded.site();
    const res = await api(guarded.url, 'POST', '/v1/webhooks', { key: site.secretKey, body: { url: url(), events: ['comment.pending'] } });
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('webhook_url_refused');
    const list = await api(guarded.url, 'GET', '/v1/webhooks', { key: site.secretKey });
    expect(list.json.endpoints).toEqual([]);
  });

  it('when an update points an endpoint at a private address, then it is refused', async () => {
    const site = await open.site();
    const ok = await api(open.url, 'POST', '/v1/webhooks', { key: site.secretKey, body: { url: `http://127.0.0.1:${port}/hook`, events: ['comment.pending'] } });
    expect(ok.status).toBe(201);
    const res = await api(open.url, 'PATCH', `/v1/webhooks/${ok.json.id}`, { key: site.secretKey, body: { url: 'http://169.254.169.254/' } });
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('webhook_url_refused');
  });

  it('when the address is no longer allowed at delivery time, then the delivery is refused and nothing is sent', async () => {
    const site = await open.site();
    const ep = await api(open.url, 'POST', '/v1/webhooks', { key: site.secretKey, body: { url: `http://127.0.0.1:${port}/hook`, events: ['comment.pending'] } });
    expect(ep.status).toBe(201);
    await open.service.ctx.events.emit({ type: 'comment.pending', siteId: site.siteId, at: new Date().toISOString(), data: { commentId: 'c1', threadId: 't1', status: 'pending' } });
    const deadline = Date.now() + 10000;
    let d: { status: string; attempts: Array<{ outcome: string; error: string }> } | undefined;
    while (Date.now() < deadline) {
      const l = await api(open.url, 'GET', `/v1/webhooks/${ep.json.id}/deliveries`, { key: site.secretKey });
      d = l.json.deliveries[0];
      if (d?.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(d?.status).toBe('failed');
    expect(d?.attempts).toHaveLength(1);
    expect(d?.attempts[0].outcome).toBe('refused');
    // The site sees the one generic refusal; what the name pointed at stays with the operator.
    expect(d?.attempts[0].error).toBe(REFUSED);
    expect(hits).toBe(0);
  });
});
