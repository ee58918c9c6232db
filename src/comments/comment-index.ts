import type { AtomicWrites } from '../infra/atomic-writes';
import { keys } from '../infra/keys';

/** The parts of a stored comment its list entries depend on (structural, so comment-store can import this file). */
interface Listed {
  id: string;
  siteId: string;
  createdAt: string;
  status: 'approved' | 'pending' | 'rejected';
  needsReview?: boolean;
  decidedElsewhere?: string;
  scores: { spam: number; toxicity: number };
}

/** The review lists a comment can be in: waiting for a person, or decided one way or the other. */
export type ReviewList = 'pending' | 'approved' | 'rejected';
export const REVIEW_LISTS: readonly ReviewList[] = ['pending', 'approved', 'rejected'];

/**
 * Which review list a comment belongs to: `pending` while it needs a person (a post-moderated comment is published and
 * still waits), else its status. A comment that is pending but decided on another platform (Coral) is in none.
 */
export function reviewListOf(c: Pick<Listed, 'needsReview' | 'status' | 'decidedElsewhere'>): ReviewList | undefined {
  if (c.needsReview) return 'pending';
  if (c.status === 'pending') return undefined;
  return c.status;
}

/** The score a list is ordered by under "highest score first": the higher model score, in millionths (an integer). */
export function listScore(c: Pick<Listed, 'scores'>): number {
  return Math.round(Math.max(c.scores.spam || 0, c.scores.toxicity || 0) * 1e6);
}

/**
 * Keeps a comment's review-list entries in step with its status, in the caller's batch (the comment's own write), so
 * a list never disagrees with the comment for longer than that batch. Decided lists expire a retention period after
 * their last write, and entries older than one retention period are trimmed by time now and then (trimsNow), since their comments
 * have expired by then (give or take the time the comment waited for its decision); the score list is trimmed of
 * expired comments when read.
 */
export function reviewListWrites(w: AtomicWrites, before: Listed | undefined, after: Listed, retentionSeconds: number): AtomicWrites {
  const from = before ? reviewListOf(before) : undefined;
  const to = reviewListOf(after);
  if (from === to && before) return w;
  const { siteId, id } = after;
  if (from) w.add('ZREM', keys.reviewListByTime(siteId, from), id).add('ZREM', keys.reviewListByScore(siteId, from), id);
  if (!to) return w;
  const created = Date.parse(after.createdAt);
  const byTime = keys.reviewListByTime(siteId, to);
  const byScore = keys.reviewListByScore(siteId, to);
  w.add('ZADD', byTime, created, id).add('ZADD', byScore, listScore(after), id);
  if (to !== 'pending') {
    if (trimsNow(id)) w.add('ZREMRANGEBYSCORE', byTime, '-inf', `(${created - retentionSeconds * 1000}`);
    w.add('EXPIRE', byTime, retentionSeconds).add('EXPIRE', byScore, retentionSeconds);
  }
  return w;
}

/**
 * Whether this write also trims expired entries from the indexes it touches: one write in 16 (by the id's last
 * character, random in a UUID), which keeps an index within a few entries of its live size at a sixteenth of the cost.
 */
export function trimsNow(id: string): boolean {
  return id.endsWith('0');
}
