import type Redis from 'ioredis';
import type { AtomicWrites } from '../infra/atomic-writes';
import { getComment } from '../comments/comment-store';
import { keys } from '../infra/keys';
import { consume } from '../infra/rate-limit';
import { markFeedback } from './dirty-sites';

/** A labelled example from a person (a moderator's decision, an Akismet submit-spam/ham). */
export interface Feedback {
  task: 'spam' | 'toxicity';
  /** true: spam / toxic; false: ham / fine. */
  positive: boolean;
  text: string;
  author?: string;
  email?: string;
  url?: string;
  source: 'moderator' | 'akismet' | 'site';
  commentId?: string;
  /** Takes back an earlier example (a moderator's undo): learnt with weight -1. */
  withdraw?: boolean;
  /**
   * Set by `recordFeedback`, never by callers: `commentId` names a comment Vigil stored and scored for this site and
   * `text` is that comment's body. Only such examples count towards what sites agree on for the shared model
   * (agreement.ts); every example moves its own site's scores.
   */
  stored?: boolean;
}

export interface RecordOptions {
  /**
   * Examples the site may record per hour; over it `RateLimitedError` (429) is thrown and nothing is recorded.
   * Omitted for moderators' decisions, which people make one at a time.
   */
  perHour?: number;
  /** TTL of the stream, renewed by each example: a site that stops sending feedback keeps none past it. @defaultValue 30 days */
  retentionSeconds?: number;
}

/** The stream is capped: learning uses recent feedback, and Redis must not grow without bound. */
const MAX_FEEDBACK = 100000;
const DEFAULT_RETENTION_SECONDS = 30 * 86400;

/** Records a labelled example in the site's feedback stream, from which the models learn. */
export async function recordFeedback(redis: Redis, siteId: string, f: Feedback, opts: RecordOptions = {}): Promise<string> {
  if (opts.perHour !== undefined) await spend(redis, siteId, opts.perHour);
  const { stored: claimed, ...rest } = f;
  // A withdrawal is a copy of the original (withdrawFeedback), so it keeps the original's standing.
  const stored = f.withdraw ? claimed === true : await isStored(redis, siteId, f);
  const key = keys.feedback(siteId);
  const res = await redis
    .multi()
    .xadd(key, 'MAXLEN', '~', String(MAX_FEEDBACK), '*', 'json', JSON.stringify(stored ? { ...rest, stored } : rest))
    .expire(key, Math.ceil(opts.retentionSeconds ?? DEFAULT_RETENTION_SECONDS))
    .exec();
  const [err, id] = res?.[0] ?? [new Error('feedback was not recorded')];
  if (err) throw err;
  await markFeedback(redis, siteId);
  return (id as string | null) ?? '';
}

/**
 * One example off the site's hourly allowance (the fixed window of infra/rate-limit.ts, so a burst across a window's
 * end can reach twice the limit: the limit bounds the stream and the learning work, not a precise rate).
 */
async function spend(redis: Redis, siteId: string, perHour: number): Promise<void> {
  await consume(redis, { key: keys.rateLimit(siteId, 'feedback', 'site'), points: perHour, windowSeconds: 3600 });
}

/** Whether the example is a comment Vigil stored for this site, with the text Vigil scored. */
async function isStored(redis: Redis, siteId: string, f: Feedback): Promise<boolean> {
  if (!f.commentId) return false;
  const c = await getComment(redis, siteId, f.commentId);
  return c !== undefined && c.siteId === siteId && c.body === f.text;
}

/**
 * The write of recordFeedback, added to a caller's atomic batch (a review decision lands with its audit entry). The
 * caller vouches for `f.stored`: a moderator's decision is about the stored comment itself, so its example is stored.
 */
export function feedbackWrite(w: AtomicWrites, siteId: string, f: Feedback, retentionSeconds = DEFAULT_RETENTION_SECONDS): AtomicWrites {
  const key = keys.feedback(siteId);
  return w.add('XADD', key, 'MAXLEN', '~', MAX_FEEDBACK, '*', 'json', JSON.stringify(f)).add('EXPIRE', key, Math.ceil(retentionSeconds));
}

export async function readFeedback(redis: Redis, siteId: string, count = 1000, after = '-'): Promise<Array<{ id: string; feedback: Feedback }>> {
  const rows = await redis.xrange(keys.feedback(siteId), after, '+', 'COUNT', count);
  return rows.map(([id, fields]) => ({ id, feedback: JSON.parse(fields[1]) as Feedback }));
}

/**
 * Takes back earlier examples by appending their withdrawals. Appending rather than deleting means a process that
 * has already learnt them unlearns them, and a snapshot that folded them in (site-state.ts) folds the withdrawal too.
 */
export async function withdrawFeedback(redis: Redis, siteId: string, ids: string[]): Promise<void> {
  for (const id of ids) {
    const rows = await redis.xrange(keys.feedback(siteId), id, id);
    const fields = rows[0]?.[1];
    if (!fields) continue;
    const f = JSON.parse(fields[fields.indexOf('json') + 1]) as Feedback;
    if (!f.withdraw) await recordFeedback(redis, siteId, { ...f, withdraw: true });
  }
}
