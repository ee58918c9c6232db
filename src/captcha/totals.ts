import type Redis from 'ioredis';
import { keys } from '../infra/keys';
import { pace, readStoredSum } from '../infra/stored-sum';

/** How often, at most, one process of the deployment sums the sites' captcha counters. */
export const TOTALS_INTERVAL_MS = 60_000;
/**
 * Sites whose counters one summing step reads together (one pipelined batch). The sum shares the connection of
 * requests and scrapes, whose commands wait behind a batch in flight: small batches keep that wait short.
 */
const BATCH = 50;

export type CaptchaTotals = Record<string, number>;

/**
 * Every site's captcha counters summed, for /metrics; undefined before the first sum. Kept in one hash and recounted
 * in the background by one process per TOTALS_INTERVAL_MS (infra/stored-sum.ts), so a scrape never reads every site.
 */
export async function captchaTotals(redis: Redis, now = Date.now(), later: (sum: () => void) => void = (sum) => sum()): Promise<CaptchaTotals | undefined> {
  const stored = await readStoredSum(redis, {
    hash: keys.captchaTotals(), lock: keys.captchaTotalsLock(), intervalMs: TOTALS_INTERVAL_MS, recount: () => sumCaptchaStats(redis, now),
  }, now, later);
  return stored && fields(stored);
}

/** Reads every site's counters (in pipelined batches, with `pause` between them) and stores their sum. */
export async function sumCaptchaStats(redis: Redis, now = Date.now(), pause: () => Promise<void> = pace): Promise<CaptchaTotals> {
  const ids = await redis.zrange(keys.siteIndex(), 0, -1);
  const sum: CaptchaTotals = {};
  for (let i = 0; i < ids.length; i += BATCH) {
    if (i) await pause();
    const hashes = await Promise.all(ids.slice(i, i + BATCH).map((id) => redis.hgetall(keys.captchaStats(id))));
    for (const h of hashes) for (const [f, v] of Object.entries(h)) sum[f] = (sum[f] ?? 0) + Number(v);
  }
  await redis.multi().del(keys.captchaTotals()).hset(keys.captchaTotals(), { ...sum, at: now }).expire(keys.captchaTotals(), 86400).exec();
  return sum;
}

function fields(h: Record<string, string>): CaptchaTotals {
  const out: CaptchaTotals = {};
  for (const [f, v] of Object.entries(h)) if (f !== 'at') out[f] = Number(v);
  return out;
}
