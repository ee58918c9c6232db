import type Redis from 'ioredis';
import type { AtomicWrites } from '../infra/atomic-writes';
import { keys } from '../infra/keys';

/** What a site says about the article a thread belongs to; at least one of the two. */
export interface ThreadInfo {
  title?: string;
  url?: string;
}

/** Who said it: the site's server (secret key, Coral, Akismet) or a page's script (the public site key). */
export type ThreadInfoSource = 'server' | 'browser';

/**
 * Records a thread's title and URL once per thread and source, in the comment's own batch (no extra round trip):
 * HSETNX keeps the first value each source sent, so later comments never rewrite it, only push its expiry to a
 * retention period after the newest comment, as the thread index does. The server's value is shown ahead of a
 * browser's (readThreadInfo), so a page's script, which holds only the public key, cannot override what the site's
 * own server said, even by commenting first.
 */
export function threadInfoWrites(
  w: AtomicWrites, siteId: string, threadId: string, info: ThreadInfo, source: ThreadInfoSource, ttlSeconds: number,
): AtomicWrites {
  const key = keys.threadInfo(siteId, threadId);
  return w.add('HSETNX', key, source, JSON.stringify({ ...(info.title ? { title: info.title } : {}), ...(info.url ? { url: info.url } : {}) }))
    .add('EXPIRE', key, ttlSeconds);
}

/** The stored info from raw HMGET fields (`server`, `browser`): the server's when there is one. */
export function threadInfoOf(server: string | null | undefined, browser: string | null | undefined): (ThreadInfo & { source: ThreadInfoSource }) | undefined {
  for (const [raw, source] of [[server, 'server'], [browser, 'browser']] as const) {
    if (!raw) continue;
    try {
      const v = JSON.parse(raw) as ThreadInfo;
      return { ...(v.title ? { title: v.title } : {}), ...(v.url ? { url: v.url } : {}), source };
    } catch {
      /* a value that does not parse is no info */
    }
  }
  return undefined;
}

export async function readThreadInfo(redis: Redis, siteId: string, threadId: string) {
  const [server, browser] = await redis.hmget(keys.threadInfo(siteId, threadId), 'server', 'browser');
  return threadInfoOf(server, browser);
}

/**
 * An explicit http(s) URL of at most 2,000 characters, as POST /v1/comments accepts for `thread.url`, else nothing:
 * what integrations (Akismet's permalink, Coral's story URL) pass on as a thread's link.
 */
export function articleUrl(value: string | undefined): string | undefined {
  const s = value?.trim();
  if (!s || s.length > 2000 || !/^https?:\/\//i.test(s)) return undefined;
  try {
    const href = new URL(s).href;
    return href.length <= 2000 ? href : undefined;
  } catch {
    return undefined;
  }
}
