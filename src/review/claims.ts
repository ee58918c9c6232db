import { getComment } from '../comments/comment-store';
import { ForbiddenError, NotFoundError } from '../errors';
import { keys } from '../infra/keys';
import type { Actor, ReviewDeps } from './deps';
import { nowOf } from './deps';
import { reviewItem, ReviewItem } from './item-view';

export interface Claim {
  moderatorId: string;
  token: string;
  expiresAt: string;
}

/** The sites an actor may work on: the one asked for (if theirs), else all of theirs. */
export function sitesFor(actor: Actor, siteId?: string): string[] {
  if (siteId === undefined) return actor.siteIds;
  if (!actor.siteIds.includes(siteId)) throw new ForbiddenError('You are not a moderator of that site.');
  return [siteId];
}

/** Finds which of the actor's sites a comment belongs to. */
export async function siteOfComment(d: ReviewDeps, actor: Actor, commentId: string, siteId?: string): Promise<string> {
  for (const s of sitesFor(actor, siteId)) if (await d.redis.exists(keys.comment(s, commentId))) return s;
  throw new NotFoundError(`Comment ${commentId}`);
}

export async function readClaim(d: ReviewDeps, siteId: string, commentId: string): Promise<Claim | undefined> {
  const raw = await d.redis.get(keys.reviewClaim(siteId, commentId));
  return raw ? (JSON.parse(raw) as Claim) : undefined;
}

/**
 * Claims the next item for a moderator: the best one of the first of their sites (in a rotating order, so no site
 * starves) that has any. Items whose comment was decided elsewhere meanwhile are cleared on the way.
 */
export async function claimNext(d: ReviewDeps, actor: Actor, siteId?: string): Promise<{ item: ReviewItem; leaseExpiresAt: string } | undefined> {
  const sites = sitesFor(actor, siteId);
  const start = Math.floor(Math.random() * sites.length);
  for (let i = 0; i < sites.length; i++) {
    const s = sites[(start + i) % sites.length];
    for (let tries = 0; tries < 50; tries++) {
      const claimed = await d.queues.claim(s);
      if (!claimed) break;
      const commentId = claimed.job.data.commentId;
      const comment = await getComment(d.redis, s, commentId);
      if (!comment?.needsReview) {
        await d.queues.finish(s, commentId, claimed.token, { decision: 'stale' });
        continue;
      }
      const expiresAt = new Date(nowOf(d).getTime() + d.settings.leaseMs).toISOString();
      const claim: Claim = { moderatorId: actor.id, token: claimed.token, expiresAt };
      await d.redis.set(keys.reviewClaim(s, commentId), JSON.stringify(claim), 'PX', d.settings.leaseMs);
      return { item: await reviewItem(d, comment), leaseExpiresAt: expiresAt };
    }
  }
  return undefined;
}

/** Extends the actor's own lease by a full lease from now. */
export async function extendClaim(d: ReviewDeps, actor: Actor, commentId: string, siteId?: string): Promise<{ leaseExpiresAt: string }> {
  const s = await siteOfComment(d, actor, commentId, siteId);
  const claim = await readClaim(d, s, commentId);
  if (!claim || claim.moderatorId !== actor.id || !(await d.queues.extend(s, commentId, claim.token))) {
    throw new NotFoundError('Your claim on this item');
  }
  const expiresAt = new Date(nowOf(d).getTime() + d.settings.leaseMs).toISOString();
  await d.redis.set(keys.reviewClaim(s, commentId), JSON.stringify({ ...claim, expiresAt }), 'PX', d.settings.leaseMs);
  return { leaseExpiresAt: expiresAt };
}

/** Gives a claimed item back to the queue before its lease ends. */
export async function releaseClaim(d: ReviewDeps, actor: Actor, commentId: string, siteId?: string): Promise<void> {
  const s = await siteOfComment(d, actor, commentId, siteId);
  const claim = await readClaim(d, s, commentId);
  if (!claim || claim.moderatorId !== actor.id) throw new NotFoundError('Your claim on this item');
  await d.queues.release(s, commentId, claim.token);
  await d.redis.del(keys.reviewClaim(s, commentId));
}

export async function reviewCounts(d: ReviewDeps, actor: Actor, siteId?: string) {
  const sites: Record<string, { pending: number; waiting: number; claimed: number }> = {};
  let waiting = 0;
  let claimed = 0;
  for (const s of sitesFor(actor, siteId)) {
    const c = await d.queues.counts(s);
    sites[s] = { pending: c.waiting + c.claimed, ...c };
    waiting += c.waiting;
    claimed += c.claimed;
  }
  return { pending: waiting + claimed, waiting, claimed, sites };
}

/** The waiting items of one site in the order they will be served, without claiming them. */
export async function listWaiting(d: ReviewDeps, actor: Actor, siteId: string | undefined, limit: number) {
  const items: ReviewItem[] = [];
  for (const s of sitesFor(actor, siteId)) {
    for (const job of await d.queues.waiting(s, limit)) {
      const c = await getComment(d.redis, s, job.data.commentId);
      if (c?.needsReview) items.push(await reviewItem(d, c));
      if (items.length >= limit) return items;
    }
  }
  return items;
}
