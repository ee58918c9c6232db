import type Redis from 'ioredis';
import { MAX_BATCH } from '../../src/captcha/admit-batch';
import { admitCaptcha, MAX_FAILURES, storeCaptcha } from '../../src/captcha/captcha-store';
import { pressureKeys } from '../../src/captcha/difficulty';
import { RateLimitedError } from '../../src/errors';
import { connectRedis, createRequestRedis } from '../../src/infra/redis';
import { keys } from '../../src/infra/keys';
import { defaultPolicy } from '../../src/sites/policy';

/**
 * Challenges a site issues at the same moment are admitted in one script call (captcha/admit-batch.ts). Each must
 * still be checked against the limits and counted exactly as if it had had a call of its own.
 */
let redis: Redis;
let n = 0;
beforeAll(async () => {
  redis = createRequestRedis(process.env.TEST_REDIS_URL!);
  await connectRedis(redis);
});
afterAll(() => redis.disconnect());

const adaptive = defaultPolicy().powAdaptive;
const freshSite = () => `batch${process.pid}x${n++}`;
const limit = (siteId: string, client: string, points: number) => ({ key: keys.rateLimit(siteId, 'captcha-ip', client), points, windowSeconds: 60 });
const settle = <T>(ps: Array<Promise<T>>) => Promise.allSettled(ps);

describe('challenges admitted in batches', () => {
  it('when one network asks for 30 challenges at once, then each gets its own count, as one after another would', async () => {
    const siteId = freshSite(), now = Date.now();
    const pressure = pressureKeys(siteId, 'net-a', adaptive, now);
    const counts = await Promise.all(Array.from({ length: 30 }, () => admitCaptcha(redis, siteId, 'pow', 'net-a', undefined, limit(siteId, 'net-a', 1000), pressure)));
    const one = (k: 'site' | 'network') => counts.map((c) => c[k]).sort((a, b) => a - b);
    const oneToThirty = Array.from({ length: 30 }, (_, i) => i + 1);
    expect(one('network')).toEqual(oneToThirty);
    expect(one('site')).toEqual(oneToThirty);
    expect(Number(await redis.get(pressure.site[0]))).toBe(30);
    expect(Number(await redis.get(pressure.network[0]))).toBe(30);
    expect(await redis.hget(keys.captchaStats(siteId), 'pow:issued')).toBe('30');
    expect(await redis.ttl(pressure.site[0])).toBeGreaterThan(0);
  });

  it('when a batch holds more challenges than the client may have, then exactly its limit is admitted and only those are counted', async () => {
    const siteId = freshSite(), now = Date.now();
    const pressure = pressureKeys(siteId, 'net-b', adaptive, now);
    const other = pressureKeys(siteId, 'net-c', adaptive, now);
    const results = await settle([
      ...Array.from({ length: 12 }, () => admitCaptcha(redis, siteId, 'pow', 'net-b', undefined, limit(siteId, 'net-b', 5), pressure)),
      admitCaptcha(redis, siteId, 'pow', 'net-c', undefined, limit(siteId, 'net-c', 5), other),
    ]);
    const fromB = results.slice(0, 12);
    expect(fromB.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    const refused = fromB.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(7);
    expect(refused.every((r) => r.reason instanceof RateLimitedError)).toBe(true);
    expect(results[12].status).toBe('fulfilled');
    expect(Number(await redis.get(pressure.network[0]))).toBe(5);
    expect(Number(await redis.get(pressure.site[0]))).toBe(6);
    expect(await redis.hget(keys.captchaStats(siteId), 'pow:issued')).toBe('6');
  });

  it('when a client is over the failure limit, then it alone of its batch is refused', async () => {
    const siteId = freshSite(), now = Date.now();
    await redis.set(keys.captchaFailures(siteId, 'bad'), MAX_FAILURES, 'EX', 100);
    const results = await settle(['good1', 'bad', 'good2'].map((c) => admitCaptcha(redis, siteId, 'pow', c, undefined, limit(siteId, c, 10), pressureKeys(siteId, c, adaptive, now))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(((results[1] as PromiseRejectedResult).reason as RateLimitedError).status).toBe(429);
    expect(await redis.hget(keys.captchaStats(siteId), 'pow:issued')).toBe('2');
  });

  it('when more challenges wait than one call carries, then all are admitted, the site counts still running 1, 2, 3...', async () => {
    const siteId = freshSite(), now = Date.now();
    const total = 2 * MAX_BATCH + 7;
    const counts = await Promise.all(Array.from({ length: total }, (_, i) => admitCaptcha(redis, siteId, 'pow', `c${i}`, undefined, limit(siteId, `c${i}`, 1), pressureKeys(siteId, `c${i}`, adaptive, now))));
    expect(counts.map((c) => c.site).sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(counts.every((c) => c.network === 1)).toBe(true);
  });

  it('when image captchas are issued at once, then every answer is stored under its own id, and Redis forgetting the script changes nothing', async () => {
    const siteId = freshSite();
    await redis.script('FLUSH');
    const secret = Buffer.from('batch-test-secret');
    const issued = await Promise.all(Array.from({ length: 10 }, (_, i) => storeCaptcha(redis, secret, siteId, { id: `img${i}`, answer: `ans${i}` }, 60, Date.now(), `cl${i}`, limit(siteId, `cl${i}`, 3))));
    expect(issued.map((c) => c.id)).toEqual(Array.from({ length: 10 }, (_, i) => `img${i}`));
    for (let i = 0; i < 10; i++) {
      const stored = await redis.get(keys.captcha(siteId, `img${i}`));
      expect(stored?.split(':')[2]).toBe(`cl${i}`);
      expect(await redis.ttl(keys.captcha(siteId, `img${i}`))).toBeGreaterThan(60);
    }
    expect(await redis.hget(keys.captchaStats(siteId), 'issued')).toBe('10');
  });

  it('when the previous bucket still counts, then each challenge gets its share of it, at the moment it was asked', async () => {
    const siteId = freshSite();
    const window = adaptive.windowSeconds * 1000;
    const start = (Math.floor(Date.now() / window) + 1) * window;
    const before = pressureKeys(siteId, 'net-d', adaptive, start - 1000);
    await Promise.all(Array.from({ length: 10 }, () => admitCaptcha(redis, siteId, 'pow', 'net-d', undefined, undefined, before)));
    // A quarter and three quarters into the next window, in one batch: 75 % and 25 % of the previous bucket's 10 count.
    const [early, late] = await Promise.all([start + window / 4, start + (3 * window) / 4].map((at) => admitCaptcha(redis, siteId, 'pow', 'net-d', undefined, undefined, pressureKeys(siteId, 'net-d', adaptive, at))));
    expect([early.network, late.network]).toEqual([1 + 7, 2 + 2]);
  });
});
