import type Redis from 'ioredis';
import { keys } from '../infra/keys';
import { luaScript, runLua } from '../infra/lua';

/**
 * The numbers Akismet's get-stats, usage-limit and key-sites report, from Vigil's own answers on the Akismet routes:
 * one Redis hash per site and month with the site's totals and, for key-sites, the same per blog that sent them.
 *
 * - `api_calls`: comment-checks answered, rate-limited ones included (test requests store nothing, not even a count).
 * - `spam` / `ham`: comment-checks Vigil answered true / false.
 * - `missed_spam`: submit-spam of a comment Vigil had answered false; `false_positives`: submit-ham of one it had
 *   answered true. A submission Vigil cannot tie to its answer is learnt but not counted: it proves nothing.
 */
export type Counter = 'api_calls' | 'spam' | 'ham' | 'missed_spam' | 'false_positives';
const COUNTERS: Counter[] = ['api_calls', 'spam', 'ham', 'missed_spam', 'false_positives'];

/** Blogs listed per site and month; a key pasted into more blogs than this is shared beyond any honest use. */
export const MAX_BLOGS_PER_MONTH = 100;
/** Months kept: "all" in get-stats means this far back. */
export const MONTHS_KEPT = 36;
const TTL_SECONDS = (MONTHS_KEPT + 1) * 31 * 86400;

const COUNT = luaScript(`
local h = KEYS[1]
for i = 4, #ARGV do redis.call('HINCRBY', h, 'all|' .. ARGV[i], 1) end
local blog = ARGV[1]
if blog ~= '' then
  local known = redis.call('HEXISTS', h, 'blog|' .. blog) == 1
  if not known and redis.call('HINCRBY', h, 'blogs', 0) < tonumber(ARGV[2]) then
    redis.call('HSET', h, 'blog|' .. blog, 1)
    redis.call('HINCRBY', h, 'blogs', 1)
    known = true
  end
  if known then
    for i = 4, #ARGV do redis.call('HINCRBY', h, 'b|' .. blog .. '|' .. ARGV[i], 1) end
  end
end
redis.call('EXPIRE', h, ARGV[3])
return 1`);

export function monthOf(d: Date): string {
  return d.toISOString().slice(0, 7);
}

/** The blog's host name as key-sites lists it (the `blog` field is the site's home URL). */
export function blogHost(blog: string | undefined): string {
  const raw = (blog ?? '').trim();
  try {
    return new URL(raw).host.toLowerCase().slice(0, 253);
  } catch {
    return raw.toLowerCase().replace(/[|\s]/g, '').slice(0, 253);
  }
}

/** Adds one to each counter for the site (and the blog, when it is listed or there is room). */
export async function count(redis: Redis, siteId: string, blog: string, counters: Counter[], now: Date): Promise<void> {
  if (!counters.length) return;
  await runLua(redis, COUNT, [keys.akismetStats(siteId, monthOf(now))], [blogHost(blog), MAX_BLOGS_PER_MONTH, TTL_SECONDS, ...counters]);
}

export type Totals = Record<Counter, number>;
const zero = (): Totals => ({ api_calls: 0, spam: 0, ham: 0, missed_spam: 0, false_positives: 0 });

/** The months from `from` (YYYY-MM) to `to`, oldest first. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  while ((y < ty || (y === ty && m <= tm)) && out.length <= MONTHS_KEPT + 1) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    if (++m > 12) { m = 1; y++; }
  }
  return out;
}

/** The month `n` months before `now`'s. */
export function monthsBack(now: Date, n: number): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - n, 1));
  return monthOf(d);
}

async function readMonths(redis: Redis, siteId: string, months: string[]): Promise<Array<Record<string, string>>> {
  const p = redis.pipeline();
  for (const m of months) p.hgetall(keys.akismetStats(siteId, m));
  const res = (await p.exec()) ?? [];
  return res.map(([err, h]) => {
    if (err) throw err;
    return h as Record<string, string>;
  });
}

function totalsOf(h: Record<string, string>, prefix: string): Totals {
  const t = zero();
  for (const c of COUNTERS) t[c] = Number(h[`${prefix}${c}`] ?? 0);
  return t;
}

/** Akismet's accuracy: the share of checked comments it got right, in percent with two decimals. */
export function accuracy(t: Totals): string {
  const checked = t.spam + t.ham;
  if (!checked) return '100.00';
  const wrong = Math.min(checked, t.missed_spam + t.false_positives);
  return ((100 * (checked - wrong)) / checked).toFixed(2);
}

/**
 * get-stats as Akismet answers it: totals over the months asked for, accuracy, and a per-month breakdown. Vigil does
 * not estimate the time a moderator saved, so `time_saved` is 0.
 */
export async function statsFor(redis: Redis, siteId: string, fromMonth: string, now: Date) {
  const months = monthsBetween(fromMonth, monthOf(now));
  const rows = await readMonths(redis, siteId, months);
  const total = zero();
  const breakdown: Record<string, { spam: number; ham: number; missed_spam: number; false_positives: number }> = {};
  months.forEach((m, i) => {
    const t = totalsOf(rows[i], 'all|');
    for (const c of COUNTERS) total[c] += t[c];
    breakdown[m] = { spam: t.spam, ham: t.ham, missed_spam: t.missed_spam, false_positives: t.false_positives };
  });
  return {
    spam: total.spam, ham: total.ham, missed_spam: total.missed_spam, false_positives: total.false_positives,
    accuracy: accuracy(total), time_saved: 0, breakdown,
  };
}

/** This month's calls: usage-limit's `usage`. */
export async function callsThisMonth(redis: Redis, siteId: string, now: Date): Promise<number> {
  const [h] = await readMonths(redis, siteId, [monthOf(now)]);
  return Number(h['all|api_calls'] ?? 0);
}

export interface BlogRow { site: string; api_calls: number; spam: number; ham: number; missed_spam: number; false_positives: number }

/** The blogs that used the site's key in a month, with their counters. */
export async function blogsIn(redis: Redis, siteId: string, month: string): Promise<BlogRow[]> {
  const [h] = await readMonths(redis, siteId, [month]);
  const rows: BlogRow[] = [];
  for (const f of Object.keys(h)) {
    if (!f.startsWith('blog|')) continue;
    const blog = f.slice(5);
    rows.push({ site: blog, ...totalsOf(h, `b|${blog}|`) });
  }
  return rows;
}
