import type Redis from 'ioredis';
import { keys } from '../infra/keys';
import { pace, readStoredSum } from '../infra/stored-sum';
import type { QueueCounts, ReviewQueues } from './queue';

/** How often, at most, one process of the deployment counts every site's review queue for /metrics. */
export const DEPTH_INTERVAL_MS = 10_000;

/**
 * Every site's review queue depth summed, for /metrics without per-site series; undefined before the first count.
 * Counting reads four keys per site in Redis (about 4 µs of Redis time a site: at 1,000 sites the largest part of a
 * scrape), so one process recounts at most once per DEPTH_INTERVAL_MS after answering a scrape and every scrape reads
 * the stored sum (infra/stored-sum.ts, as captcha/totals.ts does).
 */
export async function reviewDepthTotals(
  redis: Redis, queues: Pick<ReviewQueues, 'countsOf'>, now = Date.now(), later: (count: () => void) => void = (count) => count(),
): Promise<QueueCounts | undefined> {
  const stored = await readStoredSum(redis, {
    hash: keys.reviewDepthTotals(), lock: keys.reviewDepthTotalsLock(), intervalMs: DEPTH_INTERVAL_MS, recount: () => countDepth(redis, queues, now),
  }, now, later);
  return stored && { waiting: Number(stored.waiting ?? 0), claimed: Number(stored.claimed ?? 0) };
}

/**
 * Sites counted per step of a recount: one script call of about 1 ms of Redis time (4 µs a site), so the requests
 * sharing Redis wait behind little.
 */
const DEPTH_BATCH = 100;

/** Counts every site's queue (ReviewQueues.countsOf, a script call per DEPTH_BATCH sites, `pause` between) and stores the sum. */
export async function countDepth(redis: Redis, queues: Pick<ReviewQueues, 'countsOf'>, now = Date.now(), pause: () => Promise<void> = pace): Promise<QueueCounts> {
  const ids = await redis.zrange(keys.siteIndex(), 0, -1);
  const sum = { waiting: 0, claimed: 0 };
  for (let i = 0; i < ids.length; i += DEPTH_BATCH) {
    if (i) await pause();
    for (const c of await queues.countsOf(ids.slice(i, i + DEPTH_BATCH))) {
      sum.waiting += c.waiting;
      sum.claimed += c.claimed;
    }
  }
  await redis.multi().hset(keys.reviewDepthTotals(), { ...sum, at: now }).expire(keys.reviewDepthTotals(), 86400).exec();
  return sum;
}
