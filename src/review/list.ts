import type Redis from 'ioredis';
import type { StoredComment } from '../comments/comment-store';
import { ReviewList, reviewListOf } from '../comments/comment-index';
import { keys } from '../infra/keys';
import { listReported, reportedCount } from '../reports/report-store';
import { emailFacetValues, nameHash, normalizeName } from './search-index';

export type ListOrder = 'newest' | 'oldest' | 'score';

/** One page of a review list, filtered. Facets are looked up in their own index; text and reason on the comment. */
export interface ListQuery {
  siteId: string;
  queue: ReviewList;
  order: ListOrder;
  limit: number;
  cursor?: string;
  /** A thread id: the article. */
  article?: string;
  /** An e-mail address (matched by its keyed hash) or a name (matched whole, case and spacing aside). */
  author?: string;
  /** Words the body must contain, case aside. */
  text?: string;
  reason?: string;
  /** Creation time bounds in ms, inclusive. */
  from?: number;
  to?: number;
}

/** A list row: what the list shows. The e-mail appears masked only, as everywhere on the page. */
export interface ListRow {
  commentId: string;
  siteId: string;
  threadId: string;
  body: string;
  status: string;
  needsReview: boolean;
  scores: StoredComment['scores'];
  reasons: string[];
  author: { name: string; emailMasked: string };
  createdAt: string;
  /** Pending items only: who holds the item's lease, if anyone. */
  claimed?: 'you' | 'other';
  /** Reported list only: when the comment reached the report threshold, its open reports and their reasons. */
  reportedAt?: string;
  reports?: number;
  reportReasons?: Record<string, number>;
}

export interface ListPage {
  items: ListRow[];
  /** Pass back as `cursor` for the next page; absent at the end. */
  next?: string;
  /** The scan budget ran out before the page was full: more matches may follow `next`. */
  partial: boolean;
  /** Index entries examined for this page. */
  scanned: number;
}

/** Index entries one request may examine: a search never costs more than this, however rare its matches. */
export const SCAN_BUDGET = 2000;
/** A facet this small is read whole and sorted by score in memory when the order is highest score first. */
const SORT_IN_MEMORY = SCAN_BUDGET;
const BATCH = 200;

/** Which index a page walks: the list itself, or the facet with the fewest entries (then the others are checks). */
type Driver = { tag: string; key: string };
type Position = { score: number | '+inf' | '-inf'; tie: number };

/**
 * Serves a page of a review list. The smallest index among the list and the searched facets drives the walk, so a
 * rare author or article costs a few reads however long the list; the other indexes are membership checks done in
 * one ZMSCORE per batch; the comments of the surviving ids are then read to check text, reason and status. At most
 * SCAN_BUDGET index entries are examined per request: when they run out the page comes back short, with a cursor.
 */
export async function listReview(redis: Redis, secret: Buffer, actorId: string, q: ListQuery): Promise<ListPage> {
  const s = q.siteId;
  const byTime = keys.reviewListByTime(s, q.queue);
  const byScore = keys.reviewListByScore(s, q.queue);
  // Each group is one constraint: an id must be in at least one key of every group.
  const groups: Array<{ tag: string; keys: string[] }> = [];
  if (q.article) groups.push({ tag: 't', keys: [keys.reviewFacet(s, 'thread', q.article)] });
  if (q.author) {
    const email = q.author.includes('@');
    const values = email ? emailFacetValues(secret, q.author) : normalizeName(q.author) ? [nameHash(secret, q.author)] : [];
    groups.push({ tag: email ? 'e' : 'n', keys: values.map((v) => keys.reviewFacet(s, email ? 'author' : 'name', v)) });
  }
  const cards = await Promise.all(groups.map((g) => Promise.all(g.keys.map((k) => redis.zcard(k)))));
  // A facet no comment is filed under: nothing can match.
  if (groups.some((_, i) => cards[i].every((c) => c === 0))) return { items: [], partial: false, scanned: 0 };
  // A group drives only through a single key with entries (an address used both typed and vouched for is a check).
  let facet: (Driver & { card: number }) | undefined;
  groups.forEach((g, i) => {
    const live = g.keys.filter((_, j) => cards[i][j] > 0);
    if (live.length === 1) {
      const card = cards[i][g.keys.indexOf(live[0])];
      if (!facet || card < facet.card) facet = { tag: g.tag, key: live[0], card };
    }
  });

  const cur = parseCursor(q.cursor);
  const rowOf = rowBuilder(redis, s, actorId, q);
  if (q.order === 'score') {
    if (facet && (cur?.tag === facet.tag || (!cur && facet.card <= SORT_IN_MEMORY))) {
      return sortedFacetPage(redis, q, facet, groups.filter((g) => g.tag !== facet!.tag), byScore, cur?.offset ?? 0, rowOf);
    }
    return walk(redis, q, { tag: 's', key: byScore }, 'desc', groups, cur?.tag === 's' ? cur : undefined, rowOf, true);
  }
  const listCard = await redis.zcard(byTime);
  const driver: Driver = cur && cur.tag !== 'l' && facet?.tag === cur.tag ? facet : facet && facet.card < listCard ? facet : { tag: 'l', key: byTime };
  const checks = driver.tag === 'l' ? groups : [...groups.filter((g) => g.tag !== driver.tag), { tag: 'l', keys: [byTime] }];
  return walk(redis, q, driver, q.order === 'oldest' ? 'asc' : 'desc', checks, cur?.tag === driver.tag ? cur : undefined, rowOf, false);
}

/** The rows of a batch (undefined where filtered out) and the ids whose comment is gone (pruned from the list). */
type RowOf = (ids: string[]) => Promise<{ rows: Array<ListRow | undefined>; gone: Set<string> }>;

/** Walks an index in order from the cursor, checking each batch against the other groups, up to the budget. */
async function walk(
  redis: Redis, q: ListQuery, driver: Driver, dir: 'asc' | 'desc', checks: Array<{ keys: string[] }>,
  cur: { tag: string; score?: Position['score']; tie?: number } | undefined, rowOf: RowOf, scoreOrder: boolean,
): Promise<ListPage> {
  // Time-ordered indexes take the date range as bounds; the score index checks it on the comment.
  const lo: number | '-inf' = !scoreOrder && q.from !== undefined ? q.from : '-inf';
  const hi: number | '+inf' = !scoreOrder && q.to !== undefined ? q.to : '+inf';
  let pos: Position = cur?.score !== undefined ? { score: cur.score, tie: cur.tie ?? 0 } : { score: dir === 'desc' ? hi : lo, tie: 0 };
  const items: ListRow[] = [];
  let scanned = 0;
  for (;;) {
    const count = Math.min(BATCH, SCAN_BUDGET - scanned);
    if (count <= 0) return { items, next: cursorOf(driver.tag, pos), partial: true, scanned };
    const flat = dir === 'desc'
      ? await redis.zrevrangebyscore(driver.key, pos.score, lo, 'WITHSCORES', 'LIMIT', pos.tie, count)
      : await redis.zrangebyscore(driver.key, pos.score, hi, 'WITHSCORES', 'LIMIT', pos.tie, count);
    const batch: Array<[string, number]> = [];
    for (let i = 0; i < flat.length; i += 2) batch.push([flat[i], Number(flat[i + 1])]);
    const keep = await membership(redis, batch.map((b) => b[0]), checks);
    const { rows, gone } = await rowOf(batch.filter((_, i) => keep[i]).map((b) => b[0]));
    let r = 0;
    for (const [i, [id, score]] of batch.entries()) {
      // An entry pruned on the way is no longer there to skip next time.
      const seen = gone.has(id) ? 0 : 1;
      pos = score === pos.score ? { score, tie: pos.tie + seen } : { score, tie: seen };
      scanned++;
      const row = keep[i] ? rows[r++] : undefined;
      if (row) items.push(row);
      if (items.length >= q.limit) {
        const more = i < batch.length - 1 || batch.length === count;
        return { items, ...(more ? { next: cursorOf(driver.tag, pos) } : {}), partial: false, scanned };
      }
    }
    if (batch.length < count) return { items, partial: false, scanned };
  }
}

/** Highest score first within a small facet: its ids, scored through the list's score index, sorted in memory. */
async function sortedFacetPage(
  redis: Redis, q: ListQuery, facet: Driver, checks: Array<{ keys: string[] }>, byScore: string, offset: number, rowOf: RowOf,
): Promise<ListPage> {
  const ids = (await redis.zrevrange(facet.key, 0, SORT_IN_MEMORY - 1));
  const scores = ids.length ? await redis.zmscore(byScore, ...ids) : [];
  const inList = ids.map((id, i) => ({ id, score: scores[i] })).filter((e): e is { id: string; score: string } => e.score !== null);
  const keep = await membership(redis, inList.map((e) => e.id), checks);
  // Stable: equal scores stay newest first, the facet's own order.
  const sorted = inList.filter((_, i) => keep[i]).sort((a, b) => Number(b.score) - Number(a.score));
  const items: ListRow[] = [];
  let i = offset;
  for (; i < sorted.length && items.length < q.limit; i += BATCH) {
    const slice = sorted.slice(i, i + BATCH).map((e) => e.id);
    const { rows } = await rowOf(slice);
    for (let j = 0; j < rows.length; j++) {
      const row = rows[j];
      if (row) items.push(row);
      if (items.length >= q.limit) {
        const at = i + j + 1;
        return { items, ...(at < sorted.length ? { next: `${facet.tag}~o~${at}` } : {}), partial: false, scanned: at - offset };
      }
    }
  }
  return { items, partial: false, scanned: Math.max(0, Math.min(i, sorted.length) - offset) };
}

/** For each id, whether it is in at least one key of every group; one ZMSCORE per key for the whole batch. */
async function membership(redis: Redis, ids: string[], groups: Array<{ keys: string[] }>): Promise<boolean[]> {
  const keep = ids.map(() => true);
  if (!ids.length) return keep;
  for (const g of groups) {
    const found = ids.map(() => false);
    for (const k of g.keys) (await redis.zmscore(k, ...ids)).forEach((v, i) => (found[i] ||= v !== null));
    found.forEach((f, i) => (keep[i] &&= f));
  }
  return keep;
}

/**
 * Reads the comments of a batch and turns those that pass the comment-level filters into rows. An id whose comment
 * expired is dropped from the list's indexes on the way (they are trimmed by time on write, this catches the rest).
 */
function rowBuilder(redis: Redis, siteId: string, actorId: string, q: ListQuery): RowOf {
  const text = q.text ? q.text.normalize('NFKC').toLowerCase() : undefined;
  return async (ids) => {
    if (!ids.length) return { rows: [], gone: new Set<string>() };
    const raws = await redis.mget(ids.map((id) => keys.comment(siteId, id)));
    const gone = ids.filter((_, i) => !raws[i]);
    if (gone.length) {
      await redis.zrem(keys.reviewListByTime(siteId, q.queue), ...gone);
      await redis.zrem(keys.reviewListByScore(siteId, q.queue), ...gone);
    }
    const claims = q.queue === 'pending' ? await redis.mget(ids.map((id) => keys.reviewClaim(siteId, id))) : [];
    const rows = raws.map((raw, i) => {
      if (!raw) return undefined;
      const c = JSON.parse(raw) as StoredComment;
      // The index may trail a decision made a moment ago; the comment itself has the last word.
      if (reviewListOf(c) !== q.queue) return undefined;
      if (text && !c.body.normalize('NFKC').toLowerCase().includes(text)) return undefined;
      if (q.reason && !c.reasons.includes(q.reason)) return undefined;
      const at = Date.parse(c.createdAt);
      if ((q.from !== undefined && at < q.from) || (q.to !== undefined && at > q.to)) return undefined;
      const claim = claims[i] ? (JSON.parse(claims[i]!) as { moderatorId: string }) : undefined;
      return {
        commentId: c.id, siteId: c.siteId, threadId: c.threadId, body: c.body, status: c.status, needsReview: !!c.needsReview,
        scores: c.scores, reasons: c.reasons, author: { name: c.author.name, emailMasked: c.author.emailMasked }, createdAt: c.createdAt,
        ...(claim ? { claimed: claim.moderatorId === actorId ? 'you' as const : 'other' as const } : {}),
      };
    });
    return { rows, gone: new Set(gone) };
  };
}

function cursorOf(tag: string, p: Position): string {
  return `${tag}~${p.score}~${p.tie}`;
}

/** Cursors are `tag~score~tie` (a walk) or `tag~o~offset` (a sorted facet); anything else starts from the top. */
function parseCursor(c: string | undefined): ((Position & { tag: string; offset?: undefined }) | { tag: string; offset: number; score?: undefined; tie?: undefined }) | undefined {
  if (!c) return undefined;
  const [tag, a, b] = c.split('~');
  if (a === 'o') return { tag, offset: Number(b) };
  const score = a === '+inf' || a === '-inf' ? a : Number(a);
  return { tag, score, tie: Number(b) };
}

/** The size of each list of a site: the counts on the queue tabs. */
export async function listCounts(redis: Redis, siteId: string): Promise<Record<ReviewList | 'reported', number>> {
  const [pending, approved, rejected] = await Promise.all(
    (['pending', 'approved', 'rejected'] as const).map((l) => redis.zcard(keys.reviewListByTime(siteId, l))),
  );
  return { pending, reported: await reportedCount(redis, siteId), approved, rejected };
}

/**
 * A page of the Reported list, from src/reports (in the order comments reached the report threshold), in the rows of
 * the other lists plus each comment's open report count and reasons. The search filters do not apply to it: the
 * reports keep their own queue, and it is short by nature. Its cursors are the reports' own, prefixed `r~`.
 */
export async function listReportedPage(
  redis: Redis, actorId: string, q: { siteId: string; order: ListOrder; limit: number; cursor?: string },
): Promise<ListPage & { total: number }> {
  const cursor = q.cursor?.startsWith('r~') ? q.cursor.slice(2) : undefined;
  const page = await listReported(redis, q.siteId, { order: q.order === 'oldest' ? 'oldest' : 'newest', limit: q.limit, ...(cursor ? { cursor } : {}) });
  const claims = page.items.length ? await redis.mget(page.items.map((i) => keys.reviewClaim(q.siteId, i.comment.id))) : [];
  const items = page.items.map((i, n) => {
    const c = i.comment;
    const claim = claims[n] ? (JSON.parse(claims[n]!) as { moderatorId: string }) : undefined;
    return {
      commentId: c.id, siteId: c.siteId, threadId: c.threadId, body: c.body, status: c.status, needsReview: !!c.needsReview,
      scores: c.scores, reasons: c.reasons, author: { name: c.author.name, emailMasked: c.author.emailMasked }, createdAt: c.createdAt,
      reportedAt: i.reportedAt, reports: i.reports, reportReasons: i.reasons,
      ...(claim ? { claimed: claim.moderatorId === actorId ? 'you' as const : 'other' as const } : {}),
    };
  });
  return { items, ...(page.next ? { next: `r~${page.next}` } : {}), partial: false, scanned: items.length, total: page.total };
}

