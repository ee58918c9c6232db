import Redis, { RedisOptions } from 'ioredis';

/**
 * Connection for request handling. The offline queue is off so that, while Redis is down, commands fail at once
 * and the API answers 503 instead of hanging until a client timeout.
 */
export function createRedis(url: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: 5000,
    retryStrategy: (times) => Math.min(times * 100, 2000),
    lazyConnect: true,
    ...extra,
  });
}

/** Connection for BullMQ workers, which block on Redis and must retry forever (BullMQ refuses anything else). */
export function createWorkerRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(times * 200, 2000) });
}

/** Connects and waits until Redis answers, or throws after `timeoutMs`. */
export async function connectRedis(redis: Redis, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  if (redis.status === 'wait') await redis.connect().catch(() => undefined);
  for (;;) {
    if (redis.status === 'ready') {
      try {
        await redis.ping();
        return;
      } catch {
        /* not yet */
      }
    }
    if (Date.now() > deadline) throw new Error(`Redis did not become ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** True when Redis answers PING now. */
export async function redisReachable(redis: Redis): Promise<boolean> {
  if (redis.status !== 'ready') return false;
  try {
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  }
}
