import { admitComment, CAMPAIGN_WINDOW_MINUTES, linkDomainsOf } from '../intake-script';
import type { Phase } from '../types';

/**
 * Counts how often the same body was posted on the site and how many comments came from the same IP in the last
 * 24 h, and how many authors linked the same domains in the last minutes. All are spam features; a repeated body is
 * also a reason of its own. The rate-limit phase (or, after a
 * captcha, the captcha phase) has counted them already in its round trip; otherwise the same script counts them here.
 */
export const historySignalsPhase: Phase = async (ctx) => {
  ctx.signals ??= await admitComment(ctx, 'after-captcha');
  const { duplicates, postsPerIp } = ctx.signals!;
  ctx.meta.duplicateCount24h = duplicates;
  ctx.meta.postsPerIp24h = postsPerIp;
  if (duplicates > 0) ctx.reasons.push('duplicate_body');
  // The campaign feature: the linked domain that the most distinct authors posted on this site in the window.
  const counts = ctx.signals!.linkAuthors ?? [];
  const domains = linkDomainsOf(ctx);
  let best = -1;
  for (let i = 0; i < counts.length && i < domains.length; i++) if (best < 0 || counts[i] > counts[best]) best = i;
  if (best >= 0) ctx.meta.campaign = { domain: domains[best], authors: counts[best], minutes: CAMPAIGN_WINDOW_MINUTES };
};
