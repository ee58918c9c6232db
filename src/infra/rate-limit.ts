import type Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError, ServiceUnavailableError } from '../errors';

export interface Limit {
  /** Key prefix from infra/keys (rateLimit), so the counters live in the site's hash slot. */
  prefix: string;
  points: number;
  durationSeconds: number;
}

const limiters = new Map<string, RateLimiterRedis>();

function limiterFor(redis: Redis, limit: Limit): RateLimiterRedis {
  const id = `${limit.prefix}|${limit.points}|${limit.durationSeconds}`;
  let l = limiters.get(id);
  if (!l || (l as unknown as { client: Redis }).client !== redis) {
    l = new RateLimiterRedis({ storeClient: redis, keyPrefix: limit.prefix, points: limit.points, duration: limit.durationSeconds });
    limiters.set(id, l);
  }
  return l;
}

/**
 * Spends one point for `subject`. Over the limit it throws RateLimitedError with Retry-After; when Redis cannot be
 * reached it throws ServiceUnavailableError, because letting traffic through unlimited is the wrong way to fail.
 */
export async function consume(redis: Redis, limit: Limit, subject: string): Promise<void> {
  try {
    await limiterFor(redis, limit).consume(subject, 1);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw new RateLimitedError(err.msBeforeNext / 1000);
    throw new ServiceUnavailableError();
  }
}
