import type Redis from 'ioredis';
import { keys } from '../infra/keys';
import { createRedis } from '../infra/redis';
import type { Logger } from '../logger';

/**
 * Every authenticated request reads its site's record (key hashes and policy), and every comment its site's webhook
 * endpoints; caching them saves a Redis round trip each on every comment, check and captcha (a socket write costs more than
 * scoring a comment, see docs/decisions/0007-hot-path.md). It is safe only while this process hears about changes: each instance keeps a
 * subscription to the site-changed channel, the cache is used only while that subscription is up, it is emptied
 * whenever the subscription drops, and an entry is never older than TTL_MS in any case. A rotated key or a new
 * policy therefore reaches every instance within the time it takes Redis to deliver a message.
 */
export const TTL_MS = 10_000;
/** Bounded, so that many sites cannot grow it without limit; the oldest entries go first. */
const MAX_ENTRIES = 10_000;

interface Entry {
  value: unknown;
  at: number;
}

/** What is kept per site: its record (site-store) and its webhook endpoints (webhooks producer). */
export type Slot = 'site' | 'webhooks';

const SLOTS: Slot[] = ['site', 'webhooks'];

export class SiteCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped on every change heard, so a read that raced with a change does not store what it read. */
  private generation = 0;
  live = false;

  get<T>(siteId: string, slot: Slot, now = Date.now()): T | undefined {
    if (!this.live) return undefined;
    const k = `${slot}:${siteId}`;
    const e = this.entries.get(k);
    if (!e) return undefined;
    if (now - e.at > TTL_MS) {
      this.entries.delete(k);
      return undefined;
    }
    return e.value as T;
  }

  /** A token to pass to `set` for a read started now. */
  startRead(): number {
    return this.generation;
  }

  set(siteId: string, slot: Slot, value: unknown, startedAt: number, now = Date.now()): void {
    if (!this.live || startedAt !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(`${slot}:${siteId}`, { value, at: now });
  }

  drop(siteId?: string): void {
    this.generation++;
    if (siteId === undefined) this.entries.clear();
    else for (const slot of SLOTS) this.entries.delete(`${slot}:${siteId}`);
  }
}

/** Per Redis client, because tests run several services against different Redis servers in one process. */
const caches = new WeakMap<Redis, SiteCache>();

export function siteCacheFor(redis: Redis): SiteCache | undefined {
  return caches.get(redis);
}

/** Tells every instance (this one at once) that a site's record or its webhook endpoints changed. */
export async function announceSiteChange(redis: Redis, siteId: string): Promise<void> {
  caches.get(redis)?.drop(siteId);
  await redis.publish(keys.siteChanged(), siteId);
}

/**
 * Turns the cache on for `redis`, with its own subscriber connection to `redisUrl`. Returns the close function.
 * Re-subscribes by hand after every reconnect (not ioredis' autoResubscribe) so the cache goes live again only once
 * the subscription is confirmed, and starts empty: changes made while it was cut off were not heard.
 */
export async function watchSiteChanges(redis: Redis, redisUrl: string, logger: Logger): Promise<() => Promise<void>> {
  const cache = new SiteCache();
  caches.set(redis, cache);
  const sub = createRedis(redisUrl, { autoResubscribe: false, commandTimeout: undefined, maxRetriesPerRequest: null });
  const off = () => {
    cache.live = false;
    cache.drop();
  };
  sub.on('message', (_channel: string, siteId: string) => cache.drop(siteId));
  sub.on('close', off);
  sub.on('error', (err) => logger.debug({ err: err.message }, 'site-change subscriber error'));
  sub.on('ready', () => {
    sub.subscribe(keys.siteChanged()).then(
      () => {
        cache.drop();
        cache.live = true;
      },
      (err) => logger.warn({ err: err.message }, 'site-change subscription failed; site records are read from Redis on every request'),
    );
  });
  await sub.connect().catch((err) => logger.warn({ err: err.message }, 'site-change subscriber could not connect yet'));
  return async () => {
    off();
    caches.delete(redis);
    sub.disconnect();
  };
}
