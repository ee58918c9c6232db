import type Redis from 'ioredis';
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
  source: 'moderator' | 'akismet';
  commentId?: string;
}

/** The stream is capped: learning uses recent feedback, and Redis must not grow without bound. */
const MAX_FEEDBACK = 100000;

/** Records a labelled example in the site's feedback stream, from which the models learn. */
export async function recordFeedback(redis: Redis, siteId: string, f: Feedback): Promise<string> {
  const id = await redis.xadd(keys.feedback(siteId), 'MAXLEN', '~', String(MAX_FEEDBACK), '*', 'json', JSON.stringify(f));
  return id ?? '';
}

export async function readFeedback(redis: Redis, siteId: string, count = 1000, after = '-'): Promise<Array<{ id: string; feedback: Feedback }>> {
  const rows = await redis.xrange(keys.feedback(siteId), after, '+', 'COUNT', count);
  return rows.map(([id, fields]) => ({ id, feedback: JSON.parse(fields[1]) as Feedback }));
}
