import crypto from 'node:crypto';
import { getComment, statusWrites, StoredComment } from '../comments/comment-store';
import { AlreadyDecidedError, ConflictError, ForbiddenError, NotFoundError, ReviewClaimedError, UndoExpiredError } from '../errors';
import type { EventType, VigilEvent } from '../events/events';
import { AtomicWrites } from '../infra/atomic-writes';
import { keys } from '../infra/keys';
import { metrics } from '../infra/metrics';
import { markFeedback } from '../learning/dirty-sites';
import { Feedback, feedbackWrite, withdrawFeedback } from '../learning/feedback';
import { Outcome, outcomeWrites } from './author-history';
import { auditWrite } from './audit';
import { readClaim, siteOfComment } from './claims';
import { Actor, nowOf, ReviewDecision, ReviewDeps } from './deps';
import { publishLive } from './live';
import { UNDO_PRIORITY } from './priority';

export interface DecisionInput {
  commentId: string;
  siteId?: string;
  decision: ReviewDecision;
  note?: string;
  /** Also reject every later comment from this author's e-mail and/or IP on the site. */
  block?: { email?: boolean; ip?: boolean };
  /**
   * The status the moderator saw on a comment that was already decided (the Approved and Rejected lists): the decision
   * then revises that one, and is refused as already decided if the comment moved on meanwhile.
   */
  from?: 'approved' | 'rejected';
}

/** What undo needs to put everything back as it was. */
interface UndoRecord {
  decision: ReviewDecision;
  moderatorId: string;
  at: string;
  before: Pick<StoredComment, 'status' | 'needsReview' | 'decidedAt' | 'decidedBy' | 'reasons'>;
  outcome: { commentId: string; outcome: Outcome; at: string; by: string };
  /** The examples the decision taught; undo appends their withdrawals. */
  feedback?: Feedback[];
  /** Stream ids of the examples, in records written before the examples themselves were kept here. */
  feedbackIds?: string[];
  /** Blocks this decision added (not ones the site already had), which undo removes. */
  blocked: { email: boolean; ip: boolean };
}

const STATUS: Record<ReviewDecision, 'approved' | 'rejected'> = { approve: 'approved', reject: 'rejected', spam: 'rejected' };
const EVENT: Record<ReviewDecision, EventType> = { approve: 'comment.approved', reject: 'comment.rejected', spam: 'comment.spam' };
const OUTCOME: Record<ReviewDecision, Outcome> = { approve: 'approved', reject: 'rejected', spam: 'spam' };
const LATENCY_SAMPLES = 1000;

/** Runs `fn` while holding a short per-comment lock, so two requests cannot decide (or undo) one comment at once. */
export async function withCommentLock<T>(d: ReviewDeps, siteId: string, commentId: string, fn: () => Promise<T>): Promise<T> {
  const key = keys.reviewLock(siteId, commentId);
  const token = crypto.randomUUID();
  if (!(await d.redis.set(key, token, 'PX', 10000, 'NX'))) throw new ConflictError('This comment is being decided right now.');
  try {
    return await fn();
  } finally {
    if ((await d.redis.get(key)) === token) await d.redis.del(key);
  }
}

/**
 * A moderator's decision: take the item off the queue (the claimant by its lease; anyone while it is unclaimed),
 * then record it everywhere it matters in one atomic batch: the comment's status, author history, blocks, learning
 * feedback, the undo record, the audit log and the latency sample. A crash leaves all of them or none, never a
 * decided comment without its audit entry. Events (webhooks), live updates and metrics follow. On a comment already
 * decided (input.from), the decision revises it: no queue, no lease, and undo puts the earlier decision back.
 */
export async function decide(d: ReviewDeps, actor: Actor, input: DecisionInput): Promise<StoredComment> {
  const siteId = await siteOfComment(d, actor, input.commentId, input.siteId);
  return withCommentLock(d, siteId, input.commentId, async () => {
    const before = await getComment(d.redis, siteId, input.commentId);
    if (!before) throw new NotFoundError(`Comment ${input.commentId}`);
    const revise = !before.needsReview;
    if (revise && (input.from !== before.status || STATUS[input.decision] === before.status)) throw new AlreadyDecidedError();
    const claim = revise ? undefined : await readClaim(d, siteId, input.commentId);
    if (claim && claim.moderatorId !== actor.id) throw new ReviewClaimedError();
    // Undo removes only the blocks this decision adds, so it must know which the site already had.
    const blocked = {
      email: !!input.block?.email && !(await d.redis.sismember(keys.reviewBlockedEmails(siteId), before.author.emailHash)),
      ip: !!input.block?.ip && !(await d.redis.sismember(keys.reviewBlockedIps(siteId), before.client.ipHash)),
    };
    const taken = revise || await d.queues.finish(siteId, input.commentId, claim?.kind === 'item' ? undefined : claim?.token, { decision: input.decision, moderatorId: actor.id });
    if (!taken) throw new ReviewClaimedError();

    const now = nowOf(d);
    const at = now.toISOString();
    const after: StoredComment = {
      ...before, status: STATUS[input.decision], needsReview: undefined, decidedAt: at, decidedBy: `moderator:${actor.id}`,
      reasons: [...before.reasons, `moderator_${input.decision}`],
    };
    const outcome = { commentId: before.id, outcome: OUTCOME[input.decision], at, by: actor.id };
    const feedback = feedbackFor(input.decision, before);
    const undo: UndoRecord = {
      decision: input.decision, moderatorId: actor.id, at,
      before: { status: before.status, needsReview: before.needsReview, decidedAt: before.decidedAt, decidedBy: before.decidedBy, reasons: before.reasons },
      outcome, feedback, blocked,
    };
    const latencyMs = Math.max(0, now.getTime() - Date.parse(before.createdAt));

    const w = new AtomicWrites().add('DEL', keys.reviewClaim(siteId, before.id));
    statusWrites(w, before, after, d.settings.retentionSeconds);
    outcomeWrites(w, siteId, before.author.emailHash, outcome);
    if (blocked.email) w.add('SADD', keys.reviewBlockedEmails(siteId), before.author.emailHash);
    if (blocked.ip) w.add('SADD', keys.reviewBlockedIps(siteId), before.client.ipHash);
    for (const f of feedback) feedbackWrite(w, siteId, f, d.settings.retentionSeconds);
    w.add('SET', keys.reviewUndo(siteId, before.id), JSON.stringify(undo), 'EX', d.settings.undoSeconds);
    auditWrite(w, siteId, {
      at, action: 'decision', commentId: before.id, moderator: { id: actor.id, name: actor.name }, decision: input.decision,
      from: { status: before.status, needsReview: !revise }, to: { status: after.status, needsReview: false },
      ...(input.note ? { note: input.note } : {}), ...(input.block ? { blocked: input.block } : {}),
    });
    // A revision is not a first decision: the submission-to-decision time is the first one's.
    if (!revise) w.add('LPUSH', keys.reviewLatency(siteId), String(latencyMs)).add('LTRIM', keys.reviewLatency(siteId), 0, LATENCY_SAMPLES - 1);
    await w.exec(d.redis);
    if (feedback.length) await markFeedback(d.redis, siteId);

    if (!revise) metrics.reviewDecisionSeconds.observe({ decision: input.decision }, latencyMs / 1000);
    const data = {
      commentId: after.id, threadId: after.threadId, status: after.status, scores: after.scores, reasons: after.reasons,
      moderator: { id: actor.id, name: actor.name }, decision: input.decision, ...(input.note ? { note: input.note } : {}),
    };
    await d.events.emit({ type: EVENT[input.decision], siteId, at, data }, { type: 'review.decided', siteId, at, data });
    await publishLive(d.redis, { type: 'decided', siteId, commentId: after.id });
    return after;
  });
}

/**
 * What a decision teaches the models. Approving says the comment is neither spam nor toxic; spam says spam. A
 * rejection teaches toxicity only when the models had flagged toxicity, because sites also reject comments that are
 * merely off-topic, and those must not be learnt as toxic.
 */
function feedbackFor(decision: ReviewDecision, c: StoredComment): Feedback[] {
  const base = { text: c.body, author: c.author.name, ...(c.author.url ? { url: c.author.url } : {}), source: 'moderator' as const, commentId: c.id, stored: true };
  if (decision === 'approve') return [{ ...base, task: 'spam', positive: false }, { ...base, task: 'toxicity', positive: false }];
  if (decision === 'spam') return [{ ...base, task: 'spam', positive: true }];
  return c.reasons.some((r) => r === 'possibly_toxic' || r === 'toxic') ? [{ ...base, task: 'toxicity', positive: true }] : [];
}

/** Decides many items; each succeeds or fails on its own, like single decisions. */
export async function decideMany(
  d: ReviewDeps, actor: Actor,
  input: { items: Array<{ commentId: string; siteId?: string }>; decision: ReviewDecision; note?: string; from?: 'approved' | 'rejected' },
): Promise<Array<{ commentId: string; status?: string; error?: { code: string; detail: string } }>> {
  const out = [];
  for (const it of input.items) {
    try {
      const c = await decide(d, actor, { ...it, decision: input.decision, ...(input.note ? { note: input.note } : {}), ...(input.from ? { from: input.from } : {}) });
      out.push({ commentId: it.commentId, status: c.status });
    } catch (err) {
      const e = err as { code?: string; message?: string };
      if (!e.code) throw err;
      out.push({ commentId: it.commentId, error: { code: e.code, detail: e.message ?? '' } });
    }
  }
  return out;
}

/**
 * Takes back a decision within the undo window: the comment, author history, blocks and learning feedback return to
 * how they were, in one atomic batch with the audit entry, and the item goes back to the front of the queue. The
 * audit log keeps both entries.
 */
export async function undoDecision(d: ReviewDeps, actor: Actor, commentId: string, siteId?: string): Promise<StoredComment> {
  const s = await siteOfComment(d, actor, commentId, siteId);
  return withCommentLock(d, s, commentId, async () => {
    const raw = await d.redis.get(keys.reviewUndo(s, commentId));
    if (!raw) throw new UndoExpiredError();
    const u = JSON.parse(raw) as UndoRecord;
    if (u.moderatorId !== actor.id && actor.role !== 'admin') throw new ForbiddenError('Only the moderator who decided, or an admin, can undo.');
    const current = await getComment(d.redis, s, commentId);
    if (!current) throw new NotFoundError(`Comment ${commentId}`);
    const restored: StoredComment = {
      ...current, status: u.before.status, needsReview: u.before.needsReview ? true : undefined, decidedAt: u.before.decidedAt, decidedBy: u.before.decidedBy, reasons: u.before.reasons,
    };
    const at = nowOf(d).toISOString();

    const w = new AtomicWrites().add('DEL', keys.reviewUndo(s, commentId));
    statusWrites(w, current, restored, d.settings.retentionSeconds);
    outcomeWrites(w, s, current.author.emailHash, u.outcome, -1);
    if (u.blocked.email) w.add('SREM', keys.reviewBlockedEmails(s), current.author.emailHash);
    if (u.blocked.ip) w.add('SREM', keys.reviewBlockedIps(s), current.client.ipHash);
    for (const f of u.feedback ?? []) feedbackWrite(w, s, { ...f, withdraw: true }, d.settings.retentionSeconds);
    auditWrite(w, s, {
      at, action: 'undo', commentId, moderator: { id: actor.id, name: actor.name }, decision: u.decision,
      from: { status: current.status, needsReview: false }, to: { status: restored.status, needsReview: !!restored.needsReview },
    });
    await w.exec(d.redis);
    if (u.feedback?.length) await markFeedback(d.redis, s);
    if (u.feedbackIds?.length) await withdrawFeedback(d.redis, s, u.feedbackIds);
    if (restored.needsReview) await d.queues.ensure({ siteId: s, commentId, createdAt: current.createdAt }, UNDO_PRIORITY);

    const data = {
      commentId, threadId: restored.threadId, status: restored.status, scores: restored.scores, reasons: restored.reasons,
      moderator: { id: actor.id, name: actor.name }, decision: 'undo', undone: u.decision,
    };
    const back: VigilEvent[] = restored.status !== current.status
      ? [{ type: restored.status === 'pending' ? 'comment.pending' : restored.status === 'approved' ? 'comment.approved' : 'comment.rejected', siteId: s, at, data }]
      : [];
    await d.events.emit(...back, { type: 'review.decided', siteId: s, at, data });
    await publishLive(d.redis, { type: 'undone', siteId: s, commentId });
    return restored;
  });
}
