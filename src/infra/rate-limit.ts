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
/** Per client: resolved once the limiter's script is defined and pipelines opened before it have been sent. */
const defined = new WeakMap<Redis, Promise<void>>();

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
  const limiter = limiterFor(redis, limit);
  // rate-limiter-flexible defines its script on the client with ioredis defineCommand. An auto-pipeline opened before
  // the first definition cannot carry it, and one such call there shifts the replies of every command in that
  // pipeline (src/infra/lua.ts): so the first calls wait until the pipelines of that turn have been sent.
  let ready = defined.get(redis);
  if (!ready) defined.set(redis, (ready = new Promise((resolve) => setImmediate(resolve))));
  await ready;
  try {
    await limiter.consume(subject, 1);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw new RateLimitedError(err.msBeforeNext / 1000);
    throw new ServiceUnavailableError();
  }
}
