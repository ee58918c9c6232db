import { getComment, statusWrites, StoredComment } from '../comments/comment-store';
import { NotFoundError, NotReportedError } from '../errors';
import { AtomicWrites } from '../infra/atomic-writes';
import { keys } from '../infra/keys';
import { outcomeWrites } from '../review/author-history';
import { auditWrite } from '../review/audit';
import { siteOfComment } from '../review/claims';
import { decide, withCommentLock } from '../review/decisions';
import { Actor, nowOf, ReviewDeps } from '../review/deps';
import { publishLive } from '../review/live';
import { clearReportWrites } from './report-store';

/** keep: the comment stays as it is and its reports are closed; remove: it is rejected (unpublished). */
export type ReportDecision = 'keep' | 'remove';

/** What undoReportDecision needs to put a keep or remove back (src/reports/undo-report.ts). */
export interface ReportUndoRecord {
  decision: ReportDecision;
  moderatorId: string;
  at: string;
  /** The open reports and their networks as stored, and when the comment had entered the Reported queue. */
  reports: string[];
  networks: string[];
  queuedAt: number | null;
  /** Set when the decision unpublished the comment. */
  before?: Pick<StoredComment, 'status' | 'needsReview' | 'decidedAt' | 'decidedBy' | 'reasons'>;
  outcome?: { commentId: string; outcome: 'rejected'; at: string; by: string };
}

export interface ReportDecisionInput {
  commentId: string;
  siteId?: string;
  decision: ReportDecision;
  note?: string;
}

/**
 * A moderator's decision on a reported comment. Both close the comment's open reports and take it out of the Reported
 * queue; readers who reported it cannot report it again. `remove` rejects it: a published comment is unpublished, with
 * the status change, the author's history, the closed reports and the audit entry in one atomic batch, and
 * `comment.rejected` plus `review.decided` (decision `remove`) sent. A comment that also waits in the Pending queue is
 * rejected through the ordinary review decision instead (claims respected, learning and undo as there), then its
 * reports are closed. Removing a published comment teaches the models nothing: readers report comments as off-topic
 * as often as abusive, and that is no evidence about spam or toxicity.
 */
export async function decideReport(d: ReviewDeps, actor: Actor, input: ReportDecisionInput): Promise<StoredComment> {
  const siteId = await siteOfComment(d, actor, input.commentId, input.siteId);
  const open = async () => (await d.redis.exists(keys.reports(siteId, input.commentId))) > 0
    || (await d.redis.zscore(keys.reported(siteId), input.commentId)) !== null;
  const first = await getComment(d.redis, siteId, input.commentId);
  if (!first) throw new NotFoundError(`Comment ${input.commentId}`);
  if (!(await open())) throw new NotReportedError();

  if (input.decision === 'remove' && first.needsReview) {
    const after = await decide(d, actor, { commentId: first.id, siteId, decision: 'reject', ...(input.note ? { note: input.note } : {}) });
    await clearReportWrites(new AtomicWrites(), siteId, first.id).exec(d.redis);
    return after;
  }

  return withCommentLock(d, siteId, input.commentId, async () => {
    const before = await getComment(d.redis, siteId, input.commentId);
    if (!before) throw new NotFoundError(`Comment ${input.commentId}`);
    // Another moderator may have decided the reports while this request waited for the lock.
    if (!(await open())) throw new NotReportedError();
    const at = nowOf(d).toISOString();
    const moderator = { id: actor.id, name: actor.name };
    // Undo puts back exactly what this decision closes: the open reports, their networks and the queue entry.
    const [reports, networks, queuedAt] = await Promise.all([
      d.redis.lrange(keys.reports(siteId, before.id), 0, -1),
      d.redis.smembers(keys.reportNetworks(siteId, before.id)),
      d.redis.zscore(keys.reported(siteId), before.id),
    ]);
    const w = clearReportWrites(new AtomicWrites(), siteId, before.id);
    let after = before;
    const outcome = { commentId: before.id, outcome: 'rejected' as const, at, by: actor.id };
    if (input.decision === 'remove' && before.status !== 'rejected') {
      after = {
        ...before, status: 'rejected', needsReview: undefined, decidedAt: at, decidedBy: `moderator:${actor.id}`,
        reasons: [...before.reasons, 'moderator_remove'],
      };
      statusWrites(w, before, after, d.settings.retentionSeconds);
      outcomeWrites(w, siteId, before.author.emailHash, outcome);
    }
    const undo: ReportUndoRecord = {
      decision: input.decision, moderatorId: actor.id, at, reports, networks, queuedAt: queuedAt === null ? null : Number(queuedAt),
      ...(after !== before ? { before: { status: before.status, needsReview: before.needsReview, decidedAt: before.decidedAt, decidedBy: before.decidedBy, reasons: before.reasons }, outcome } : {}),
    };
    w.add('SET', keys.reportUndo(siteId, before.id), JSON.stringify(undo), 'EX', d.settings.undoSeconds);
    const needsReview = !!before.needsReview;
    auditWrite(w, siteId, {
      at, action: 'decision', commentId: before.id, moderator, decision: input.decision,
      from: { status: before.status, needsReview }, to: { status: after.status, needsReview: !!after.needsReview },
      ...(input.note ? { note: input.note } : {}),
    });
    await w.exec(d.redis);

    const data = {
      commentId: after.id, threadId: after.threadId, status: after.status, scores: after.scores, reasons: after.reasons,
      moderator, decision: input.decision, ...(input.note ? { note: input.note } : {}),
    };
    if (after !== before) await d.events.emit({ type: 'comment.rejected', siteId, at, data }, { type: 'review.decided', siteId, at, data });
    else await d.events.emit({ type: 'review.decided', siteId, at, data });
    await publishLive(d.redis, { type: 'decided', siteId, commentId: after.id });
    return after;
  });
}
