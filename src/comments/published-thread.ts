import type Redis from 'ioredis';
import { keys } from '../infra/keys';
import type { StoredComment } from './comment-store';

/** A published comment as any reader may see it: no e-mail (not even masked), IP, URL, scores or reasons. */
export interface PublishedComment {
  id: string;
  parentId?: string;
  author: { name: string };
  body: string;
  createdAt: string;
}

export function publishedView(c: StoredComment): PublishedComment {
  return { id: c.id, ...(c.parentId ? { parentId: c.parentId } : {}), author: { name: c.author.name }, body: c.body, createdAt: c.createdAt };
}

/** A page cursor: the creation time (ms) and id of the last comment of the previous page. */
const CURSOR = /^(\d{1,15}):([A-Za-z0-9-]{1,64})$/;
export const isThreadCursor = (cursor: string): boolean => CURSOR.test(cursor);
/** Index entries read beyond a page, so comments sharing the cursor's millisecond are stepped over in one read. */
const TIES = 50;

/**
 * A thread's approved comments, oldest first, `limit` at a time. Entries share a score only when created in the same
 * millisecond; Redis then orders them by id, so (time, id) is a total order and the cursor neither skips nor repeats.
 * Index entries whose comment expired are pruned on the way, as listThread does.
 */
export async function listPublished(
  redis: Redis, siteId: string, threadId: string, limit: number, cursor?: string,
): Promise<{ comments: PublishedComment[]; next?: string }> {
  const key = keys.thread(siteId, threadId, 'approved');
  const c = cursor ? CURSOR.exec(cursor) : null;
  const rows = await redis.zrangebyscore(key, c ? c[1] : '-inf', '+inf', 'WITHSCORES', 'LIMIT', 0, limit + 1 + (c ? TIES : 0));
  const entries: Array<{ id: string; score: number }> = [];
  for (let i = 0; i < rows.length; i += 2) {
    const e = { id: rows[i], score: Number(rows[i + 1]) };
    if (!c || e.score > Number(c[1]) || e.id > c[2]) entries.push(e);
  }
  const page = entries.slice(0, limit + 1);
  if (!page.length) return { comments: [] };
  const raws = await redis.mget(page.map((e) => keys.comment(siteId, e.id)));
  const gone = page.filter((_, i) => !raws[i]).map((e) => e.id);
  if (gone.length) await redis.zrem(key, ...gone);
  const live = page
    .map((e, i) => ({ e, c: raws[i] ? (JSON.parse(raws[i]!) as StoredComment) : undefined }))
    .filter((x): x is { e: { id: string; score: number }; c: StoredComment } => !!x.c && x.c.status === 'approved');
  const shown = live.slice(0, limit);
  const last = shown.at(-1);
  // One entry beyond the page says there is more; a page thinned by expired entries still ends with a cursor.
  const more = entries.length > limit || live.length > limit;
  return { comments: shown.map((x) => publishedView(x.c)), ...(more && last ? { next: `${last.e.score}:${last.e.id}` } : {}) };
}
