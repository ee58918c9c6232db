import Redis, { Cluster, RedisOptions } from 'ioredis';

/**
 * A Redis URL with `?cluster=true` (for example `redis://10.0.0.5:6379/?cluster=true`) names one master of a Redis
 * Cluster; ioredis discovers the others. Every connection Vigil opens goes through createRedis/createWorkerRedis
 * with REDIS_URL, so the plugs need no cluster logic of their own. The Cluster is typed as Redis because it answers
 * the same commands, and every multi-key operation Vigil runs stays in one slot (see infra/keys.ts).
 */
function clusterSeed(url: string): { host: string; port: number; options: RedisOptions } | undefined {
  const u = new URL(url);
  if (u.searchParams.get('cluster') !== 'true') return undefined;
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    options: {
      ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
      ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
      ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    },
  };
}

/**
 * A Redis URL with `?sentinel=<master name>` names a Redis Sentinel (more with `&sentinels=host:port,host:port`);
 * ioredis asks the sentinels for the current master and follows a failover. The URL's password is the master's.
 */
function sentinelOptions(url: string): RedisOptions | undefined {
  const u = new URL(url);
  const name = u.searchParams.get('sentinel');
  if (!name) return undefined;
  const more = (u.searchParams.get('sentinels') ?? '').split(',').filter(Boolean).map((hp) => {
    const [host, port] = hp.split(':');
    return { host, port: Number(port || 26379) };
  });
  return {
    name,
    sentinels: [{ host: u.hostname, port: Number(u.port || 26379) }, ...more],
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
  };
}

function connect(url: string, opts: RedisOptions): Redis {
  const sentinel = sentinelOptions(url);
  if (sentinel) return new Redis({ ...opts, ...sentinel });
  const seed = clusterSeed(url);
  if (!seed) return new Redis(url, opts);
  const { enableOfflineQueue, lazyConnect, retryStrategy, ...redisOptions } = opts;
  return new Cluster([{ host: seed.host, port: seed.port }], {
    enableOfflineQueue, lazyConnect,
    clusterRetryStrategy: retryStrategy ? (times) => retryStrategy(times) ?? null : undefined,
    redisOptions: { ...seed.options, ...redisOptions },
  }) as unknown as Redis;
}

/**
 * Connection for request handling. The offline queue is off so that, while Redis is down, commands fail at once
 * and the API answers 503 instead of hanging until a client timeout.
 */
export function createRedis(url: string, extra: RedisOptions = {}): Redis {
  return connect(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: 5000,
    retryStrategy: (times) => Math.min(times * 100, 2000),
    lazyConnect: true,
    ...extra,
  });
}

/**
 * The connection requests run on. Auto-pipelining sends every command issued in one turn of the event loop (by all
 * the requests in flight) in one socket write: on loopback a write costs more than scoring a comment, and measured
 * with `npm run bench -- --only comments`, three alternating pairs of runs, it lowered Vigil's CPU per comment by
 * 2-15 % and redis-server's by 10-34 %. Transactions (MULTI) are sent as they are.
 */
export function createRequestRedis(url: string): Redis {
  return createRedis(url, { enableAutoPipelining: true });
}

/** Connection for BullMQ workers, which block on Redis and must retry forever (BullMQ refuses anything else). */
export function createWorkerRedis(url: string): Redis {
  return connect(url, { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(times * 200, 2000) });
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
