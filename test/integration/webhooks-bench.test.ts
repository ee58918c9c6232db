import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { api, startTestApp, TestApp } from '../helpers/test-app';

/**
 * Webhook latency and throughput on loopback; skipped unless WEBHOOK_BENCH=1, since CI needs no numbers:
 *   WEBHOOK_BENCH=1 npx jest test/integration/webhooks-bench.test.ts
 * It prints its numbers; docs/webhooks.md says how to run it.
 */
const run = process.env.WEBHOOK_BENCH ? describe : describe.skip;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

run('webhooks bench', () => {
  let t: TestApp;
  let srv: http.Server;
  const arrivals = new Map<string, number>();
  let verified = 0;
  let secret = '';
  beforeAll(async () => {
    t = await startTestApp({ VIGIL_WEBHOOK_ALLOWLIST: '127.0.0.1', VIGIL_WEBHOOK_QUEUE: `webhooks-bench-${process.pid}` });
    srv = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c)).on('end', () => {
        new Webhook(secret).verify(body, req.headers as Record<string, string>);
        verified++;
        arrivals.set(JSON.parse(body).data.commentId, performance.now());
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    srv.closeAllConnections();
    await new Promise((r) => srv.close(r));
    await t.close();
  });

  it('measures', async () => {
    const site = await t.site();
    const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/hook`;
    const ep = await api(t.url, 'POST', '/v1/webhooks', { key: site.secretKey, body: { url, events: ['comment.pending'] } });
    secret = ep.json.secret;
    const emit = (id: string) =>
      t.service.ctx.events.emit({ type: 'comment.pending', siteId: site.siteId, at: new Date().toISOString(), data: { commentId: id, threadId: 't', status: 'pending', scores: { spam: 0.5, toxicity: 0.1 }, reasons: ['spam 0.50'] } });
    const waitFor = async (ids: string[]) => {
      const deadline = Date.now() + 120_000;
      while (!ids.every((id) => arrivals.has(id))) {
        if (Date.now() > deadline) throw new Error('bench timed out');
        await new Promise((r) => setTimeout(r, 1));
      }
    };
    // Sequential: event emitted -> signed request received.
    const latency: number[] = [];
    const emitCost: number[] = [];
    for (let i = 0; i < 300; i++) {
      const id = `seq-${i}`;
      const t0 = performance.now();
      await emit(id);
      emitCost.push(performance.now() - t0);
      await waitFor([id]);
      latency.push(arrivals.get(id)! - t0);
    }
    // Burst: N events emitted 50 at a time (as concurrent requests would), time until all are received.
    const N = 2000;
    const ids = Array.from({ length: N }, (_, i) => `burst-${i}`);
    const t0 = performance.now();
    for (let i = 0; i < N; i += 50) await Promise.all(ids.slice(i, i + 50).map(emit));
    const emitted = performance.now() - t0;
    await waitFor(ids);
    const total = performance.now() - t0;
    const out = {
      sequential: { n: latency.length, p50Ms: +pct(latency.slice(20), 50).toFixed(2), p95Ms: +pct(latency.slice(20), 95).toFixed(2), p99Ms: +pct(latency.slice(20), 99).toFixed(2) },
      emitWithOneEndpoint: { p50Ms: +pct(emitCost.slice(20), 50).toFixed(2), p95Ms: +pct(emitCost.slice(20), 95).toFixed(2) },
      burst: { n: N, emitMs: Math.round(emitted), allDeliveredMs: Math.round(total), perSecond: Math.round((N / total) * 1000) },
      verified,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    expect(verified).toBe(300 + N);
  });
});
