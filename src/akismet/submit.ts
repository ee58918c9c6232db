import type Redis from 'ioredis';
import type { Site } from '../sites/site-store';
import type { EventBus } from '../events/events';
import { getComment, setCommentStatus, type StoredComment } from '../comments/comment-store';
import { RateLimitedError } from '../errors';
import { recordFeedback } from '../learning/feedback';
import { maskEmail } from '../moderation/identity';
import { commentInputOf, flag, type AkismetForm } from './fields';

export interface SubmitDeps {
  redis: Redis;
  events: EventBus;
  retentionSeconds: number;
  /** Feedback examples the site may send per hour (LEARN_FEEDBACK_PER_HOUR); past it submissions are not learnt. */
  feedbackPerHour?: number;
  now?: () => Date;
}

export interface SubmitOutcome {
  /** False for test submissions, for ones with no text to learn from and past the site's feedback limit. */
  learnt: boolean;
  /** True when the site's feedback limit refused the example (Akismet still answers its usual thanks). */
  limited?: boolean;
  /** The stored comment the `guid` named, when there was one. */
  commentId?: string;
  /** The comment's new status when the submission changed it. */
  marked?: 'approved' | 'rejected';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Akismet's submit-spam / submit-ham: a person on the site says what a comment really was. The example feeds the
 * site's learning stream (the e-mail only masked: the spam model reads its domain, nothing more). When `guid` names
 * a comment comment-check stored and Vigil decided on its own, that comment is also moved to the status the person
 * chose. A test submission (`is_test`) learns and changes nothing.
 */
export async function akismetSubmit(deps: SubmitDeps, site: Site, form: AkismetForm, kind: 'spam' | 'ham'): Promise<SubmitOutcome> {
  if (flag(form.is_test)) return { learnt: false };
  const guid = form.guid?.trim();
  const found = guid && UUID.test(guid) ? await getComment(deps.redis, site.id, guid.toLowerCase()) : undefined;
  const input = commentInputOf(form);
  const text = input.body || found?.body || '';
  let learnt = false;
  let limited = false;
  if (text) {
    const limits = { retentionSeconds: deps.retentionSeconds, ...(deps.feedbackPerHour ? { perHour: deps.feedbackPerHour } : {}) };
    await recordFeedback(deps.redis, site.id, {
      task: 'spam',
      positive: kind === 'spam',
      text,
      ...(input.author.name ? { author: input.author.name } : {}),
      ...(input.author.email ? { email: maskEmail(input.author.email) } : found ? { email: found.author.emailMasked } : {}),
      ...(input.author.url ? { url: input.author.url } : {}),
      source: 'akismet',
      ...(found ? { commentId: found.id } : {}),
    }, limits).then(
      () => (learnt = true),
      (err: unknown) => {
        // Akismet has no "slow down" answer for submissions: the client gets its thanks, nothing is learnt.
        if (!(err instanceof RateLimitedError)) throw err;
        limited = true;
      },
    );
  }
  if (!found) return { learnt, ...(limited ? { limited } : {}) };
  const marked = await mark(deps, found, kind === 'spam' ? 'rejected' : 'approved', kind);
  return { learnt, ...(limited ? { limited } : {}), commentId: found.id, ...(marked ? { marked } : {}) };
}

/**
 * Re-labels a comment Vigil decided on its own. One waiting in the review queue is left to the moderators: the queue
 * owns it (claims, leases, audit), and the client has already acted on its own copy; the example is learnt anyway.
 */
async function mark(deps: SubmitDeps, c: StoredComment, status: 'approved' | 'rejected', kind: 'spam' | 'ham') {
  if (c.needsReview || c.status === status) return undefined;
  const at = (deps.now?.() ?? new Date()).toISOString();
  const reason = kind === 'spam' ? 'reported_spam' : 'reported_ham';
  const after = await setCommentStatus(
    deps.redis, c.siteId, c.id, status,
    { decidedAt: at, decidedBy: 'akismet', reasons: [...c.reasons.filter((r) => r !== reason), reason] },
    deps.retentionSeconds,
  );
  if (!after) return undefined;
  await deps.events.emit({
    type: kind === 'spam' ? 'comment.spam' : 'comment.approved',
    siteId: c.siteId,
    at,
    data: { commentId: c.id, threadId: c.threadId, status, scores: c.scores, reasons: after.reasons, decision: kind, source: 'akismet' },
  });
  return status;
}
