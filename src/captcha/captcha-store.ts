import crypto from 'node:crypto';
import type Redis from 'ioredis';
import { keys } from '../infra/keys';
import { luaScript, runLua } from '../infra/lua';
import { CaptchaExpiredError, CaptchaInvalidError, RateLimitedError } from '../errors';

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
const field = (mode: CaptchaMode, outcome: CaptchaOutcome) => (mode === 'svg' ? outcome : `${mode}:${outcome}`);

export function answerHmac(secret: Buffer, siteId: string, id: string, answer: string): string {
  // The site and captcha id are part of the MAC, so an answer cannot be moved to another captcha or site.
  return crypto.createHmac('sha256', secret).update(`${siteId}\0${id}\0${answer.trim().toLowerCase()}`).digest('hex');
}

/**
 * One round trip for issuing: spend a point of the per-IP captcha rate limit (the same fixed window and key as
 * rate-limiter-flexible), refuse a client over the failure limit (answering the seconds left), else store the captcha
 * (when there is one to store) and count it. Issuance time is dominated by Redis round trips, so the checks and the
 * writes share one script; all keys carry the site's hash tag. Returns 0, or seconds to wait.
 */
const ISSUE = luaScript(`
if ARGV[5] ~= '' then
  redis.call('SET', KEYS[4], 0, 'EX', ARGV[6], 'NX')
  if redis.call('INCR', KEYS[4]) > tonumber(ARGV[5]) then
    return math.max(1, math.ceil(redis.call('PTTL', KEYS[4]) / 1000))
  end
end
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n >= tonumber(ARGV[1]) then
  local ttl = redis.call('TTL', KEYS[1])
  if ttl > 0 then return ttl end
  return -1
end
if ARGV[3] ~= '' then redis.call('SET', KEYS[3], ARGV[3], 'EX', ARGV[4]) end
redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
return 0`);

/** The per-IP limit on new captchas: infra/keys' rateLimit prefix (the client is appended) and allowance per window. */
export interface IssueLimit {
  prefix: string;
  points: number;
  windowSeconds: number;
}

/**
 * Counts a new challenge and, for an image, stores its answer as an HMAC only: a Redis dump reveals no captcha text.
 * The stored value is `expiresAt:hmac:client`, the client being a keyed hash of the requester's IP. Throws
 * rate_limited when the client is over `limit` or has given too many wrong answers lately.
 */
export async function admitCaptcha(
  redis: Redis, siteId: string, mode: CaptchaMode, client: string,
  stored?: { id: string; value: string; ttlSeconds: number }, limit?: IssueLimit,
): Promise<void> {
  const refused = await runLua<number>(
    redis, ISSUE,
    [keys.captchaFailures(siteId, client), keys.captchaStats(siteId), keys.captcha(siteId, stored?.id ?? '-'), limit ? `${limit.prefix}:${client}` : keys.captchaFailures(siteId, client)],
    [MAX_FAILURES, field(mode, 'issued'), stored?.value ?? '', stored?.ttlSeconds ?? 0, limit?.points ?? '', limit?.windowSeconds ?? 0],
  );
  if (refused !== 0) throw new RateLimitedError(refused > 0 ? refused : FAILURE_WINDOW_SECONDS);
}

/**
 * Stores a new image captcha's answer under its id (see admitCaptcha); in pow+svg mode the same id is the salt of the
 * proof of work that goes with it.
 */
export async function storeCaptcha(
  redis: Redis, secret: Buffer, siteId: string, captcha: { id: string; answer: string }, ttlSeconds: number, now = Date.now(), client = '',
  limit?: IssueLimit, mode: CaptchaMode = 'svg',
): Promise<{ id: string; expiresAt: string }> {
  const { id, answer } = captcha;
  const expiresAt = now + ttlSeconds * 1000;
  const value = `${expiresAt}:${answerHmac(secret, siteId, id, answer)}:${client}`;
  await admitCaptcha(redis, siteId, mode, client, { id, value, ttlSeconds: ttlSeconds + GRACE_SECONDS }, limit);
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

/** Counts an outcome, charges a failure to the client that asked for the captcha, and throws unless solved. */
export async function record(
  redis: Redis, siteId: string, mode: CaptchaMode, outcome: CaptchaOutcome, client?: string,
): Promise<void> {
  const m = redis.multi().hincrby(keys.captchaStats(siteId), field(mode, outcome), 1);
  if (outcome === 'failed' && client) {
    const k = keys.captchaFailures(siteId, client);
    m.incr(k).expire(k, FAILURE_WINDOW_SECONDS, 'NX');
  }
  await m.exec();
  if (outcome === 'expired') throw new CaptchaExpiredError();
  if (outcome === 'failed') throw new CaptchaInvalidError();
}

/** Marks a proof-of-work challenge spent; false when it already was (a replay). */
export async function spendPow(redis: Redis, siteId: string, id: string, expiresAt: number, now = Date.now()): Promise<boolean> {
  const ttl = Math.max(1, Math.ceil((expiresAt - now) / 1000) + 1);
  return (await redis.set(keys.powSpent(siteId, id), '1', 'EX', ttl, 'NX')) === 'OK';
}

export async function captchaStats(redis: Redis, siteId: string): Promise<Record<CaptchaMode, Record<CaptchaOutcome, number>>> {
  const h = await redis.hgetall(keys.captchaStats(siteId));
  const of = (mode: CaptchaMode) =>
    Object.fromEntries(OUTCOMES.map((o) => [o, Number(h[field(mode, o)] ?? 0)])) as Record<CaptchaOutcome, number>;
  return Object.fromEntries(MODES.map((m) => [m, of(m)])) as Record<CaptchaMode, Record<CaptchaOutcome, number>>;
}
