import type Redis from 'ioredis';
import type { AtomicWrites } from '../infra/atomic-writes';
import { keys } from '../infra/keys';

/** One line of the audit log: who did what to which comment, when, and why. */
export interface AuditEntry {
  at: string;
  /** `author`: a ban, suspension, trust or lift (review/author-actions.ts); `decision` names which, from/to the states. */
  action: 'decision' | 'undo' | 'author';
  commentId: string;
  moderator: { id: string; name: string };
  /** The decision taken, or the one undone. */
  decision: string;
  from: { status: string; needsReview: boolean };
  to: { status: string; needsReview: boolean };
  note?: string;
  blocked?: { email?: boolean; ip?: boolean };
  /** For `author` entries: which identity of the comment's author, and when a suspension ends. */
  author?: { subject: 'email' | 'ip'; until?: string };
}

/**
 * The stream is append-only: nothing edits or deletes an entry, an undo is an entry of its own. It is capped far
 * above what a site produces in years so Redis cannot grow without bound.
 */
const MAX_AUDIT = 1_000_000;

/** Appends an entry; the write is added to the batch of the change it records, so that neither lands without the other. */
export function auditWrite(w: AtomicWrites, siteId: string, e: AuditEntry): AtomicWrites {
  return w.add('XADD', keys.reviewAudit(siteId), 'MAXLEN', '~', MAX_AUDIT, '*', 'json', JSON.stringify(e));
}

/** Newest first. `before` is an entry id from a previous page. */
export async function readAudit(
  redis: Redis, siteId: string, opts: { limit: number; before?: string; moderatorId?: string },
): Promise<{ entries: Array<AuditEntry & { id: string; siteId: string }>; next?: string }> {
  const out: Array<AuditEntry & { id: string; siteId: string }> = [];
  let end = opts.before ? `(${opts.before}` : '+';
  // Filtering by moderator may need several pages of the stream; bounded so one request stays cheap.
  for (let round = 0; round < 20 && out.length < opts.limit; round++) {
    const rows = await redis.xrevrange(keys.reviewAudit(siteId), end, '-', 'COUNT', opts.limit * 2);
    if (!rows.length) return { entries: out };
    for (const [id, fields] of rows) {
      const e = JSON.parse(fields[1]) as AuditEntry;
      if (!opts.moderatorId || e.moderator.id === opts.moderatorId) out.push({ id, siteId, ...e });
      if (out.length >= opts.limit) return { entries: out, next: id };
    }
    end = `(${rows[rows.length - 1][0]}`;
  }
  return { entries: out, ...(out.length ? { next: out[out.length - 1].id } : {}) };
}
