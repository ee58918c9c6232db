import type Redis from 'ioredis';
import { RateLimitedError, ServiceUnavailableError } from '../errors';
import { luaScript, runLua } from './lua';

/**
 * A fixed window: `points` per `windowSeconds`, the window starting with the first point spent. Every limit of Vigil
 * (comments per IP and per e-mail, captchas per IP, feedback per site, the Perspective-compatible API per site) is
 * one of these, its key built by infra/keys (`rateLimit(site, name, subject)`), so all of them live in their site's
 * hash slot and behave the same.
 */
export interface Limit {
  key: string;
  points: number;
  windowSeconds: number;
}

/**
 * The one fixed-window limiter, as Lua, for the scripts that spend a limit in the same round trip as their other work
 * (comment intake, captcha issuing): `spend(key, points, seconds)` answers 0 when the point was granted, else the
 * milliseconds until the window ends. The window is created with its expiry in the same command; a key that somehow
 * has none (written by something else) gets one when it refuses, so no limit can lock a client out for good.
 */
export const FIXED_WINDOW_LUA = `
local function spend(key, points, seconds)
  redis.call('SET', key, 0, 'EX', seconds, 'NX')
  if redis.call('INCR', key) <= tonumber(points) then return 0 end
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then
    redis.call('EXPIRE', key, seconds)
    ttl = tonumber(seconds) * 1000
  end
  return math.max(1, ttl)
end
`;

const SPEND = luaScript(`${FIXED_WINDOW_LUA}
return spend(KEYS[1], ARGV[1], ARGV[2])`);

/**
 * Spends one point of `limit`. Over it, throws RateLimitedError with Retry-After; when Redis cannot be reached, throws
 * ServiceUnavailableError, because letting traffic through unlimited is the wrong way to fail.
 *
 * Its own EVALSHA (infra/lua), not rate-limiter-flexible: see docs/decisions/0065-one-rate-limiter.md for the
 * measurement; and a script ioredis defines on first use (defineCommand, as that library does) is missing from
 * auto-pipelines opened before, which shifts their replies.
 */
export async function consume(redis: Redis, limit: Limit): Promise<void> {
  let waitMs: number;
  try {
    waitMs = await runLua<number>(redis, SPEND, [limit.key], [limit.points, limit.windowSeconds]);
  } catch {
    throw new ServiceUnavailableError();
  }
  if (waitMs > 0) throw new RateLimitedError(waitMs / 1000);
}
