import { keys } from '../../infra/keys';
import { consume } from '../../infra/rate-limit';
import { identityHash, normalizeEmail } from '../identity';
import type { Phase } from '../types';

/** Limits comments per site+IP and per site+e-mail, with the site's own limits. */
export const rateLimitPhase: Phase = async (ctx) => {
  const { redis, secret } = ctx.deps;
  const limits = ctx.site.policy.rateLimits;
  await consume(
    redis,
    { prefix: keys.rateLimit(ctx.site.id, 'comment-ip'), points: limits.commentsPerIpPerMinute, durationSeconds: 60 },
    identityHash(secret, 'ip', ctx.client.ip),
  );
  await consume(
    redis,
    { prefix: keys.rateLimit(ctx.site.id, 'comment-email'), points: limits.commentsPerEmailPerHour, durationSeconds: 3600 },
    identityHash(secret, 'email', normalizeEmail(ctx.input.author.email)),
  );
};
