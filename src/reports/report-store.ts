import type Redis from 'ioredis';
import type { AtomicWrites } from '../infra/atomic-writes';
import { keys } from '../infra/keys';
import { luaScript, runLua } from '../infra/lua';
import { getComment, StoredComment } from '../comments/comment-store';

/** Why a reader reports a comment. */
export const REPORT_REASONS = ['offensive', 'spam', 'off_topic', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

/** One reader's report as moderators see it: never who sent it. */
export interface Report {
  reason: ReportReason;
  text?: string;
  /** ISO time the report arrived. */
  at: string;
}

/** A report as stored: also the keyed hash of the reporter's network, which the threshold counts. */
interface StoredReport extends Report {
  net: string;
}

/** Open reports kept per comment; the oldest drop off past it, and the count stops there too. */
export const MAX_REPORTS_PER_COMMENT = 500;

/**
 * Files one report in a single script, so that two readers reporting at once cannot both miss the threshold and a
 * refused (duplicate) report writes nothing. KEYS: readers, reports, networks, Reported queue. ARGV: reader hash,
 * report JSON, network hash, threshold, comment id, now (ms), TTL (s), cap. Returns {-1} for a reader who already
 * reported, else {networks counted, reports open, 1 when this report put the comment in the Reported queue}.
 */
const FILE = luaScript(`
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return {-1, 0, 0} end
local ttl = tonumber(ARGV[7])
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('RPUSH', KEYS[2], ARGV[2])
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[8]), -1)
redis.call('EXPIRE', KEYS[2], ttl)
redis.call('SADD', KEYS[3], ARGV[3])
redis.call('EXPIRE', KEYS[3], ttl)
local nets = redis.call('SCARD', KEYS[3])
local entered = 0
if nets >= tonumber(ARGV[4]) and not redis.call('ZSCORE', KEYS[4], ARGV[5]) then
  redis.call('ZADD', KEYS[4], ARGV[6], ARGV[5])
  redis.call('EXPIRE', KEYS[4], ttl)
  entered = 1
end
return {nets, redis.call('LLEN', KEYS[2]), entered}`);

export interface FileReportInput {
  siteId: string;
  commentId: string;
  /** Keyed hash of the reader (network + client token): one report per reader per comment. */
  reader: string;
  /** Keyed hash of the reader's network (IP, or IPv6 /64): what the threshold counts. */
  network: string;
  reason: ReportReason;
  text?: string;
  /** Reports from this many networks put the comment in the Reported queue. */
  threshold: number;
  /** How long the reports are kept: the comment's retention. */
  ttlSeconds: number;
  now?: Date;
}

export type FileReportResult =
  | { duplicate: true }
  | { duplicate: false; networks: number; reports: number; entered: boolean };

/** Stores a reader's report; `entered` says this one moved the comment into the site's Reported queue. */
export async function fileReport(redis: Redis, r: FileReportInput): Promise<FileReportResult> {
  const now = r.now ?? new Date();
  const stored: StoredReport = { reason: r.reason, ...(r.text ? { text: r.text } : {}), at: now.toISOString(), net: r.network };
  const [nets, open, entered] = await runLua<[number, number, number]>(
    redis, FILE,
    [keys.reportReaders(r.siteId, r.commentId), keys.reports(r.siteId, r.commentId), keys.reportNetworks(r.siteId, r.commentId), keys.reported(r.siteId)],
    [r.reader, JSON.stringify(stored), r.network, r.threshold, r.commentId, now.getTime(), r.ttlSeconds, MAX_REPORTS_PER_COMMENT],
  );
  if (nets < 0) return { duplicate: true };
  return { duplicate: false, networks: nets, reports: open, entered: entered === 1 };
}

/**
 * The open reports of one comment, oldest first: reason, text and time only. Who reported is never given out, not
 * even as a hash, so a moderator (or a leaked answer) cannot link reports of different comments to one reader.
 */
export async function reportsOf(redis: Redis, siteId: string, commentId: string): Promise<Report[]> {
  const raws = await redis.lrange(keys.reports(siteId, commentId), 0, -1);
  return raws.map((raw) => {
    const s = JSON.parse(raw) as StoredReport;
    return { reason: s.reason, ...(s.text ? { text: s.text } : {}), at: s.at };
  });
}

/** Counts of a comment's open reports by reason. */
export function reasonCounts(reports: Report[]): Record<ReportReason, number> {
  const out = { offensive: 0, spam: 0, off_topic: 0, other: 0 };
  for (const r of reports) out[r.reason]++;
  return out;
}

/**
 * Closes a comment's open reports and takes it out of the Reported queue, added to a caller's batch (the moderator's
 * decision and its audit entry). The list of readers who reported stays, so a reader cannot report the same comment
 * again after a moderator kept it.
 */
export function clearReportWrites(w: AtomicWrites, siteId: string, commentId: string): AtomicWrites {
  return w
    .add('DEL', keys.reports(siteId, commentId))
    .add('DEL', keys.reportNetworks(siteId, commentId))
    .add('ZREM', keys.reported(siteId), commentId);
}

/** Comments in the Reported queue (entries may include comments removed since; the list prunes them). */
export async function reportedCount(redis: Redis, siteId: string): Promise<number> {
  return redis.zcard(keys.reported(siteId));
}

export interface ReportedItem {
  comment: StoredComment;
  /** When the comment reached the threshold (ISO). */
  reportedAt: string;
  /** Open reports (at most MAX_REPORTS_PER_COMMENT) and their reasons. */
  reports: number;
  reasons: Record<ReportReason, number>;
}

export interface ReportedPage {
  items: ReportedItem[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  next?: string;
  /** Comments in the Reported queue. */
  total: number;
}

/** A page cursor: the entry time and comment id of the last item of the previous page. */
const CURSOR = /^(\d{1,15}):([A-Za-z0-9-]{1,64})$/;

/** True when `cursor` is one listReported can continue from. */
export const isReportCursor = (cursor: string): boolean => CURSOR.test(cursor);

/**
 * Lists a site's Reported queue, newest (the last to reach the threshold) or oldest first, `limit` at a time. Entries
 * whose comment expired or was rejected meanwhile (a moderator rejected it from the Pending queue) leave the queue here.
 * @param opts.order - @defaultValue 'newest'
 * @param opts.limit - 1 to 200. @defaultValue 50
 * @param opts.cursor - the `next` of the previous page
 */
export async function listReported(
  redis: Redis, siteId: string, opts: { order?: 'newest' | 'oldest'; limit?: number; cursor?: string } = {},
): Promise<ReportedPage> {
  const newest = (opts.order ?? 'newest') === 'newest';
  const limit = Math.max(1, Math.min(200, opts.limit ?? 50));
  const key = keys.reported(siteId);
  const c = opts.cursor ? CURSOR.exec(opts.cursor) : null;
  const items: ReportedItem[] = [];
  // Entries sharing a score come in id order (reversed for newest first), so (score, id) is a total order and a
  // cursor neither skips nor repeats an entry.
  let pos: { score: number; id: string } | undefined = c ? { score: Number(c[1]), id: c[2] } : undefined;
  let more = true;
  // One entry beyond the page tells whether there is a next one; stale entries are skipped for a bounded number of rounds.
  for (let round = 0; round < 10 && items.length <= limit; round++) {
    const want = limit + 1 - items.length;
    const bound = pos ? String(pos.score) : newest ? '+inf' : '-inf';
    const rows = newest
      ? await redis.zrevrangebyscore(key, bound, '-inf', 'WITHSCORES', 'LIMIT', 0, want + TIES)
      : await redis.zrangebyscore(key, bound, '+inf', 'WITHSCORES', 'LIMIT', 0, want + TIES);
    const fresh: Array<{ id: string; score: number }> = [];
    for (let i = 0; i < rows.length; i += 2) {
      const e = { id: rows[i], score: Number(rows[i + 1]) };
      if (!pos || e.score !== pos.score || (newest ? e.id < pos.id : e.id > pos.id)) fresh.push(e);
    }
    if (!fresh.length) {
      more = false;
      break;
    }
    // Comments are read only for the entries this page can still use (and one more, to know whether a next page exists).
    const batch = fresh.slice(0, want + 1);
    const exhausted = rows.length / 2 < want + TIES && batch.length === fresh.length;
    const comments = await Promise.all(batch.map((e) => getComment(redis, siteId, e.id)));
    const stale: string[] = [];
    for (let i = 0; i < batch.length && items.length <= limit; i++) {
      const comment = comments[i];
      if (!comment || comment.status === 'rejected') {
        stale.push(batch[i].id);
        pos = batch[i];
        continue;
      }
      if (items.length === limit) break;
      const reports = await reportsOf(redis, siteId, comment.id);
      items.push({ comment, reportedAt: new Date(batch[i].score).toISOString(), reports: reports.length, reasons: reasonCounts(reports) });
      pos = batch[i];
      if (items.length === limit) {
        // The page is full: there is a next page when a live entry follows, or entries not read yet may.
        more = comments.slice(i + 1).some((x) => x && x.status !== 'rejected') || !exhausted;
        break;
      }
    }
    if (stale.length) await redis.zrem(key, ...stale);
    if (items.length === limit) break;
    if (exhausted) {
      more = false;
      break;
    }
  }
  const next = more && pos && items.length ? `${pos.score}:${pos.id}` : undefined;
  return { items, ...(next ? { next } : {}), total: await redis.zcard(key) };
}

/** Entries read beyond a page, so that many sharing the cursor's score can be stepped over in one round. */
const TIES = 50;
