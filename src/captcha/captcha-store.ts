import crypto from 'node:crypto';
import type Redis from 'ioredis';
import { keys } from '../infra/keys';
import { CaptchaExpiredError, CaptchaInvalidError } from '../errors';

/** Kept past expiry so that a late answer is told "expired" rather than "invalid". */
const GRACE_SECONDS = 600;

export type CaptchaOutcome = 'issued' | 'solved' | 'failed' | 'expired';

export function answerHmac(secret: Buffer, siteId: string, id: string, answer: string): string {
  // The site and captcha id are part of the MAC, so an answer cannot be moved to another captcha or site.
  return crypto.createHmac('sha256', secret).update(`${siteId}\0${id}\0${answer.trim().toLowerCase()}`).digest('hex');
}

/** Stores a new captcha's answer as an HMAC only: a Redis dump reveals no captcha text. */
export async function storeCaptcha(
  redis: Redis, secret: Buffer, siteId: string, answer: string, ttlSeconds: number, now = Date.now(),
): Promise<{ id: string; expiresAt: string }> {
  const id = crypto.randomBytes(16).toString('base64url');
  const expiresAt = now + ttlSeconds * 1000;
  await redis
    .multi()
    .set(keys.captcha(siteId, id), `${expiresAt}:${answerHmac(secret, siteId, id, answer)}`, 'EX', ttlSeconds + GRACE_SECONDS)
    .hincrby(keys.captchaStats(siteId), 'issued', 1)
    .exec();
  return { id, expiresAt: new Date(expiresAt).toISOString() };
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
  await redis.hincrby(keys.captchaStats(siteId), outcome, 1);
  if (outcome === 'expired') throw new CaptchaExpiredError();
  if (outcome === 'failed') throw new CaptchaInvalidError();
}

function judge(stored: string | null, presented: string, now: number): CaptchaOutcome {
  if (!stored) return 'failed';
  const [expiresAt, hmac] = stored.split(':');
  if (now > Number(expiresAt)) return 'expired';
  const ok = hmac.length === presented.length && crypto.timingSafeEqual(Buffer.from(hmac), Buffer.from(presented));
  return ok ? 'solved' : 'failed';
}

export async function captchaStats(redis: Redis, siteId: string): Promise<Record<CaptchaOutcome, number>> {
  const h = await redis.hgetall(keys.captchaStats(siteId));
  return { issued: +(h.issued ?? 0), solved: +(h.solved ?? 0), failed: +(h.failed ?? 0), expired: +(h.expired ?? 0) };
}
