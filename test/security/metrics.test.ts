import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';
import { sumCaptchaStats } from '../../src/captcha/totals';
import { countDepth } from '../../src/review/depth-totals';
import { ReviewQueues } from '../../src/review/queue';
import { createWorkerRedis } from '../../src/infra/redis';

const TOKEN = 'metrics-token-0123456789abcdef';

/**
 * /metrics carries what an operator needs (request latency by route, decisions, classifier time, queue
 * depths, webhook and captcha outcomes) and nothing a reader would not want published (ids, e-mails, IPs).
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ VIGIL_WEBHOOK_QUEUE: `webhooks-metrics-${process.pid}`, METRICS_TOKEN: TOKEN, METRICS_PER_SITE: 'true' }, { workers: false });
});
afterAll(async () => {
  await t.close();
});

it('when traffic has flowed and per-site series are enabled, then /metrics has every series the issue lists and no personal data', async () => {
  const site = await t.site({ captcha: 'svg' });
  const c = await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment({ author: { name: 'Mia', email: 'mia.metrics@example.com' } }) });
  expect(c.status).toBe(201);
  expect((await api(t.url, 'POST', '/v1/captchas', { key: site.siteKey })).status).toBe(201);
  const r = await api(t.url, 'GET', '/metrics', { key: TOKEN });
  expect(r.status).toBe(200);
  const text = r.text;
  expect(text).toMatch(/vigil_http_request_duration_seconds_bucket\{[^}]*route="\/v1\/comments"/);
  expect(text).toMatch(new RegExp(`vigil_comment_decisions_total\\{site="${site.siteId}",status="${c.json.status}"\\} [1-9]`));
  // Classifier time is observed on the comment path too, not only in /v1/check.
  expect(text).toMatch(/vigil_classifier_duration_seconds_count\{model="spam"\} [1-9]/);
  expect(text).toMatch(/vigil_classifier_duration_seconds_count\{model="toxicity"\} [1-9]/);
  // One gauge per queue depth: the webhook queue is reported once, and there is no learning queue.
  expect(text).toMatch(/vigil_webhook_queue_jobs\{state="waiting"\} \d+/);
  expect(text.match(/^vigil_\w*queue_jobs\{[^}]*state="waiting"/gm)).toHaveLength(1);
  expect(text).toContain('vigil_review_queue_depth');
  expect(text).toContain('vigil_webhook_attempts_total');
  expect(text).toMatch(new RegExp(`vigil_captcha_total\\{site="${site.siteId}",mode="svg",outcome="issued"\\} [1-9]`));
  expect(text).toContain('process_resident_memory_bytes');
  expect(text).not.toContain(c.json.id);
  expect(text).not.toContain('mia.metrics');
  expect(text).not.toContain('198.51.100.7');
});

describe('who may read /metrics', () => {
  it('when the token is missing or wrong, then 401 with a Bearer challenge and no series', async () => {
    for (const key of [undefined, 'metrics-token-0123456789abcdeX', `${TOKEN}x`]) {
      const r = await api(t.url, 'GET', '/metrics', key ? { key } : {});
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(r.text).not.toContain('vigil_');
    }
  });

  it('when neither a token nor a port is configured, then the public /metrics does not exist', async () => {
    const open = await startTestApp({}, { workers: false });
    try {
      await open.site();
      const r = await api(open.url, 'GET', '/metrics');
      expect(r.status).toBe(404);
      expect(r.text).not.toContain('vigil_');
    } finally {
      await open.close();
    }
  });

  it('when METRICS_PORT is set, then /metrics is served only by its own listener', async () => {
    const own = await startTestApp({ METRICS_PORT: '0' }, { workers: false });
    const server = http.createServer(own.service.metricsApp());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      expect((await api(own.url, 'GET', '/metrics')).status).toBe(404);
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const r = await api(url, 'GET', '/metrics');
      expect(r.status).toBe(200);
      expect(r.text).toContain('vigil_comment_decisions_total');
      expect((await api(url, 'GET', '/v1/comments')).status).toBe(404);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await own.close();
    }
  });
});

describe('tenants on /metrics', () => {
  it('when per-site series are not enabled, then no site id appears and the counts are summed over sites', async () => {
    const quiet = await startTestApp({ METRICS_TOKEN: TOKEN }, { workers: false });
    try {
      const a = await quiet.site({ captcha: 'svg' });
      const b = await quiet.site({ captcha: 'svg' });
      // The summed counters are refreshed at most once a minute (captcha/totals.ts): sum now, as that refresh would.
      await sumCaptchaStats(quiet.redis);
      const before = await api(quiet.url, 'GET', '/metrics', { key: TOKEN });
      const issued = (text: string) => Number(/vigil_captcha_total\{mode="svg",outcome="issued"\} (\d+)/.exec(text)?.[1] ?? 0);
      for (const s of [a, b]) {
        expect((await api(quiet.url, 'POST', '/v1/comments', { key: s.secretKey, body: serverComment() })).status).toBe(201);
        expect((await api(quiet.url, 'POST', '/v1/captchas', { key: s.siteKey })).status).toBe(201);
      }
      await sumCaptchaStats(quiet.redis);
      // The summed queue depth is counted after a scrape, at most once per interval (review/depth-totals.ts).
      const connection = createWorkerRedis(process.env.TEST_REDIS_URL!);
      const queues = new ReviewQueues(connection, { leaseMs: 60000, checkStalled: false });
      await countDepth(quiet.redis, queues);
      await queues.close();
      connection.disconnect();
      const r = await api(quiet.url, 'GET', '/metrics', { key: TOKEN });
      expect(r.status).toBe(200);
      expect(r.text).not.toContain(a.siteId);
      expect(r.text).not.toContain(b.siteId);
      expect(r.text).not.toMatch(/site="/);
      expect(r.text).toMatch(/vigil_comment_decisions_total\{status="\w+"\} [1-9]/);
      expect(issued(r.text) - issued(before.text)).toBe(2);
      expect(r.text).toMatch(/vigil_review_queue_depth\{state="waiting"\} \d+/);
      // Each series is declared once, so Prometheus accepts the page.
      const helps = r.text.split('\n').filter((l) => l.startsWith('# HELP '));
      expect(new Set(helps).size).toBe(helps.length);
    } finally {
      await quiet.close();
    }
  });
});
