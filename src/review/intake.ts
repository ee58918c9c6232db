import crypto from 'node:crypto';
import os from 'node:os';
import { AtomicWrites } from '../infra/atomic-writes';
import { reviewListWrites } from '../comments/comment-index';
import type Redis from 'ioredis';
import { getComment, StoredComment } from '../comments/comment-store';
import { keys } from '../infra/keys';
import { getSite } from '../sites/site-store';
import { outcomeWrites } from './author-history';
import type { ReviewDeps } from './deps';
import { publishLive } from './live';
import { PriorityInput, reviewPriority } from './priority';

const SHADOW_LOG = 200;

type Thresholds = PriorityInput['thresholds'];

/** A site's thresholds, the model defaults where the site sets none. */
async function thresholdsOf(d: ReviewDeps, siteId: string): Promise<Thresholds> {
  const t = (await getSite(d.redis, siteId))?.policy.thresholds ?? {};
  return { spam: t.spam ?? d.models.spam.thresholds, toxicity: t.toxicity ?? d.models.toxicity.thresholds };
}

/** The priority of a comment under its site's thresholds. */
export async function priorityOf(d: ReviewDeps, c: StoredComment, thresholds?: Thresholds): Promise<number> {
  return reviewPriority({ scores: c.scores, thresholds: thresholds ?? (await thresholdsOf(d, c.siteId)) });
}

/**
 * The after-persist hook. A comment that needs a person goes on its site's queue; in shadow mode, what Vigil would
 * have done is recorded. (One Vigil decided alone counts towards its author's history in countAutoOutcome.)
 */
export async function onCommentStored(d: ReviewDeps, c: StoredComment): Promise<void> {
  if (c.needsReview) {
    await d.queues.add({ siteId: c.siteId, commentId: c.id, createdAt: c.createdAt }, await priorityOf(d, c));
    await publishLive(d.redis, { type: 'item', siteId: c.siteId, commentId: c.id });
  }
  if (c.shadowStatus) await recordShadow(d.redis, c);
}

/**
 * A comment Vigil decided on its own counts in its author's history. Written in the comment's own transaction
 * (an in-persist hook), so the count and the comment are stored together and cost no extra round trip.
 */
export function countAutoOutcome(w: AtomicWrites, c: StoredComment): void {
  if (c.needsReview || c.status === 'pending') return;
  const outcome = c.status === 'approved' ? 'auto_approved' : 'auto_rejected';
  outcomeWrites(w, c.siteId, c.author.emailHash, { commentId: c.id, outcome, at: c.createdAt, by: 'vigil' });
}

async function recordShadow(redis: Redis, c: StoredComment): Promise<void> {
  const entry = { commentId: c.id, wouldBe: c.shadowStatus, scores: c.scores, reasons: c.reasons, at: c.createdAt };
  await redis
    .multi()
    .hincrby(keys.reviewShadow(c.siteId), c.shadowStatus!, 1)
    .lpush(keys.reviewShadowLog(c.siteId), JSON.stringify(entry))
    .ltrim(keys.reviewShadowLog(c.siteId), 0, SHADOW_LOG - 1)
    .exec();
}

export async function shadowReport(redis: Redis, siteId: string, limit = 50) {
  const [counts, log] = await Promise.all([redis.hgetall(keys.reviewShadow(siteId)), redis.lrange(keys.reviewShadowLog(siteId), 0, limit - 1)]);
  return {
    wouldBe: { pending: Number(counts.pending ?? 0), rejected: Number(counts.rejected ?? 0) },
    recent: log.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/**
 * Files pending comments that are missing from the site's pending review list (stored before the lists existed) in it,
 * with the same writes a status change makes.
 */
async function fillPendingList(d: ReviewDeps, siteId: string, ids: string[]): Promise<void> {
  const listed = await d.redis.zmscore(keys.reviewListByTime(siteId, 'pending'), ...ids);
  for (const [i, id] of ids.entries()) {
    if (listed[i] !== null) continue;
    const c = await getComment(d.redis, siteId, id);
    if (c) await reviewListWrites(new AtomicWrites(), undefined, c, d.settings.retentionSeconds).exec(d.redis);
  }
}

/** Sites whose pending index is read at once by the reconcile (auto-pipelined into a few round trips). */
const RECONCILE_BATCH = 200;

/**
 * Puts every stored pending comment that is missing from its queue back on it. The pending index is written in the
 * same transaction as the comment, while the queue is written after, so a crash or a Redis blip between the two
 * would otherwise lose an item for good. It compares id lists read from Redis (a few reads per site with pending
 * comments, sites read in batches) and loads only the comments that are missing. Returns how many were re-added.
 */
export async function reconcileQueues(d: ReviewDeps, siteIds?: string[]): Promise<number> {
  let added = 0;
  const ids = siteIds ?? (await d.redis.zrange(keys.siteIndex(), 0, -1));
  for (let i = 0; i < ids.length; i += RECONCILE_BATCH) {
    const batch = ids.slice(i, i + RECONCILE_BATCH);
    const pending = await Promise.all(batch.map((s) => d.redis.zrange(keys.pending(s), 0, -1)));
    for (const [j, siteId] of batch.entries()) {
      if (!pending[j].length) continue;
      await fillPendingList(d, siteId, pending[j]);
      const missing = await d.queues.missing(siteId, pending[j]);
      if (!missing.length) continue;
      const thresholds = await thresholdsOf(d, siteId);
      for (const commentId of missing) {
        const c = await getComment(d.redis, siteId, commentId);
        if (!c?.needsReview) continue;
        if (await d.queues.ensure({ siteId, commentId, createdAt: c.createdAt }, await priorityOf(d, c, thresholds))) added++;
      }
    }
  }
  return added;
}

/** How long one reconcile's lease lasts: a little under the reconcile interval, so the next interval is free again. */
export const RECONCILE_LEASE_MS = 10 * 60 * 1000 - 5000;

/**
 * Reconciles the review queues when this process takes the deployment's reconcile lease, and returns what was
 * re-added; undefined when another process holds the lease (it reconciled within the last interval). One process
 * per interval does it, at start-up too: a reconcile reads every site's pending index and queue lists, and when every
 * process did it at start, a deploy of N processes read every site N times, and each process's start-up garbage
 * (about 19 KB a site in an allocation profile at 1,000 sites) grew its young generation and so its RSS with the number of sites (decision 0086).
 *
 * The lease is a key with a TTL that is never released: a process that crashed while holding it, or exited, frees
 * it when it expires, and the next interval's reconcile of any process takes it. An enqueue lost between a comment's
 * write and its queue write (a crash, a Redis blip) is therefore back on its queue within about one interval.
 */
export async function reconcileOnLease(
  d: Pick<ReviewDeps, 'redis'> & Partial<ReviewDeps>,
  leaseMs = RECONCILE_LEASE_MS,
  run: () => Promise<number> = () => reconcileQueues(d as ReviewDeps),
): Promise<number | undefined> {
  const holder = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
  if (!(await d.redis.set(keys.reviewReconcileLock(), holder, 'PX', leaseMs, 'NX'))) return undefined;
  return run();
}
