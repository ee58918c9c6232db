import { getComment, statusWrites, StoredComment } from '../comments/comment-store';
import { ForbiddenError, NotFoundError, UndoExpiredError } from '../errors';
import { AtomicWrites } from '../infra/atomic-writes';
import { keys } from '../infra/keys';
import { outcomeWrites } from '../review/author-history';
import { auditWrite } from '../review/audit';
import { siteOfComment } from '../review/claims';
import { withCommentLock } from '../review/decisions';
import { Actor, nowOf, ReviewDeps } from '../review/deps';
import { publishLive } from '../review/live';
import type { ReportUndoRecord } from './decide-report';

/**
 * Takes back a keep or remove within REVIEW_UNDO_SECONDS (the moderator who decided, or an admin): the comment's
 * status, the author's history, its open reports and its place in the Reported queue return as they were, in one
 * atomic batch with the audit entry (action `undo`). A removal undone publishes the comment again (`comment.approved`).
 * A removal of a comment that was also pending went through the review decision; that one is undone there
 * (POST /v1/review/:commentId/undo).
 */
export async function undoReportDecision(d: ReviewDeps, actor: Actor, commentId: string, siteId?: string): Promise<StoredComment> {
  const s = await siteOfComment(d, actor, commentId, siteId);
  return withCommentLock(d, s, commentId, async () => {
    const raw = await d.redis.get(keys.reportUndo(s, commentId));
    if (!raw) throw new UndoExpiredError();
    const u = JSON.parse(raw) as ReportUndoRecord;
    if (u.moderatorId !== actor.id && actor.role !== 'admin') throw new ForbiddenError('Only the moderator who decided, or an admin, can undo.');
    const current = await getComment(d.redis, s, commentId);
    if (!current) throw new NotFoundError(`Comment ${commentId}`);
    const at = nowOf(d).toISOString();
    const ttl = d.settings.retentionSeconds;

    const w = new AtomicWrites().add('DEL', keys.reportUndo(s, commentId));
    let restored = current;
    if (u.before) {
      restored = { ...current, ...u.before };
      statusWrites(w, current, restored, ttl);
      if (u.outcome) outcomeWrites(w, s, current.author.emailHash, u.outcome, -1);
    }
    // Reports that arrived after the decision stay; the ones it closed come back in front of them.
    if (u.reports.length) w.add('LPUSH', keys.reports(s, commentId), ...[...u.reports].reverse()).add('EXPIRE', keys.reports(s, commentId), ttl);
    if (u.networks.length) w.add('SADD', keys.reportNetworks(s, commentId), ...u.networks).add('EXPIRE', keys.reportNetworks(s, commentId), ttl);
    if (u.queuedAt !== null) w.add('ZADD', keys.reported(s), u.queuedAt, commentId).add('EXPIRE', keys.reported(s), ttl);
    auditWrite(w, s, {
      at, action: 'undo', commentId, moderator: { id: actor.id, name: actor.name }, decision: u.decision,
      from: { status: current.status, needsReview: !!current.needsReview }, to: { status: restored.status, needsReview: !!restored.needsReview },
    });
    await w.exec(d.redis);

    const data = {
      commentId, threadId: restored.threadId, status: restored.status, scores: restored.scores, reasons: restored.reasons,
      moderator: { id: actor.id, name: actor.name }, decision: 'undo', undone: u.decision,
    };
    if (restored.status !== current.status && restored.status === 'approved') {
      await d.events.emit({ type: 'comment.approved', siteId: s, at, data }, { type: 'review.decided', siteId: s, at, data });
    } else await d.events.emit({ type: 'review.decided', siteId: s, at, data });
    await publishLive(d.redis, { type: 'undone', siteId: s, commentId });
    return restored;
  });
}
