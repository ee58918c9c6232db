import type Redis from 'ioredis';
import { captchaTotals, TOTALS_INTERVAL_MS } from '../../src/captcha/totals';
import { keys } from '../../src/infra/keys';
import { connectRedis, createRedis } from '../../src/infra/redis';
import { createSite } from '../../src/sites/site-store';
import { api, startTestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';
import { watchKeys } from '../helpers/redis-spy';

// A database of its own: the totals sum every site in the Redis.
const shared = process.env.TEST_REDIS_URL!;
const own = /cluster=true/.test(shared) ? shared : `${shared.replace(/\/\d*$/, '')}/9`;
const alone = own !== shared ? it : it.skip;

let redis: Redis;
const siteIds: string[] = [];
/** hgetall calls on sites' captcha counters. */
let siteReads = 0;

beforeAll(async () => {
  redis = createRedis(own);
  await connectRedis(redis);
  if (own !== shared) await redis.flushdb();
  for (let i = 0; i < 30; i++) {
    const { siteId } = await createSite(redis, { name: `site ${i}`, origins: ['https://news.example'] });
    siteIds.push(siteId);
    await redis.hset(keys.captchaStats(siteId), { issued: 2, solved: 1, 'pow:issued': 1 });
  }
  watchKeys(redis, 'hgetall', (k) => {
    if (k.endsWith(':captcha-stats')) siteReads++;
  });
});
afterAll(() => redis.disconnect());

alone('when /metrics asks for the totals repeatedly, then the sites are summed once per interval, not once per scrape', async () => {
  const t0 = 1_900_000_000_000;
  // No sum stored yet: the first call does not wait for one; the sum is made where the caller says (after its answer).
  let later: (() => void) | undefined;
  expect(await captchaTotals(redis, t0, (sum) => (later = sum))).toBeUndefined();
  expect(siteReads).toBe(0);
  later!();
  await until('the first sum', async () => (await captchaTotals(redis, t0 + 1))?.issued === 60);
  expect(await captchaTotals(redis, t0 + 2)).toEqual({ issued: 60, solved: 30, 'pow:issued': 30 });
  expect(siteReads).toBe(30);
  for (let i = 1; i <= 20; i++) await captchaTotals(redis, t0 + i * 1000);
  expect(siteReads).toBe(30);
});

alone('when the interval has passed, then a scrape answers the previous sum at once and the new one is summed in the background', async () => {
  const t1 = 1_900_000_000_000 + TOTALS_INTERVAL_MS + 1;
  await redis.del(keys.captchaTotalsLock());
  await redis.hincrby(keys.captchaStats(siteIds[0]), 'issued', 5);
  expect((await captchaTotals(redis, t1))?.issued).toBe(60);
  await until('the background sum', async () => (await captchaTotals(redis, t1 + 1))?.issued === 65);
  // Another process scraping in the same interval does not sum again.
  const reads = siteReads;
  await redis.hset(keys.captchaTotals(), 'at', 0);
  await captchaTotals(redis, t1 + 2);
  expect(siteReads).toBe(reads);
});

it('when /metrics is scraped without per-site series, then no scrape reads each site\'s captcha counters', async () => {
  // On the suite's shared Redis, as a deployment with many sites.
  const app = await startTestApp({ METRICS_TOKEN: 'metrics-token-0123456789abcdef' }, { workers: false });
  try {
    for (let i = 0; i < 5; i++) await app.site({ captcha: 'svg' });
    // A scrape that finds no recent sum starts one once it has answered; wait for it to be stored. The stored sum is
    // dropped first: one a test before left could be all but an interval old and go stale during the scrapes below
    // (as it did on CI's slower cluster run), when a scrape would rightly sum again.
    await app.redis.del(keys.captchaTotals(), keys.captchaTotalsLock());
    const since = Date.now();
    await api(app.url, 'GET', '/metrics', { key: 'metrics-token-0123456789abcdef' });
    // (A sum is written last, after its reads. One another test's process started just before the drop may land
    // too, a moment older: anything from the last half interval leaves the scrapes below ample time.)
    await until('a sum of this interval', async () => Number(await app.redis.hget(keys.captchaTotals(), 'at')) > since - TOTALS_INTERVAL_MS / 2);
    let reads = 0;
    watchKeys(app.redis, 'hgetall', (k) => {
      if (k.endsWith(':captcha-stats')) reads++;
    });
    for (let i = 0; i < 3; i++) expect((await api(app.url, 'GET', '/metrics', { key: 'metrics-token-0123456789abcdef' })).status).toBe(200);
    expect(reads).toBe(0);
  } finally {
    await app.close();
  }
});
