import { admitComment } from '../intake-script';
import type { Phase } from '../types';

/**
 * Counts how often the same body was posted on the site and how many comments came from the same IP in the last
 * 24 h. Both are spam features; a repeated body is also a reason of its own. The rate-limit phase (or, after a
 * captcha, the captcha phase) has counted them already in its round trip; otherwise the same script counts them here.
 */
export const historySignalsPhase: Phase = async (ctx) => {
  ctx.signals ??= await admitComment(ctx, 'after-captcha');
  const { duplicates, postsPerIp } = ctx.signals!;
  ctx.meta.duplicateCount24h = duplicates;
  ctx.meta.postsPerIp24h = postsPerIp;
  if (duplicates > 0) ctx.reasons.push('duplicate_body');
};
