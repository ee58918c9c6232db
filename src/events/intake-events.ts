import type { StoredComment } from '../comments/comment-store';
import type { EventBus, EventType } from './events';

/** A new comment is `comment.created`, then one event for the state it landed in. */
export async function emitIntakeEvents(bus: EventBus, c: StoredComment): Promise<void> {
  const base = {
    siteId: c.siteId,
    at: c.createdAt,
    data: { commentId: c.id, threadId: c.threadId, status: c.status, scores: c.scores, reasons: c.reasons },
  };
  const second: EventType = c.status === 'pending' ? 'comment.pending' : c.status === 'approved' ? 'comment.approved' : 'comment.rejected';
  await bus.emit({ type: 'comment.created', ...base }, { type: second, ...base });
}
