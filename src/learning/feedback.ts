import type Redis from 'ioredis';
import type { AtomicWrites } from '../infra/atomic-writes';
import { keys } from '../infra/keys';

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
}

/** The stream is capped: learning uses recent feedback, and Redis must not grow without bound. */
const MAX_FEEDBACK = 100000;

/** Records a labelled example in the site's feedback stream, from which the models learn. */
export async function recordFeedback(redis: Redis, siteId: string, f: Feedback): Promise<string> {
  const id = await redis.xadd(keys.feedback(siteId), 'MAXLEN', '~', String(MAX_FEEDBACK), '*', 'json', JSON.stringify(f));
  return id ?? '';
}

/** The write of recordFeedback, added to a caller's atomic batch (a review decision lands with its audit entry). */
export function feedbackWrite(w: AtomicWrites, siteId: string, f: Feedback): AtomicWrites {
  return w.add('XADD', keys.feedback(siteId), 'MAXLEN', '~', MAX_FEEDBACK, '*', 'json', JSON.stringify(f));
}

export async function readFeedback(redis: Redis, siteId: string, count = 1000, after = '-'): Promise<Array<{ id: string; feedback: Feedback }>> {
  const rows = await redis.xrange(keys.feedback(siteId), after, '+', 'COUNT', count);
  return rows.map(([id, fields]) => ({ id, feedback: JSON.parse(fields[1]) as Feedback }));
}

/**
 * Takes back earlier examples by appending their withdrawals. Appending rather than deleting means a process that
 * has already learnt them unlearns them, and a process that replays the stream after a restart nets them out.
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
