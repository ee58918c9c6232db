import { RateLimitedError } from '../errors';
import { keys } from '../infra/keys';
import { luaScript, runLua } from '../infra/lua';
import { FIXED_WINDOW_LUA } from '../infra/rate-limit';
import { type PowSpend, SPEND_POW_LUA } from '../captcha/pow-spend';
import { onList, registrableDomain } from '../classifier/links';
import { emailIdentity, identityHash } from './identity';
import { ipSubject } from './ip-subject';
import type { IntakeSignals, ModerationContext } from './types';

const DAY_MS = 24 * 3600 * 1000;

/**
 * The comment path's Redis work before scoring, in one round trip: the per-IP and per-e-mail rate limits (the one
 * fixed-window limiter of infra/rate-limit.ts, embedded) and, when asked, the author's review counts, the moderators'
 * e-mail and IP blocks, bans, suspensions and trust, and the 24-hour duplicate-body and per-IP counts. The profile of
 * the comment path showed it waiting on nine sequential round trips, with socket writes its largest CPU cost; every
 * key carries the site's hash tag, so this runs on Redis Cluster too. A proof of work checked in-process is spent
 * first (keys 10 and 11 when ARGV[13] is set), before any limit, so a replay answers {3} and costs nobody a point.
 */
const INTAKE = luaScript(`${FIXED_WINDOW_LUA}${SPEND_POW_LUA}
local links = 10
if ARGV[13] ~= '' then
  if not spendPow(KEYS[10], ARGV[13], KEYS[11], ARGV[14]) then return {3, 0} end
  links = 12
end
local anonymous = ARGV[6] == ''
local first, last = 0, 1
if ARGV[5] == 'before-captcha' then last = 0 elseif ARGV[5] == 'after-captcha' then first = 1 end
if anonymous then last = 0 end
for i = first, last do
  local wait = spend(KEYS[1 + i], ARGV[1 + 2 * i], ARGV[2 + 2 * i])
  if wait > 0 then return {1 + i, wait} end
end
if ARGV[5] == 'before-captcha' then return {0} end
local now = tonumber(ARGV[8])
local day = tonumber(ARGV[10])
local function seen(k)
  redis.call('ZREMRANGEBYSCORE', k, 0, now - day)
  local n = redis.call('ZCARD', k)
  redis.call('ZADD', k, now, ARGV[9])
  redis.call('PEXPIRE', k, day)
  return n
end
local win = tonumber(ARGV[11])
local authors = {}
for i = links, #KEYS do
  local k = KEYS[i]
  redis.call('ZREMRANGEBYSCORE', k, 0, now - win)
  redis.call('ZADD', k, now, ARGV[12])
  redis.call('ZREMRANGEBYRANK', k, 0, -1001)
  redis.call('PEXPIRE', k, win)
  authors[#authors + 1] = redis.call('ZCARD', k)
end
return {0, 0, anonymous and {} or redis.call('HGETALL', KEYS[3]), anonymous and 0 or redis.call('SISMEMBER', KEYS[4], ARGV[6]),
  redis.call('SISMEMBER', KEYS[5], ARGV[7]), seen(KEYS[6]), seen(KEYS[7]), authors,
  anonymous and false or redis.call('GET', KEYS[8]), redis.call('GET', KEYS[9])}`);

/** How long the campaign count remembers who linked a domain. */
export const CAMPAIGN_WINDOW_MINUTES = 10;
/** Linked domains counted per comment. */
const CAMPAIGN_DOMAINS = 3;
// Linear: one pass, no nested quantifiers; the body is capped at the route.
const LINK_HOST = /\bhttps?:\/\/([^\s/?#:<>"'\\]{1,253})|\bwww\.([^\s/?#:<>"'\\]{1,253})/gi;

/**
 * The registrable domains a comment links to (at most three, in order, without the site's allowed ones): the
 * campaign count is kept per domain, so that one domain from many authors stands out even when every comment differs.
 */
export function linkDomainsOf(ctx: ModerationContext): string[] {
  if (ctx.linkDomains) return ctx.linkDomains;
  const out: string[] = [];
  const allow = ctx.site.policy.links?.allow ?? [];
  for (const m of ctx.input.body.matchAll(LINK_HOST)) {
    const host = (m[1] ?? m[2]).toLowerCase().replace(/^www\./, '');
    const d = registrableDomain(host);
    if (!d || out.includes(d) || (allow.length && onList(host, allow))) continue;
    out.push(d);
    if (out.length === CAMPAIGN_DOMAINS) break;
  }
  return (ctx.linkDomains = out);
}


/**
 * The keyed hashes a comment is counted under, computed once per request. The e-mail identity is empty when there is
 * no e-mail (no history, no limit, no block), and a verified e-mail (vouched for by the site's server) is a different
 * identity from the same address typed into a form, so nobody can spend or earn a signed-in user's reputation by
 * typing their address (emailIdentity).
 */
export function identitiesOf(ctx: ModerationContext): { ip: string; email: string; body: string } {
  ctx.identities ??= {
    ip: identityHash(ctx.deps.secret, 'ip', ipSubject(ctx.client.ip, ctx.deps.settings.ipv6Prefix)),
    email: emailIdentity(ctx.deps.secret, ctx.input.author.email, ctx.via === 'server' && ctx.input.author.verified === true),
    body: identityHash(ctx.deps.secret, 'body', ctx.input.body.trim().toLowerCase()),
  };
  return ctx.identities;
}

/** A member unique to this comment in the 24-hour sorted sets. */
function historyMember(now: number): string {
  return `${now}:${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * `before-captcha` spends a point of the per-IP limit only (throwing rate_limited with Retry-After when over it);
 * `after-captcha` spends a point of the per-e-mail limit, counts the comment in the 24-hour history and reads the
 * author's standing; `all` does both in one call. The per-e-mail limit waits for the captcha because anyone can type
 * a victim's e-mail: counted before, 30 bogus captchas locked that e-mail for an hour.
 */
export type IntakeStep = 'before-captcha' | 'after-captcha' | 'all';

export async function admitComment(ctx: ModerationContext, step: IntakeStep, spend?: PowSpend): Promise<IntakeSignals | undefined> {
  const withSignals = step !== 'before-captcha';
  const site = ctx.site.id;
  const limits = ctx.site.policy.rateLimits;
  const id = identitiesOf(ctx);
  const now = ctx.now.getTime();
  const domains = withSignals ? linkDomainsOf(ctx) : [];
  const reply = await runLua<[number, number, string[]?, number?, number?, number?, number?, number[]?, (string | null)?, (string | null)?]>(
    ctx.deps.redis, INTAKE,
    [
      // Browsers and the site's server count an e-mail separately: whatever reaches the browser path (a solved
      // captcha is cheap for some) must not lock the site's own server calls for that commenter.
      keys.rateLimit(site, 'comment-ip', id.ip),
      keys.rateLimit(site, ctx.via === 'browser' ? 'comment-email-browser' : 'comment-email', id.email),
      keys.reviewAuthor(site, id.email), keys.reviewBlockedEmails(site), keys.reviewBlockedIps(site),
      keys.bodySeen(site, id.body), keys.ipPosts(site, id.ip),
      keys.authorAction(site, 'email', id.email), keys.authorAction(site, 'ip', id.ip),
      ...(spend ? [spend.key, spend.statsKey] : []),
      ...domains.map((d) => keys.linkAuthors(site, identityHash(ctx.deps.secret, 'domain', d))),
    ],
    [
      limits.commentsPerIpPerMinute, 60, limits.commentsPerEmailPerHour, 3600, step,
      // An anonymous commenter (no e-mail identity) counts as an author by network, so a campaign cannot hide in it.
      id.email, id.ip, now, historyMember(now), DAY_MS, CAMPAIGN_WINDOW_MINUTES * 60000, id.email || `ip:${id.ip}`,
      spend?.ttlMs ?? '', spend?.solvedField ?? '',
    ],
  );
  if (reply[0] === 3 && spend) await spend.replayed();
  if (reply[0] !== 0) throw new RateLimitedError(Math.max(0, reply[1]) / 1000);
  if (!withSignals) return undefined;
  const flat = reply[2] ?? [];
  const author: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) author[flat[i]] = flat[i + 1];
  return {
    author, blockedEmail: reply[3] === 1, blockedIp: reply[4] === 1, duplicates: Number(reply[5]), postsPerIp: Number(reply[6]),
    linkAuthors: (reply[7] ?? []).map(Number),
    actions: { email: reply[8] ?? null, ip: reply[9] ?? null },
  };
}
