import type Redis from 'ioredis';
import { keys } from '../infra/keys';

/** How often, at most, one process of the deployment sums the sites' captcha counters. */
export const TOTALS_INTERVAL_MS = 60_000;
/** Sites whose counters one summing step reads together (one pipelined batch). */
const BATCH = 200;

export type CaptchaTotals = Record<string, number>;

/**
 * Every site's captcha counters summed, for /metrics. A scrape that read one hash per site would cost time in
 * proportion to the number of sites (a second at a thousand sites on a busy machine); instead the sum is kept in one
 * hash that a scrape reads, and refreshed in the background at most once per TOTALS_INTERVAL_MS by whichever process
 * wins that interval's lock, so a deployment sums once per interval however many processes are scraped. The totals
 * are therefore up to one interval old; an idle deployment (nobody scraping) sums nothing. Only the first scrape of a
 * new deployment waits for a sum.
 */
export async function captchaTotals(redis: Redis, now = Date.now()): Promise<CaptchaTotals> {
  const stored = await redis.hgetall(keys.captchaTotals());
  const at = Number(stored.at ?? 0);
  if (at > now - TOTALS_INTERVAL_MS) return fields(stored);
  const won = (await redis.set(keys.captchaTotalsLock(), String(now), 'PX', TOTALS_INTERVAL_MS, 'NX')) === 'OK';
  if (!won) return fields(stored);
  // A failed sum frees the interval, so the next scrape tries again rather than showing old totals for a minute.
  const summing = sumCaptchaStats(redis, now).catch(async (err: unknown) => {
    await redis.del(keys.captchaTotalsLock()).catch(() => undefined);
    throw err;
  });
  if (!stored.at) return summing;
  // Answer with the previous sum now; a later scrape gets the new one.
  summing.catch(() => undefined);
  return fields(stored);
}

/** Reads every site's counters (in pipelined batches) and stores their sum. */
export async function sumCaptchaStats(redis: Redis, now = Date.now()): Promise<CaptchaTotals> {
  const ids = await redis.zrange(keys.siteIndex(), 0, -1);
  const sum: CaptchaTotals = {};
  for (let i = 0; i < ids.length; i += BATCH) {
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
