import type Redis from 'ioredis';
import { AtomicWrites } from '../infra/atomic-writes';
import { keys } from '../infra/keys';
import type { SpamMeta } from '../classifier/types';
import { reviewListWrites } from './comment-index';

/** Where a comment stands: published, waiting for a moderator, or refused. */
export type CommentStatus = 'approved' | 'pending' | 'rejected';

/** A comment as Vigil keeps it. E-mail and IP are kept only as keyed hashes plus a masked e-mail for display. */
export interface StoredComment {
  id: string;
  siteId: string;
  threadId: string;
  parentId?: string;
  author: { name: string; emailMasked: string; emailHash: string; url?: string };
  body: string;
  status: CommentStatus;
  /** What Vigil would have decided when the site runs in shadow mode. */
  shadowStatus?: CommentStatus;
  /** In post-moderation a published comment can still wait for a second look. */
  needsReview?: boolean;
  scores: { spam: number; toxicity: number; attributes?: Record<string, number> };
  reasons: string[];
  explanation?: { spam?: unknown; toxicity?: unknown };
  /**
   * What the spam model read besides the text (fill time, duplicates, posts per address, links, a campaign's domain
   * and author count), kept with comments held for review, so the moderator's view explains the score as it was made.
   */
  spamMeta?: SpamMeta;
  client: { ipHash: string; userAgent: string; referrer: string };
  via: 'browser' | 'server';
  createdAt: string;
  decidedAt?: string;
  decidedBy?: string;
  /** The platform whose moderators decide this comment (Coral); Vigil keeps it for learning and audit only. */
  decidedElsewhere?: 'coral';
}

export interface PersistOptions {
  retentionSeconds: number;
  /** When set, the answer to replay for this Idempotency-Key is written in the same transaction. */
  idempotency?: { key: string; answer: string; ttlSeconds: number };
  /** More writes for the same transaction (keys in the comment's site slot). */
  extra?: (w: AtomicWrites) => void;
}

/**
 * Writes the comment, its thread index and (for pending ones) the pending index in one atomic batch, so a comment is
 * either fully stored or not at all. Decided comments expire after the retention period; pending ones do not.
 */
export async function persistComment(redis: Redis, c: StoredComment, opts: PersistOptions): Promise<void> {
  const score = Date.parse(c.createdAt);
  const key = keys.comment(c.siteId, c.id);
  const w = new AtomicWrites().add('SET', key, JSON.stringify(c));
  // A comment another platform decides is never waiting on Vigil, so it expires like a decided one.
  const waits = c.status === 'pending' && !c.decidedElsewhere;
  if (!waits) w.add('EXPIRE', key, opts.retentionSeconds);
  const thread = keys.thread(c.siteId, c.threadId, c.status);
  w.add('ZADD', thread, score, c.id);
  // Each write pushes the index's expiry to a full retention period after the newest comment in it.
  if (!waits) w.add('EXPIRE', thread, opts.retentionSeconds);
  if (waits) w.add('ZADD', keys.pending(c.siteId), score, c.id);
  reviewListWrites(w, undefined, c, opts.retentionSeconds);
  if (opts.idempotency) w.add('SET', opts.idempotency.key, opts.idempotency.answer, 'EX', opts.idempotency.ttlSeconds);
  opts.extra?.(w);
  await w.exec(redis);
}

export async function getComment(redis: Redis, siteId: string, id: string): Promise<StoredComment | undefined> {
  const raw = await redis.get(keys.comment(siteId, id));
  return raw ? (JSON.parse(raw) as StoredComment) : undefined;
}

/**
 * Moves a comment to a new status (a moderator's decision), keeping the thread and pending indexes in step in one
 * transaction. Returns the updated comment, or undefined when it no longer exists.
 */
export async function setCommentStatus(
  redis: Redis, siteId: string, id: string, status: CommentStatus,
  extra: Partial<StoredComment>, retentionSeconds: number,
): Promise<StoredComment | undefined> {
  const before = await getComment(redis, siteId, id);
  if (!before) return undefined;
  const after: StoredComment = { ...before, ...extra, status };
  await statusWrites(new AtomicWrites(), before, after, retentionSeconds).exec(redis);
  return after;
}

/**
 * The writes that move a stored comment from `before` to `after` (its record, its thread indexes, the pending index
 * and its expiry), added to a caller's batch so they land together with what else the change records (a review
 * decision's audit entry).
 */
export function statusWrites(w: AtomicWrites, before: StoredComment, after: StoredComment, retentionSeconds: number): AtomicWrites {
  const { siteId, id } = before;
  const score = Date.parse(before.createdAt);
  w.add('SET', keys.comment(siteId, id), JSON.stringify(after))
    .add('ZREM', keys.thread(siteId, before.threadId, before.status), id)
    .add('ZADD', keys.thread(siteId, before.threadId, after.status), score, id);
  if (after.status === 'pending') w.add('PERSIST', keys.comment(siteId, id)).add('ZADD', keys.pending(siteId), score, id);
  else {
    w.add('EXPIRE', keys.comment(siteId, id), retentionSeconds).add('ZREM', keys.pending(siteId), id);
    w.add('EXPIRE', keys.thread(siteId, before.threadId, after.status), retentionSeconds);
  }
  return reviewListWrites(w, before, after, retentionSeconds);
}

/** Lists a thread's comments of one status, oldest first; entries whose comment has expired are pruned. */
export async function listThread(
  redis: Redis, siteId: string, threadId: string, status: CommentStatus, limit: number, after = 0,
): Promise<StoredComment[]> {
  const key = keys.thread(siteId, threadId, status);
  const ids = await redis.zrangebyscore(key, `(${after}`, '+inf', 'LIMIT', 0, limit);
  if (!ids.length) return [];
  const raws = await redis.mget(ids.map((id) => keys.comment(siteId, id)));
  const gone = ids.filter((_, i) => !raws[i]);
  if (gone.length) await redis.zrem(key, ...gone);
  return raws.filter((r): r is string => !!r).map((r) => JSON.parse(r) as StoredComment);
}
