import type Redis from 'ioredis';
import { keys } from '../infra/keys';
import type { QueueCounts, ReviewQueues } from './queue';

/** How often, at most, one process of the deployment counts every site's review queue for /metrics. */
export const DEPTH_INTERVAL_MS = 10_000;

/**
 * Every site's review queue depth summed, for /metrics without per-site series; undefined before the first count.
 * Counting reads four keys per site in Redis (about 4 µs of Redis time a site, so a scrape of 1,000 sites spent more
 * time waiting for Redis than anything else, and a scrape's cost grew with the number of sites); instead one process
 * of the deployment counts at most once per DEPTH_INTERVAL_MS, after answering a scrape (through `later`), and every
 * scrape reads the stored sum. The depth shown is therefore the one counted after the previous scrape of any process
 * (a scrape interval old at most); an idle deployment that nobody scrapes counts nothing. As captcha/totals.ts does.
 */
export async function reviewDepthTotals(
  redis: Redis, queues: Pick<ReviewQueues, 'countsOf'>, now = Date.now(), later: (count: () => void) => void = (count) => count(),
): Promise<QueueCounts | undefined> {
  const stored = await redis.hgetall(keys.reviewDepthTotals());
  const at = Number(stored.at ?? 0);
  if (at <= now - DEPTH_INTERVAL_MS && (await redis.set(keys.reviewDepthTotalsLock(), String(now), 'PX', DEPTH_INTERVAL_MS, 'NX')) === 'OK') {
    later(() => {
      countDepth(redis, queues, now).catch(async () => {
        // A failed count frees the interval, so the next scrape tries again.
        await redis.del(keys.reviewDepthTotalsLock()).catch(() => undefined);
      });
    });
  }
  return stored.at ? { waiting: Number(stored.waiting ?? 0), claimed: Number(stored.claimed ?? 0) } : undefined;
}

/** Counts every site's queue (ReviewQueues.countsOf, a script call per 500 sites) and stores the sum. */
export async function countDepth(redis: Redis, queues: Pick<ReviewQueues, 'countsOf'>, now = Date.now()): Promise<QueueCounts> {
  const ids = await redis.zrange(keys.siteIndex(), 0, -1);
  const sum = { waiting: 0, claimed: 0 };
  for (const c of await queues.countsOf(ids)) {
    sum.waiting += c.waiting;
    sum.claimed += c.claimed;
  }
  await redis.multi().hset(keys.reviewDepthTotals(), { ...sum, at: now }).expire(keys.reviewDepthTotals(), 86400).exec();
  return sum;
}
