import { keys } from '../../infra/keys';
import { isVerifiedIdentity, parseCounts, standingOf } from '../../review/author-history';
import { identitiesOf } from '../intake-script';
import type { Phase } from '../types';

/**
 * The author's standing on the site, from earlier decisions on comments with the same (hashed) e-mail: trusted
 * authors skip review for borderline scores, suspects are pre-moderated. An e-mail or IP a moderator blocked from the
 * review page rejects the comment outright; those are kept as keyed hashes, so they are checked here rather than in
 * the site's plain-text blocklists. Read-only (Akismet's is_test runs it), so without signals fetched ahead by the
 * rate-limit phase it reads them itself.
 */
export const authorStandingPhase: Phase = async (ctx) => {
  const siteId = ctx.site.id;
  let author: Record<string, string>, blockedEmail: boolean, blockedIp: boolean;
  if (ctx.signals) ({ author, blockedEmail, blockedIp } = ctx.signals);
  else {
    const id = identitiesOf(ctx);
    const res = await ctx.deps.redis
      .multi()
      .hgetall(keys.reviewAuthor(siteId, id.email))
      .sismember(keys.reviewBlockedEmails(siteId), id.email)
      .sismember(keys.reviewBlockedIps(siteId), id.ip)
      .get(keys.authorAction(siteId, 'email', id.email))
      .get(keys.authorAction(siteId, 'ip', id.ip))
      .exec();
    author = id.email ? ((res?.[0]?.[1] as Record<string, string>) ?? {}) : {};
    blockedEmail = !!id.email && Number(res?.[1]?.[1]) === 1;
    blockedIp = Number(res?.[2]?.[1]) === 1;
    // Read here for the author-actions phase, so that it needs no round trip of its own.
    ctx.authorActions = { email: id.email ? ((res?.[3]?.[1] as string | null) ?? null) : null, ip: (res?.[4]?.[1] as string | null) ?? null };
  }
  const hit = (code: string) => {
    if (!ctx.reasons.includes(code)) ctx.reasons.push(code);
    ctx.verdict = 'rejected';
  };
  if (blockedEmail) hit('blocked_email');
  if (blockedIp) hit('blocked_ip');
  const standing = standingOf(parseCounts(author), ctx.site.policy.trustedAuthorApprovals, isVerifiedIdentity(identitiesOf(ctx).email));
  if (standing) ctx.authorStanding = standing;
};
