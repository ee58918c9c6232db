import type Redis from 'ioredis';

/** Where a deployment-wide sum is kept and how it is recounted. */
export interface StoredSum {
  /** The hash holding the sum and its `at` (ms), with a TTL set by `recount`. */
  hash: string;
  /** Held by the one process recounting this interval; TTL = the interval, never released but on failure. */
  lock: string;
  intervalMs: number;
  /** Reads every site and stores the new sum in `hash` (with `at`). */
  recount: () => Promise<unknown>;
}

/**
 * The stored fields of a sum over every site (captcha counters, review queue depths) for /metrics; undefined before
 * the first recount. A scrape that read every site would cost time in proportion to the number of sites; instead one
 * process of the deployment, whichever takes the interval's lock, recounts at most once per interval, through `later`,
 * which a scrape sets to run once its answer is sent, so neither the scrape nor the requests sharing its connection
 * wait behind the per-site reads. The sum is thus up to one interval (and one scrape) old; a deployment nobody scrapes
 * recounts nothing. A failed recount frees the lock, so the next scrape tries again rather than showing an old sum.
 */
export async function readStoredSum(
  redis: Redis, sum: StoredSum, now: number, later: (work: () => void) => void,
): Promise<Record<string, string> | undefined> {
  const stored = await redis.hgetall(sum.hash);
  const fresh = Number(stored.at ?? 0) > now - sum.intervalMs;
  if (!fresh && (await redis.set(sum.lock, String(now), 'PX', sum.intervalMs, 'NX')) === 'OK') {
    later(() => {
      sum.recount().catch(async () => {
        await redis.del(sum.lock).catch(() => undefined);
      });
    });
  }
  return stored.at ? stored : undefined;
}

/**
 * The pause between two batches of a recount's reads. A recount at 1,000 sites costs tens of milliseconds of CPU
 * (more with its code still cold, as it is when it runs once a minute) and, sent batch after batch, held the event
 * loop and the connection through the scrapes that came right after the one that started it (`npm run bench:sites`:
 * worst of 15 back-to-back scrapes 74-86 ms, against 16 ms with no recount). Paced, a request or scrape that arrives
 * meanwhile waits behind one batch at most; the recount takes a little longer (20 batches of 50 sites: about 0.2 s),
 * well inside its interval.
 */
export const RECOUNT_PAUSE_MS = 10;

/** Waits RECOUNT_PAUSE_MS; what recounts call between batches (tests pass their own). */
export const pace = (): Promise<void> => new Promise((r) => setTimeout(r, RECOUNT_PAUSE_MS));
