import { admitComment } from '../intake-script';
import type { Phase } from '../types';

/**
 * Limits comments per site+IP and per site+e-mail, with the site's own limits. When no captcha has to be checked
 * against Redis first (server calls, sites with captchas off), the same round trip also takes the per-e-mail limit,
 * the history counts and the author's standing for the phases after it; otherwise those wait for the captcha phase:
 * counting before the captcha is checked would let a bot spend another author's limit or inflate their counts
 * without solving one.
 */
export const rateLimitPhase: Phase = async (ctx) => {
  const captchaFirst = ctx.via === 'browser' && ctx.site.policy.captcha !== 'off';
  const signals = await admitComment(ctx, captchaFirst ? 'before-captcha' : 'all');
  if (signals) ctx.signals = signals;
};
