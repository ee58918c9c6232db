import { keys } from '../../src/infra/keys';
import type { CreatedSite } from '../../src/sites/site-store';
import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';

/**
 * Security: helmet headers, CORS only for a site's own origins, keys stored hashed, one site's keys never
 * reaching another site's data, and rate limits that hold under a concurrent burst from one IP.
 */
let t: TestApp;
let a: CreatedSite;
let b: CreatedSite;

beforeAll(async () => {
  t = await startTestApp({ VIGIL_WEBHOOK_QUEUE: `webhooks-security-${process.pid}`, VIGIL_WEBHOOK_ALLOWLIST: '127.0.0.1' }, { workers: false });
  a = await t.site({ captcha: 'off', rateLimits: { commentsPerIpPerMinute: 1000 } }, ['https://a.example']);
  b = await t.site({ captcha: 'off', rateLimits: { commentsPerIpPerMinute: 1000 } }, ['https://b.example']);
});
afterAll(async () => {
  await t.close();
});

describe('headers', () => {
  it.each(['/healthz', '/v1/site', '/demo/', '/nope'])('when %s is fetched, then helmet headers are set and x-powered-by is not', async (path) => {
    const r = await api(t.url, 'GET', path, { key: a.secretKey });
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(r.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    expect(r.headers.get('x-powered-by')).toBeNull();
  });
});

describe('CORS', () => {
  it("when a browser calls from the site's origin, then CORS allows exactly that origin", async () => {
    const r = await api(t.url, 'POST', '/v1/captchas', { key: a.siteKey, headers: { origin: 'https://a.example' } });
    expect(r.status).toBe(201);
    expect(r.headers.get('access-control-allow-origin')).toBe('https://a.example');
    expect(r.headers.get('vary')).toMatch(/Origin/i);
  });

  it.each(['https://b.example', 'https://a.example.evil.test', 'null', 'http://a.example'])(
    'when a browser calls with origin %s that is not the site’s, then 403 and no CORS grant',
    async (origin) => {
      const r = await api(t.url, 'POST', '/v1/captchas', { key: a.siteKey, headers: { origin } });
      expect(r.status).toBe(403);
      expect(r.json.code).toBe('forbidden');
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
    },
  );

  it('when a comment is posted with the site key from a foreign origin, then it is refused and nothing is stored', async () => {
    const before = await t.redis.zcard(keys.thread(a.siteId, 'cors-thread', 'approved'));
    const r = await api(t.url, 'POST', '/v1/comments', { key: a.siteKey, headers: { origin: 'https://b.example' }, body: serverComment({ threadId: 'cors-thread', client: undefined }) });
    expect(r.status).toBe(403);
    expect(await t.redis.zcard(keys.thread(a.siteId, 'cors-thread', 'approved'))).toBe(before);
  });
});

describe('keys', () => {
  it('when a site is created, then Redis holds only hashes of its keys', async () => {
    const h = await t.redis.hgetall(keys.site(a.siteId));
    const all = JSON.stringify(h);
    expect(all).not.toContain(a.siteKey);
    expect(all).not.toContain(a.secretKey);
    // the random part is the last 32 characters; it may itself contain '_'
    expect(all).not.toContain(a.secretKey.slice(-32));
    expect(h.secretKeyHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("when site A's keys ask for site B's comment, thread, policy or webhooks, then they get nothing of B's", async () => {
    const posted = await api(t.url, 'POST', '/v1/comments', { key: b.secretKey, body: serverComment({ threadId: 'b-only' }) });
    expect(posted.status).toBe(201);
    const id = posted.json.id;
    expect((await api(t.url, 'GET', `/v1/comments/${id}`, { key: b.secretKey })).status).toBe(200);
    expect((await api(t.url, 'GET', `/v1/comments/${id}`, { key: a.secretKey })).status).toBe(404);
    const thread = await api(t.url, 'GET', '/v1/threads/b-only/comments', { key: a.secretKey });
    expect(thread.status).toBe(200);
    expect(thread.json.comments).toEqual([]);
    const policy = await api(t.url, 'GET', '/v1/site/policy', { key: a.secretKey });
    expect(policy.json.allowedOrigins).toEqual(['https://a.example']);
    const hooks = await api(t.url, 'POST', '/v1/webhooks', { key: b.secretKey, body: { url: 'http://127.0.0.1:9/b-hook', events: ['comment.created'] } });
    expect(hooks.status).toBe(201);
    const listed = await api(t.url, 'GET', '/v1/webhooks', { key: a.secretKey });
    expect(JSON.stringify(listed.json)).not.toContain(hooks.json.id);
    expect((await api(t.url, 'GET', `/v1/webhooks/${hooks.json.id}`, { key: a.secretKey })).status).toBe(404);
    expect((await api(t.url, 'DELETE', `/v1/webhooks/${hooks.json.id}`, { key: a.secretKey })).status).toBe(404);
  });

  it("when a key is forged from one site's id and another site's secret part, then 401", async () => {
    const forged = `sk_${b.siteId}_${a.secretKey.slice(-32)}`;
    const r = await api(t.url, 'GET', '/v1/site', { key: forged });
    expect(r.status).toBe(401);
    const r2 = await api(t.url, 'GET', '/v1/site', { key: a.secretKey.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) });
    expect(r2.status).toBe(401);
  });

  it('when the public site key is used where the secret key is needed, then 403', async () => {
    for (const [m, p] of [['GET', '/v1/site'], ['POST', '/v1/check'], ['GET', '/v1/comments/x'], ['GET', '/v1/webhooks']] as const) {
      const r = await api(t.url, m, p, { key: a.siteKey, body: m === 'POST' ? { body: 'hi' } : undefined });
      expect(r.status).toBe(403);
    }
  });
});

describe('rate limits under a burst', () => {
  it('when 60 comments from one IP arrive at once, then exactly the limit is accepted and the rest get 429 with Retry-After', async () => {
    const s = await t.site({ captcha: 'off', rateLimits: { commentsPerIpPerMinute: 10, commentsPerEmailPerHour: 1000 } });
    const all = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        api(t.url, 'POST', '/v1/comments', { key: s.secretKey, body: serverComment({ author: { name: `R${i}`, email: `r${i}@example.com` }, body: `Burst comment ${i} about the park plan.`, client: { ip: '203.0.113.50' } }) }),
      ),
    );
    expect(all.filter((r) => r.status === 201)).toHaveLength(10);
    const limited = all.filter((r) => r.status === 429);
    expect(limited).toHaveLength(50);
    expect(limited.every((r) => Number(r.headers.get('retry-after')) > 0 && r.json.code === 'rate_limited')).toBe(true);
  });

  it('when 40 captchas are asked for at once from one IP, then exactly the limit is issued', async () => {
    const s = await t.site({ rateLimits: { captchasPerIpPerMinute: 7 } });
    const all = await Promise.all(Array.from({ length: 40 }, () => api(t.url, 'POST', '/v1/captchas', { key: s.siteKey, headers: { 'x-forwarded-for': '198.51.100.77' } })));
    expect(all.filter((r) => r.status === 201)).toHaveLength(7);
    expect(all.filter((r) => r.status === 429)).toHaveLength(33);
  });

  it('when the proxy is not trusted, then a spoofed X-Forwarded-For does not buy more captchas', async () => {
    const strict = await startTestApp({ TRUST_PROXY: 'false', VIGIL_WEBHOOK_QUEUE: `webhooks-security-${process.pid}` }, { workers: false });
    try {
      const s = await strict.site({ rateLimits: { captchasPerIpPerMinute: 5 } });
      const all = await Promise.all(
        Array.from({ length: 20 }, (_, i) => api(strict.url, 'POST', '/v1/captchas', { key: s.siteKey, headers: { 'x-forwarded-for': `192.0.2.${i}` } })),
      );
      expect(all.filter((r) => r.status === 201)).toHaveLength(5);
    } finally {
      await strict.close();
    }
  });
});
