import type Redis from 'ioredis';
import type { Site } from '../sites/site-store';
import type { EventBus } from '../events/events';
import { getComment, setCommentStatus, type StoredComment } from '../comments/comment-store';
import { RateLimitedError } from '../errors';
import { recordFeedback } from '../learning/feedback';
import { maskEmail } from '../moderation/identity';
import type { ModerationDeps } from '../moderation/types';
import { commentInputOf, flag, own, type AkismetForm } from './fields';
import { findCheckedComment } from './match';
import { verdictOf } from './comment-check';

export interface SubmitDeps {
  redis: Redis;
  events: EventBus;
  /** The server secret, for the keyed hash that finds a comment without a guid. */
  secret: Buffer;
  /** IPV6_PREFIX among them: the IP is matched as the network intake hashes it under. */
  settings: ModerationDeps['settings'];
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
  /** The submission says Vigil's own answer on this comment was wrong (for get-stats: missed spam, false positive). */
  contradicts?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Akismet's submit-spam / submit-ham: a person on the site says what a comment really was. The example feeds the
 * site's learning stream (the e-mail only masked: the spam model reads its domain, nothing more), tied to the stored
 * comment when Vigil can find it: by `guid`, else (WordPress sends none) by the same author, IP and text that
 * comment-check stored within the retention period. A comment Vigil decided on its own is also moved to the status
 * the person chose. A test submission (`is_test`) learns and changes nothing.
 */
export async function akismetSubmit(deps: SubmitDeps, site: Site, form: AkismetForm, kind: 'spam' | 'ham'): Promise<SubmitOutcome> {
  if (flag(own(form, 'is_test'))) return { learnt: false };
  const input = commentInputOf(form);
  const guid = own(form, 'guid')?.trim();
  let found: StoredComment | undefined;
  let answeredSpam: boolean | undefined;
  if (guid && UUID.test(guid)) found = await getComment(deps.redis, site.id, guid.toLowerCase());
  if (!found && input.body) {
    const match = await findCheckedComment(deps, site.id, input);
    if (match) {
      found = await getComment(deps.redis, site.id, match.commentId);
      answeredSpam = match.answeredSpam;
    }
  }
  // The stored comment's own text when Vigil found it: the example is then exactly what Vigil scored for this site,
  // which is what lets it count towards learning shared with other sites (learning/feedback.ts).
  const text = found?.body || input.body || '';
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
  // What Vigil answered: remembered at comment-check, else read from the comment before any earlier report moved it.
  const alreadyReported = found.reasons.some((r) => r === 'reported_spam' || r === 'reported_ham');
  answeredSpam ??= alreadyReported ? undefined : verdictOf(found.id, found.status, found.reasons, found.scores, true, 1).spam;
  const contradicts = !alreadyReported && answeredSpam !== undefined && answeredSpam !== (kind === 'spam');
  const marked = await mark(deps, found, kind === 'spam' ? 'rejected' : 'approved', kind);
  return { learnt, ...(limited ? { limited } : {}), commentId: found.id, ...(marked ? { marked } : {}), contradicts };
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
