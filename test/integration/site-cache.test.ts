import type Redis from 'ioredis';
import { connectRedis, createRedis } from '../../src/infra/redis';
import { siteCacheFor } from '../../src/sites/site-cache';
import { rotateSiteKeys, updatePolicy } from '../../src/sites/site-store';
import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';

/**
 * Each instance caches site records (keys and policy) to save a Redis round trip per request. A change made
 * elsewhere (another instance, the CLI) must reach it through the site-changed channel, well before the cache's own
 * expiry: these changes are made on a separate connection, as another process would.
 */
let a: TestApp;
let b: TestApp;
let other: Redis;

beforeAll(async () => {
  // No delivery workers: the test reads the delivery log, which records a delivery as soon as it is enqueued.
  const env = { VIGIL_WEBHOOK_ALLOWLIST: '127.0.0.1' };
  a = await startTestApp(env, { workers: false });
  b = await startTestApp(env, { workers: false });
  // A connection of its own, as another process would have (cluster-aware, for npm run test:cluster).
  other = createRedis(process.env.TEST_REDIS_URL!);
  await connectRedis(other);
});
afterAll(async () => {
  other.disconnect();
  await b.close();
  await a.close();
});

async function within<T>(ms: number, probe: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (done(v) || Date.now() > deadline) return v;
    await new Promise((r) => setImmediate(r));
  }
}

describe('site records cached per instance', () => {
  it('when a site\'s keys are rotated from another process, then both instances refuse the old key within 2 s (the cache lives 10 s)', async () => {
    const s = await a.site();
    for (const t of [a, b]) expect((await api(t.url, 'GET', '/v1/site', { key: s.secretKey })).status).toBe(200);
    // The record is now served from each instance's memory, so only the announcement can change what they answer.
    for (const t of [a, b]) expect(siteCacheFor(t.redis)?.get<{ id: string }>(s.siteId, 'site')?.id).toBe(s.siteId);
    const fresh = await rotateSiteKeys(other, s.siteId);
    for (const t of [a, b]) {
      const r = await within(2000, () => api(t.url, 'GET', '/v1/site', { key: s.secretKey }), (x) => x.status === 401);
      expect(r.status).toBe(401);
      expect((await api(t.url, 'GET', '/v1/site', { key: fresh.secretKey })).status).toBe(200);
    }
  });

  it('when a policy is changed from another process, then both instances apply it within 2 s', async () => {
    const s = await a.site({ captcha: 'svg' });
    for (const t of [a, b]) expect((await api(t.url, 'POST', '/v1/captchas', { key: s.siteKey })).json.type).toBe('svg');
    await updatePolicy(other, s.siteId, { captcha: 'off' });
    for (const t of [a, b]) {
      const r = await within(2000, () => api(t.url, 'POST', '/v1/captchas', { key: s.siteKey }), (x) => x.json?.type === 'off');
      expect(r.json.type).toBe('off');
    }
  });

  it('when the policy is changed through one instance\'s API, then the other instance applies it within 2 s', async () => {
    const s = await a.site({ captcha: 'svg' });
    expect((await api(b.url, 'POST', '/v1/captchas', { key: s.siteKey })).json.type).toBe('svg');
    expect((await api(a.url, 'PATCH', '/v1/site/policy', { key: s.secretKey, body: { captcha: 'pow' } })).status).toBe(200);
    const r = await within(2000, () => api(b.url, 'POST', '/v1/captchas', { key: s.siteKey }), (x) => x.json?.type === 'pow');
    expect(r.json.type).toBe('pow');
  });

  it('when a webhook endpoint is registered through one instance, then comments posted to the other are delivered to it', async () => {
    const s = await a.site({ captcha: 'off' });
    // b has now cached the site's empty endpoint list.
    expect((await api(b.url, 'POST', '/v1/comments', { key: s.secretKey, body: serverComment() })).status).toBe(201);
    const ep = await api(a.url, 'POST', '/v1/webhooks', { key: s.secretKey, body: { url: 'http://127.0.0.1:9/hook', events: ['comment.created'] } });
    expect(ep.status).toBe(201);
    const deliveries = await within(2000, async () => {
      expect((await api(b.url, 'POST', '/v1/comments', { key: s.secretKey, body: serverComment() })).status).toBe(201);
      return (await api(a.url, 'GET', `/v1/webhooks/${ep.json.id}/deliveries`, { key: s.secretKey })).json;
    }, (j) => j?.deliveries?.length > 0);
    expect(deliveries.deliveries.length).toBeGreaterThan(0);
  });
});
