import type Redis from 'ioredis';
import { keys } from '../infra/keys';

/** How often, at most, one process of the deployment sums the sites' captcha counters. */
export const TOTALS_INTERVAL_MS = 60_000;
/**
 * Sites whose counters one summing step reads together (one pipelined batch). The sum shares the connection of
 * requests and scrapes, whose commands wait behind a batch in flight: small batches keep that wait short.
 */
const BATCH = 50;

export type CaptchaTotals = Record<string, number>;

/**
 * Every site's captcha counters summed, for /metrics; undefined when no sum has been stored yet. A scrape that read
 * one hash per site would cost time in proportion to the number of sites (a second at a thousand sites on a busy
 * machine); instead the sum is kept in one hash that a scrape reads, and refreshed in the background at most once per
 * TOTALS_INTERVAL_MS by whichever process wins that interval's lock, so a deployment sums once per interval however
 * many processes are scraped. The totals are therefore up to one interval old; an idle deployment (nobody scraping)
 * sums nothing. No scrape waits for a sum: the first scrape of a deployment (or the first after the hash expired)
 * answers without the captcha series and starts the sum through `later`, which the scrape sets to run once its answer
 * is sent, so the sum's reads of every site do not queue ahead of the scrape's own on the connection.
 */
export async function captchaTotals(redis: Redis, now = Date.now(), later: (sum: () => void) => void = (sum) => sum()): Promise<CaptchaTotals | undefined> {
  const stored = await redis.hgetall(keys.captchaTotals());
  const at = Number(stored.at ?? 0);
  if (at > now - TOTALS_INTERVAL_MS) return fields(stored);
  const won = (await redis.set(keys.captchaTotalsLock(), String(now), 'PX', TOTALS_INTERVAL_MS, 'NX')) === 'OK';
  if (won) {
    later(() => {
      // A failed sum frees the interval, so the next scrape tries again rather than showing old totals for a minute.
      sumCaptchaStats(redis, now).catch(async () => {
        await redis.del(keys.captchaTotalsLock()).catch(() => undefined);
      });
    });
  }
  // The previous sum now (a later scrape gets the new one); none yet on a new deployment.
  return stored.at ? fields(stored) : undefined;
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
