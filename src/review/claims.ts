import { getComment } from '../comments/comment-store';
import crypto from 'node:crypto';
import { AlreadyDecidedError, ForbiddenError, NotFoundError, ReviewClaimedError } from '../errors';
import { keys } from '../infra/keys';
import type { Actor, ReviewDeps } from './deps';
import { nowOf } from './deps';
import { reviewItem, ReviewItem } from './item-view';
import { listCounts } from './list';

export interface Claim {
  moderatorId: string;
  token: string;
  expiresAt: string;
  /** `item`: taken by opening it from the list, not through the queue's job lock (the token is then no lock). */
  kind?: 'item';
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
      const key = keys.reviewClaim(s, commentId);
      if (!(await d.redis.set(key, JSON.stringify(claim), 'PX', d.settings.leaseMs, 'NX'))) {
        const held = await readClaim(d, s, commentId);
        if (held && held.moderatorId !== actor.id) {
          // Someone opened this item from the list: it waits, out of the claim order, until their lease would end.
          await d.queues.defer(s, commentId, claimed.token, Date.parse(held.expiresAt));
          continue;
        }
        await d.redis.set(key, JSON.stringify(claim), 'PX', d.settings.leaseMs);
      }
      return { item: await reviewItem(d, comment), leaseExpiresAt: expiresAt };
    }
  }
  return undefined;
}

/** Extends the actor's own lease by a full lease from now. */
export async function extendClaim(d: ReviewDeps, actor: Actor, commentId: string, siteId?: string): Promise<{ leaseExpiresAt: string }> {
  const s = await siteOfComment(d, actor, commentId, siteId);
  const claim = await readClaim(d, s, commentId);
  if (!claim || claim.moderatorId !== actor.id || (claim.kind !== 'item' && !(await d.queues.extend(s, commentId, claim.token)))) {
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
  await d.redis.del(keys.reviewClaim(s, commentId));
  if (claim.kind === 'item') await d.queues.promote(s, commentId);
  else await d.queues.release(s, commentId, claim.token);
}

/**
 * Claims one pending item the moderator opened from the list, for one lease; refused (review_claimed) while another
 * moderator holds it. The claim key is taken with SET NX, the same key a queue claim takes, so of a list claim and a
 * queue claim racing for one item exactly one wins; a queue claim that finds the item taken sets it aside (claimNext).
 * Opening an item one already holds renews the lease.
 */
export async function claimItem(d: ReviewDeps, actor: Actor, commentId: string, siteId?: string): Promise<{ item: ReviewItem; leaseExpiresAt: string }> {
  const s = await siteOfComment(d, actor, commentId, siteId);
  const comment = await getComment(d.redis, s, commentId);
  if (!comment) throw new NotFoundError(`Comment ${commentId}`);
  if (!comment.needsReview) throw new AlreadyDecidedError();
  const key = keys.reviewClaim(s, commentId);
  const expiresAt = new Date(nowOf(d).getTime() + d.settings.leaseMs).toISOString();
  const held = await readClaim(d, s, commentId);
  if (held && held.moderatorId === actor.id) {
    if (held.kind !== 'item' && !(await d.queues.extend(s, commentId, held.token))) throw new ReviewClaimedError();
    await d.redis.set(key, JSON.stringify({ ...held, expiresAt }), 'PX', d.settings.leaseMs);
    return { item: await reviewItem(d, comment), leaseExpiresAt: expiresAt };
  }
  const claim: Claim = { moderatorId: actor.id, token: `item:${crypto.randomUUID()}`, expiresAt, kind: 'item' };
  if (held || !(await d.redis.set(key, JSON.stringify(claim), 'PX', d.settings.leaseMs, 'NX'))) throw new ReviewClaimedError();
  return { item: await reviewItem(d, comment), leaseExpiresAt: expiresAt };
}

/** Any item of the moderator's sites as the item view shows it, whatever its status (opened from a decided list). */
export async function viewItem(d: ReviewDeps, actor: Actor, commentId: string, siteId?: string): Promise<ReviewItem> {
  const s = await siteOfComment(d, actor, commentId, siteId);
  const comment = await getComment(d.redis, s, commentId);
  if (!comment) throw new NotFoundError(`Comment ${commentId}`);
  return reviewItem(d, comment);
}

export async function reviewCounts(d: ReviewDeps, actor: Actor, siteId?: string) {
  const sites: Record<string, { pending: number; waiting: number; claimed: number; lists: Record<string, number> }> = {};
  let waiting = 0;
  let claimed = 0;
  const lists: Record<string, number> = {};
  for (const s of sitesFor(actor, siteId)) {
    const c = await d.queues.counts(s);
    const l = await listCounts(d.redis, s);
    sites[s] = { pending: c.waiting + c.claimed, ...c, lists: l };
    for (const [k, n] of Object.entries(l)) lists[k] = (lists[k] ?? 0) + n;
    waiting += c.waiting;
    claimed += c.claimed;
  }
  // `lists`: the sizes of the review lists (the /moderate tabs); `pending` there counts every comment that needs a
  // person, also those whose queue entry a reconcile has yet to restore.
  return { pending: waiting + claimed, waiting, claimed, lists, sites };
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
