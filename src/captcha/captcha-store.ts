import crypto from 'node:crypto';
import type Redis from 'ioredis';
import { keys } from '../infra/keys';
import type { Limit } from '../infra/rate-limit';
import { admitInBatch } from './admit-batch';
import { CaptchaExpiredError, CaptchaInvalidError, RateLimitedError } from '../errors';
import type { PressureKeys } from './difficulty';

/** Kept past expiry so that a late answer is told "expired" rather than "invalid". */
const GRACE_SECONDS = 600;

/**
 * Wrong answers one client may give per site in FAILURE_WINDOW_SECONDS before it gets no new captchas. Each captcha
 * already allows one guess; this bounds how many guesses a client can buy by fetching captcha after captcha.
 */
export const MAX_FAILURES = 20;
export const FAILURE_WINDOW_SECONDS = 600;

/** The modes counted apart in the stats (every site mode but `off`). */
export type CaptchaMode = 'svg' | 'pow' | 'pow+svg';
const MODES: CaptchaMode[] = ['svg', 'pow', 'pow+svg'];
export type CaptchaOutcome = 'issued' | 'solved' | 'failed' | 'expired';
const OUTCOMES: CaptchaOutcome[] = ['issued', 'solved', 'failed', 'expired'];

/** Stats hash field; svg keeps the bare names it always had. */
export const field = (mode: CaptchaMode, outcome: CaptchaOutcome) => (mode === 'svg' ? outcome : `${mode}:${outcome}`);

export function answerHmac(secret: Buffer, siteId: string, id: string, answer: string): string {
  // The site and captcha id are part of the MAC, so an answer cannot be moved to another captcha or site.
  return crypto.createHmac('sha256', secret).update(`${siteId}\0${id}\0${answer.trim().toLowerCase()}`).digest('hex');
}

/** The per-IP limit on new captchas (its key from infra/keys' rateLimit, for the client). */
export type IssueLimit = Limit;

/**
 * Counts a new challenge and, for an image, stores its answer as an HMAC only: a Redis dump reveals no captcha text.
 * The stored value is `expiresAt:hmac:client`, the client being a keyed hash of the requester's IP. With `pressure`
 * (proof-of-work modes) the challenge is counted for the adaptive difficulty and the recent counts are returned.
 * Throws rate_limited when the client is over `limit` or has given too many wrong answers lately.
 */
export async function admitCaptcha(
  redis: Redis, siteId: string, mode: CaptchaMode, client: string,
  stored?: { id: string; value: string; ttlSeconds: number }, limit?: IssueLimit, pressure?: PressureKeys,
): Promise<{ site: number; network: number }> {
  // Batched with the site's other challenges waiting at the same moment, each checked and counted as if alone.
  const [refused, site, network] = await admitInBatch(
    redis,
    { statsKey: keys.captchaStats(siteId), field: field(mode, 'issued'), maxFailures: MAX_FAILURES, stores: stored !== undefined, pressure },
    {
      failuresKey: keys.captchaFailures(siteId, client), limit, network: pressure?.network, previousShare: pressure?.previousShare ?? 0,
      stored: stored && { key: keys.captcha(siteId, stored.id), value: stored.value, ttlSeconds: stored.ttlSeconds },
    },
  );
  if (refused !== 0) throw new RateLimitedError(refused > 0 ? refused : FAILURE_WINDOW_SECONDS);
  return { site, network };
}

/**
 * Stores a new image captcha's answer under its id (see admitCaptcha); in pow+svg mode the same id is the salt of the
 * proof of work that goes with it.
 */
export async function storeCaptcha(
  redis: Redis, secret: Buffer, siteId: string, captcha: { id: string; answer: string }, ttlSeconds: number, now = Date.now(), client = '',
  limit?: IssueLimit, mode: CaptchaMode = 'svg', pressure?: PressureKeys,
): Promise<{ id: string; expiresAt: string; counts: { site: number; network: number } }> {
  const { id, answer } = captcha;
  const expiresAt = now + ttlSeconds * 1000;
  const value = `${expiresAt}:${answerHmac(secret, siteId, id, answer)}:${client}`;
  const counts = await admitCaptcha(redis, siteId, mode, client, { id, value, ttlSeconds: ttlSeconds + GRACE_SECONDS }, limit, pressure);
  return { id, expiresAt: new Date(expiresAt).toISOString(), counts };
}

/**
 * Checks an answer and burns the captcha in the same step (GETDEL), so it is single-use and a wrong answer spends
 * it too: a bot gets exactly one guess per image.
 */
export async function consumeCaptcha(
  redis: Redis, secret: Buffer, siteId: string, id: string, answer: string, now = Date.now(),
): Promise<void> {
  const stored = await redis.getdel(keys.captcha(siteId, id));
  const outcome = judge(stored, answerHmac(secret, siteId, id, answer), now);
  await record(redis, siteId, 'svg', outcome, stored?.split(':')[2]);
}

/** The outcome of an answer against a stored image captcha (`expiresAt:hmac:client`, or null when unknown or spent). */
export function judge(stored: string | null, presented: string, now: number): CaptchaOutcome {
  if (!stored) return 'failed';
  const [expiresAt, hmac] = stored.split(':');
  if (now > Number(expiresAt)) return 'expired';
  const ok = hmac.length === presented.length && crypto.timingSafeEqual(Buffer.from(hmac), Buffer.from(presented));
  return ok ? 'solved' : 'failed';
}

/**
 * Counts an outcome, charges a failure to the client that asked for the captcha, and throws unless solved. With
 * `pressure` (proof-of-work modes) a failure also weighs `weight` events in the site's and the client's current
 * buckets, in the same transaction.
 */
export async function record(
  redis: Redis, siteId: string, mode: CaptchaMode, outcome: CaptchaOutcome, client?: string,
  pressure?: { keys: PressureKeys; weight: number },
): Promise<void> {
  const m = redis.multi().hincrby(keys.captchaStats(siteId), field(mode, outcome), 1);
  if (outcome === 'failed' && client) {
    const k = keys.captchaFailures(siteId, client);
    m.incr(k).expire(k, FAILURE_WINDOW_SECONDS, 'NX');
    if (pressure && pressure.weight > 0) {
      for (const key of [pressure.keys.site[0], pressure.keys.network[0]]) m.incrby(key, pressure.weight).expire(key, pressure.keys.ttlSeconds, 'NX');
    }
  }
  await m.exec();
  if (outcome === 'expired') throw new CaptchaExpiredError();
  if (outcome === 'failed') throw new CaptchaInvalidError();
}

export async function captchaStats(redis: Redis, siteId: string): Promise<Record<CaptchaMode, Record<CaptchaOutcome, number>>> {
  return statsOf(await redis.hgetall(keys.captchaStats(siteId)));
}

/** Counters by mode and outcome from a stats hash (one site's, or the sum of all, captcha/totals.ts). */
export function statsOf(h: Record<string, string | number>): Record<CaptchaMode, Record<CaptchaOutcome, number>> {
  const of = (mode: CaptchaMode) =>
    Object.fromEntries(OUTCOMES.map((o) => [o, Number(h[field(mode, o)] ?? 0)])) as Record<CaptchaOutcome, number>;
  return Object.fromEntries(MODES.map((m) => [m, of(m)])) as Record<CaptchaMode, Record<CaptchaOutcome, number>>;
}
