import { AtomicWrites } from '../infra/atomic-writes';
import type Redis from 'ioredis';
import { keys } from '../infra/keys';

/** Outcomes counted per author: a moderator's decisions, and the comments Vigil decided on its own. */
export type Outcome = 'approved' | 'rejected' | 'spam' | 'auto_approved' | 'auto_rejected';
export type AuthorCounts = Record<Outcome, number>;

export interface AuthorHistory {
  counts: AuthorCounts;
  /** Share of the author's decided comments that were rejected or spam, 0 when there are none. */
  rejectionRate: number;
  standing?: 'trusted' | 'suspect';
  recent: Array<{ commentId: string; outcome: Outcome; at: string; by: string }>;
}

/** An author needs at least this many decided comments before a high rejection rate makes them a suspect. */
export const SUSPECT_MIN_DECIDED = 3;
/** At or above this rejection rate an author's comments are all pre-moderated. */
export const SUSPECT_REJECTION_RATE = 0.5;
const RECENT = 20;
/** A verified author's standing fades a year after their last decided comment. */
const HISTORY_TTL_SECONDS = 365 * 86400;
/**
 * Anyone can type an address into a form, so an unverified identity's history is weak evidence: it fades a month
 * after its last decided comment and counts half (UNVERIFIED_WEIGHT) towards being a suspect.
 */
const UNVERIFIED_TTL_SECONDS = 30 * 86400;
export const UNVERIFIED_WEIGHT = 0.5;

/** Whether an e-mail identity was vouched for by the site (see emailIdentity in moderation/identity.ts). */
export function isVerifiedIdentity(emailHash: string): boolean {
  return emailHash.startsWith('v');
}

export function emptyCounts(): AuthorCounts {
  return { approved: 0, rejected: 0, spam: 0, auto_approved: 0, auto_rejected: 0 };
}

/**
 * Trusted: N approvals by a moderator and nothing ever rejected, for a verified identity only. Only people grant
 * trust, because an author who posts N harmless comments to earn it must not get it from the models alone, and only
 * to a signed-in user, because an address typed into a form lends that trust to whoever types it next. Suspect: a
 * high share of rejections, counting the models' rejections too; an unverified identity's count weighs half, so a
 * few posts in someone's name do not get that person's comments held.
 */
export function standingOf(c: AuthorCounts, trustedApprovals: number, verified = true): 'trusted' | 'suspect' | undefined {
  const w = verified ? 1 : UNVERIFIED_WEIGHT;
  const bad = c.rejected + c.spam + c.auto_rejected;
  const total = bad + c.approved + c.auto_approved;
  if (verified && bad === 0 && c.approved >= trustedApprovals) return 'trusted';
  if (total * w >= SUSPECT_MIN_DECIDED && bad / total >= SUSPECT_REJECTION_RATE) return 'suspect';
  return undefined;
}

export function rejectionRate(c: AuthorCounts): number {
  const bad = c.rejected + c.spam + c.auto_rejected;
  const total = bad + c.approved + c.auto_approved;
  return total ? Math.round((bad / total) * 1000) / 1000 : 0;
}

export function parseCounts(h: Record<string, string>): AuthorCounts {
  const c = emptyCounts();
  for (const k of Object.keys(c) as Outcome[]) c[k] = Math.max(0, Number(h[k] ?? 0) || 0);
  return c;
}

export async function readCounts(redis: Redis, siteId: string, emailHash: string): Promise<AuthorCounts> {
  return parseCounts(await redis.hgetall(keys.reviewAuthor(siteId, emailHash)));
}

/** Records (delta 1) or takes back (delta -1, for undo) one outcome. */
export async function recordOutcome(
  redis: Redis, siteId: string, emailHash: string,
  entry: { commentId: string; outcome: Outcome; at: string; by: string }, delta: 1 | -1 = 1,
): Promise<void> {
  await outcomeWrites(new AtomicWrites(), siteId, emailHash, entry, delta).exec(redis);
}

/** The writes of recordOutcome, added to a batch of the caller's (the comment's own, at intake). */
export function outcomeWrites(
  w: AtomicWrites, siteId: string, emailHash: string,
  entry: { commentId: string; outcome: Outcome; at: string; by: string }, delta: 1 | -1 = 1,
): AtomicWrites {
  // No e-mail, no identity: anonymous comments share no history.
  if (!emailHash) return w;
  const k = keys.reviewAuthor(siteId, emailHash);
  const log = keys.reviewAuthorLog(siteId, emailHash);
  const ttl = isVerifiedIdentity(emailHash) ? HISTORY_TTL_SECONDS : UNVERIFIED_TTL_SECONDS;
  w.add('HINCRBY', k, entry.outcome, delta).add('EXPIRE', k, ttl);
  if (delta > 0) w.add('LPUSH', log, JSON.stringify(entry)).add('LTRIM', log, 0, RECENT - 1).add('EXPIRE', log, ttl);
  else w.add('LREM', log, 1, JSON.stringify(entry));
  return w;
}

export async function authorHistory(redis: Redis, siteId: string, emailHash: string, trustedApprovals: number): Promise<AuthorHistory> {
  if (!emailHash) return { counts: emptyCounts(), rejectionRate: 0, recent: [] };
  const [h, log] = await Promise.all([
    redis.hgetall(keys.reviewAuthor(siteId, emailHash)),
    redis.lrange(keys.reviewAuthorLog(siteId, emailHash), 0, RECENT - 1),
  ]);
  const counts = parseCounts(h);
  const standing = standingOf(counts, trustedApprovals, isVerifiedIdentity(emailHash));
  return { counts, rejectionRate: rejectionRate(counts), ...(standing ? { standing } : {}), recent: log.map((l) => JSON.parse(l)) };
}
