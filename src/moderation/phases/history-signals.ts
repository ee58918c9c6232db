import { keys } from '../../infra/keys';
import { DAY_MS, historyMember, identitiesOf } from '../intake-script';
import type { Phase } from '../types';

/**
 * Counts how often the same body was posted on the site and how many comments came from the same IP in the last
 * 24 h. Both are spam features; a repeated body is also a reason of its own. The rate-limit phase (or, after a
 * captcha, the captcha phase) has counted them already in its round trip; otherwise it is done here.
 */
export const historySignalsPhase: Phase = async (ctx) => {
  let duplicates: number, postsPerIp: number;
  if (ctx.signals) ({ duplicates, postsPerIp } = ctx.signals);
  else {
    const now = ctx.now.getTime();
    const id = identitiesOf(ctx);
    const bodyKey = keys.bodySeen(ctx.site.id, id.body);
    const ipKey = keys.ipPosts(ctx.site.id, id.ip);
    const member = historyMember(now);
    const res = await ctx.deps.redis
      .multi()
      .zremrangebyscore(bodyKey, 0, now - DAY_MS).zcard(bodyKey).zadd(bodyKey, now, member).pexpire(bodyKey, DAY_MS)
      .zremrangebyscore(ipKey, 0, now - DAY_MS).zcard(ipKey).zadd(ipKey, now, member).pexpire(ipKey, DAY_MS)
      .exec();
    duplicates = Number(res?.[1]?.[1] ?? 0);
    postsPerIp = Number(res?.[5]?.[1] ?? 0);
  }
  ctx.meta.duplicateCount24h = duplicates;
  ctx.meta.postsPerIp24h = postsPerIp;
  if (duplicates > 0) ctx.reasons.push('duplicate_body');
};
