import type Redis from 'ioredis';
import { sumCaptchaStats } from '../../src/captcha/totals';
import { countDepth } from '../../src/review/depth-totals';
import type { QueueCounts } from '../../src/review/queue';
import { keys } from '../../src/infra/keys';
import { connectRedis, createRequestRedis } from '../../src/infra/redis';
import { createSite } from '../../src/sites/site-store';
import { watchKeys } from '../helpers/redis-spy';

// The sums behind /metrics read every site; they must leave the event loop and the connection to the requests and
// scrapes that arrive meanwhile: a bounded batch of reads, then a pause (infra/stored-sum.ts pace), then the next.
let redis: Redis;
beforeAll(async () => {
  redis = createRequestRedis(process.env.TEST_REDIS_URL!);
  await connectRedis(redis);
  // The suite's Redis holds other files' sites too; these make sure there are several batches' worth.
  for (let i = 0; i < 120; i++) await createSite(redis, { name: `pacing ${i}`, origins: ['https://news.example'] });
});
afterAll(() => redis.disconnect());

it('when the captcha totals are recounted, then every site is read in batches of at most 50 with a pause between batches', async () => {
  const sites = await redis.zcard(keys.siteIndex());
  const reads: string[] = [];
  const segments: number[] = [];
  const spy = watchKeys(redis, 'hgetall', (key) => reads.push(key));
  try {
    let last = 0;
    await sumCaptchaStats(redis, Date.now(), async () => {
      segments.push(reads.length - last);
      last = reads.length;
    });
    segments.push(reads.length - last);
  } finally {
    spy.mockRestore();
  }
  expect(reads.filter((k) => k.endsWith(':captcha-stats')).length).toBe(sites);
  expect(segments.length).toBe(Math.ceil(sites / 50));
  for (const n of segments) expect(n).toBeLessThanOrEqual(50);
});

it('when the review depth is recounted, then the queues are counted 100 sites at a time with a pause between calls, and summed', async () => {
  const sites = await redis.zcard(keys.siteIndex());
  const events: Array<number | 'pause'> = [];
  const queues = {
    countsOf: async (ids: string[]): Promise<QueueCounts[]> => {
      events.push(ids.length);
      return ids.map(() => ({ waiting: 2, claimed: 1 }));
    },
  };
  const sum = await countDepth(redis, queues, Date.now(), async () => void events.push('pause'));
  expect(sum).toEqual({ waiting: 2 * sites, claimed: sites });
  const calls = events.filter((e): e is number => e !== 'pause');
  expect(calls.length).toBe(Math.ceil(sites / 100));
  for (const n of calls) expect(n).toBeLessThanOrEqual(100);
  // Calls and pauses alternate.
  events.forEach((e, i) => expect({ i, pause: e === 'pause' }).toEqual({ i, pause: i % 2 === 1 }));
});
