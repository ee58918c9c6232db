import type Redis from 'ioredis';
import type { Site } from '../sites/site-store';
import { own, type AkismetForm } from './fields';
import { blogsIn, callsThisMonth, monthOf, monthsBack, MONTHS_KEPT, statsFor, type BlogRow } from './stats';

/**
 * The account calls of Akismet's API, answered for a Vigil site: there is no plan, no bill and no limit, so the
 * subscription is always active and unlimited, and the figures are Vigil's own counts (stats.ts).
 */

/** get-subscription, in the fields WordPress's plugin reads (status, account_type, account_name, next_billing_date). */
export function subscriptionOf(site: Site) {
  return {
    account_id: 0,
    account_name: site.name,
    account_type: 'vigil',
    status: 'active',
    next_billing_date: false,
    limit_reached: false,
  };
}

/**
 * get-stats: `from` is `6-months` (the plugin's first call: this month and the five before it), `all` (its second),
 * or a month or day (`YYYY-MM`, `YYYY-MM-DD`: from that month on). Anything else is refused.
 */
export async function statsAnswer(redis: Redis, siteId: string, from: string | undefined, now: Date) {
  const f = (from ?? 'all').trim();
  const oldest = monthsBack(now, MONTHS_KEPT - 1);
  let start: string;
  if (f === 'all') start = oldest;
  else if (f === '6-months') start = monthsBack(now, 5);
  else if (/^\d{4}-(0[1-9]|1[0-2])(-\d{2})?$/.test(f)) start = f.slice(0, 7) < oldest ? oldest : f.slice(0, 7);
  else return { error: `Invalid "from" value: send 6-months, all, or a month (YYYY-MM).` };
  return statsFor(redis, siteId, start, now);
}

/** usage-limit: Akismet's documented shape for an unlimited key (`limit: "none"`). */
export async function usageLimit(redis: Redis, siteId: string, now: Date) {
  return { limit: 'none', usage: await callsThisMonth(redis, siteId, now), percentage: '0.00', throttled: false };
}

const ORDERS = ['total', 'spam', 'ham', 'missed_spam', 'false_positives'] as const;

/**
 * key-sites: the blogs that sent this site's key in a month, with their counts, as JSON (Akismet's shape: the rows
 * under the month, then limit, offset, total) or CSV. Counts are strings in the JSON, as Akismet sends them.
 */
export async function keySites(
  redis: Redis, siteId: string, form: AkismetForm, now: Date,
): Promise<{ error: string } | { json: Record<string, unknown>; csv?: undefined } | { csv: string }> {
  const month = own(form, 'month')?.trim() || monthOf(now);
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) return { error: 'Invalid "month" value: send YYYY-MM.' };
  const format = own(form, 'format')?.trim() || 'json';
  if (format !== 'json' && format !== 'csv') return { error: 'Invalid "format" value: send json or csv.' };
  const order = (own(form, 'order')?.trim() || 'total') as (typeof ORDERS)[number];
  if (!ORDERS.includes(order)) return { error: `Invalid "order" value: send one of ${ORDERS.join(', ')}.` };
  const limit = Number(own(form, 'limit') ?? 500);
  const offset = Number(own(form, 'offset') ?? 0);
  if (!Number.isInteger(limit) || limit < 1 || limit > 5000) return { error: 'Invalid "limit" value: send a whole number from 1 to 5000.' };
  if (!Number.isInteger(offset) || offset < 0) return { error: 'Invalid "offset" value: send a whole number from 0.' };
  const filter = own(form, 'filter')?.trim().toLowerCase().slice(0, 253) ?? '';
  const key = (r: BlogRow) => (order === 'total' ? r.api_calls : r[order]);
  const all = (await blogsIn(redis, siteId, month))
    .filter((r) => !filter || r.site.includes(filter))
    .sort((a, b) => key(b) - key(a) || a.site.localeCompare(b.site));
  const page = all.slice(offset, offset + limit);
  if (format === 'csv') {
    const lines = [
      `Active sites for this key during ${month} (limit: ${limit}, offset: ${offset}, total: ${all.length}).`,
      'Site,Total API Calls,Spam,Ham,Missed Spam,False Positives,Is Revoked',
      ...page.map((r) => [csvCell(r.site), r.api_calls, r.spam, r.ham, r.missed_spam, r.false_positives, 'false'].join(',')),
    ];
    return { csv: lines.join('\n') + '\n' };
  }
  return {
    json: {
      [month]: page.map((r) => ({
        site: r.site, api_calls: String(r.api_calls), spam: String(r.spam), ham: String(r.ham),
        missed_spam: String(r.missed_spam), false_positives: String(r.false_positives), is_revoked: false,
      })),
      limit, offset, total: all.length,
    },
  };
}

/**
 * A host name cannot hold a comma, a quote or a leading `=`, but the `blog` field it came from is the client's to
 * choose: quoted, and a would-be spreadsheet formula is defused with a leading apostrophe.
 */
function csvCell(raw: string): string {
  const s = /^[=+\-@]/.test(raw) ? `'${raw}` : raw;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
