import { keys } from '../../infra/keys';
import { identityHash } from '../identity';
import type { Phase } from '../types';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Counts how often the same body was posted on the site and how many comments came from the same IP in the last
 * 24 h. Both are spam features; a repeated body is also a reason of its own.
 */
export const historySignalsPhase: Phase = async (ctx) => {
  const { redis, secret } = ctx.deps;
  const now = ctx.now.getTime();
  const bodyKey = keys.bodySeen(ctx.site.id, identityHash(secret, 'body', ctx.input.body.trim().toLowerCase()));
  const ipKey = keys.ipPosts(ctx.site.id, identityHash(secret, 'ip', ctx.client.ip));
  const member = `${now}:${Math.random().toString(36).slice(2, 8)}`;
  const res = await redis
    .multi()
    .zremrangebyscore(bodyKey, 0, now - DAY_MS)
    .zcard(bodyKey)
    .zadd(bodyKey, now, member)
    .pexpire(bodyKey, DAY_MS)
    .zremrangebyscore(ipKey, 0, now - DAY_MS)
    .zcard(ipKey)
    .zadd(ipKey, now, member)
    .pexpire(ipKey, DAY_MS)
    .exec();
  const duplicates = Number(res?.[1]?.[1] ?? 0);
  ctx.meta.duplicateCount24h = duplicates;
  ctx.meta.postsPerIp24h = Number(res?.[5]?.[1] ?? 0);
  if (duplicates > 0) ctx.reasons.push('duplicate_body');
};
