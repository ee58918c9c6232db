import { keys } from '../../infra/keys';
import { parseCounts, standingOf } from '../../review/author-history';
import { identityHash, normalizeEmail } from '../identity';
import type { Phase } from '../types';

/**
 * The author's standing on the site, from earlier decisions on comments with the same (hashed) e-mail: trusted
 * authors skip review for borderline scores, suspects are pre-moderated. An e-mail or IP a moderator blocked from the
 * review page rejects the comment outright; those are kept as keyed hashes, so they are checked here rather than in
 * the site's plain-text blocklists.
 */
export const authorStandingPhase: Phase = async (ctx) => {
  const { redis, secret } = ctx.deps;
  const siteId = ctx.site.id;
  const emailHash = identityHash(secret, 'email', normalizeEmail(ctx.input.author.email));
  const ipHash = identityHash(secret, 'ip', ctx.client.ip);
  const res = await redis
    .multi()
    .hgetall(keys.reviewAuthor(siteId, emailHash))
    .sismember(keys.reviewBlockedEmails(siteId), emailHash)
    .sismember(keys.reviewBlockedIps(siteId), ipHash)
    .exec();
  const counts = parseCounts((res?.[0]?.[1] as Record<string, string>) ?? {});
  const hit = (code: string) => {
    if (!ctx.reasons.includes(code)) ctx.reasons.push(code);
    ctx.verdict = 'rejected';
  };
  if (Number(res?.[1]?.[1]) === 1) hit('blocked_email');
  if (Number(res?.[2]?.[1]) === 1) hit('blocked_ip');
  const standing = standingOf(counts, ctx.site.policy.trustedAuthorApprovals);
  if (standing) ctx.authorStanding = standing;
};
