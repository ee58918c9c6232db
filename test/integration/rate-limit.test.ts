import { keys } from '../../src/infra/keys';
import { connectRedis, createRequestRedis } from '../../src/infra/redis';
import { consume } from '../../src/infra/rate-limit';
import { RateLimitedError } from '../../src/errors';
import { identityHash } from '../../src/moderation/identity';
import { ipSubject } from '../../src/moderation/ip-subject';
import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

// The one fixed-window limiter (infra/rate-limit.ts) that comment intake, captcha issuing, feedback and the
// Perspective-compatible API all spend; these tests are its suite.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { workers: false });
});
afterAll(() => t.close());

const fresh = () => `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

describe('the fixed-window limiter', () => {
  it('when a subject spends its points, then the next is refused with Retry-After within the window, and other subjects and sites are not limited', async () => {
    const site = fresh();
    const limit = (subject: string, s = site) => ({ key: keys.rateLimit(s, 'test', subject), points: 3, windowSeconds: 60 });
    for (let i = 0; i < 3; i++) await consume(t.redis, limit('a'));
    const e = await refusal(consume(t.redis, limit('a')));
    expect(e).toBeInstanceOf(RateLimitedError);
    const retry = Number((e as RateLimitedError).headers?.['Retry-After']);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    await expect(consume(t.redis, limit('b'))).resolves.toBeUndefined();
    await expect(consume(t.redis, limit('a', fresh()))).resolves.toBeUndefined();
  });

  it('when the window ends, then the subject has its points again', async () => {
    const limit = { key: keys.rateLimit(fresh(), 'test', 'a'), points: 1, windowSeconds: 60 };
    await consume(t.redis, limit);
    expect(await refusal(consume(t.redis, limit))).toBeInstanceOf(RateLimitedError);
    await t.redis.pexpire(limit.key, 1);
    await until('the window to end', async () => (await t.redis.exists(limit.key)) === 0);
    await expect(consume(t.redis, limit)).resolves.toBeUndefined();
  });

  it('when a limit\'s key has no expiry (written by something else), then a refusal gives it one, so nobody is locked out for good', async () => {
    const limit = { key: keys.rateLimit(fresh(), 'test', 'a'), points: 2, windowSeconds: 30 };
    await t.redis.set(limit.key, 99);
    expect(await refusal(consume(t.redis, limit))).toBeInstanceOf(RateLimitedError);
    const ttl = await t.redis.pttl(limit.key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
  });

  it('when a client first spends a limit in the same turn as other commands, then every command gets its own answer', async () => {
    // A script ioredis defines on first use (defineCommand, as rate-limiter-flexible does) is missing from a pipeline
    // the GETs opened before it, which shifts every reply in that pipeline; the limiter must not depend on it.
    const redis = createRequestRedis(process.env.TEST_REDIS_URL!);
    await connectRedis(redis);
    try {
      const site = fresh();
      const key = keys.rateLimit(site, 'value', 'v');
      await redis.set(key, 'v');
      const limit = (s: string) => ({ key: keys.rateLimit(site, 'test', s), points: 5, windowSeconds: 60 });
      const answers = await Promise.all([redis.get(key), consume(redis, limit('a')), redis.get(key), consume(redis, limit('b')), redis.get(key)]);
      expect(answers).toEqual(['v', undefined, 'v', undefined, 'v']);
      await redis.del(key);
    } finally {
      redis.disconnect();
    }
  });
});

describe('every limit is the same limiter under the same keys', () => {
  const ipHash = (ip: string) => identityHash(t.service.ctx.moderation.secret, 'ip', ipSubject(ip, t.service.ctx.moderation.settings.ipv6Prefix));

  it('when the per-IP comment limit was spent through the limiter, then comment intake refuses that IP', async () => {
    const site = await t.site({ rateLimits: { commentsPerIpPerMinute: 2, commentsPerEmailPerHour: 100, captchasPerIpPerMinute: 100 } });
    const ip = '198.51.100.77';
    const limit = { key: keys.rateLimit(site.siteId, 'comment-ip', ipHash(ip)), points: 2, windowSeconds: 60 };
    await consume(t.redis, limit);
    const body = serverComment({ client: { ip, userAgent: 'Mozilla/5.0' } });
    expect((await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, body })).status).toBe(201);
    const refused = await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, body });
    expect(refused.status).toBe(429);
    expect(refused.json.code).toBe('rate_limited');
  });

  it('when the per-IP captcha limit was spent through the limiter, then captcha issuing refuses that client, in every captcha mode', async () => {
    for (const captcha of ['svg', 'pow', 'off'] as const) {
      const site = await t.site({ captcha, rateLimits: { commentsPerIpPerMinute: 100, commentsPerEmailPerHour: 100, captchasPerIpPerMinute: 1 } });
      // The test client connects over loopback; the app sees it as either form of 127.0.0.1, which count as one.
      await consume(t.redis, { key: keys.rateLimit(site.siteId, 'captcha-ip', ipHash('127.0.0.1')), points: 1, windowSeconds: 60 });
      const refused = await api(t.url, 'POST', '/v1/captchas', { key: site.siteKey });
      expect([captcha, refused.status, refused.json.code]).toEqual([captcha, 429, 'rate_limited']);
    }
  });
});
