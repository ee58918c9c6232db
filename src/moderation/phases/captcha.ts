import { pressureKeys } from '../../captcha/difficulty';
import { checkCaptcha } from '../../captcha/verify';
import { judgedAs } from '../../captcha/alternative';
import { spendChecked } from '../../captcha/pow-spend';
import { admitComment } from '../intake-script';
import type { Phase } from '../types';

/**
 * Browsers prove they are people; the site's own server, holding the secret key, does not need to. Once a captcha is
 * solved, the history counts and the author's standing are taken in one round trip for the phases after it (the
 * rate-limit phase could not: counting before the captcha would let a bot inflate another author's counts). A right
 * proof of work is checked in-process and spent in that same round trip, so verifying it costs no round trip of its own.
 */
export const captchaPhase: Phase = async (ctx) => {
  if (ctx.via === 'server') return;
  const { redis, secret, settings } = ctx.deps;
  const deps = { redis, secret, ttlSeconds: settings.captchaTtlSeconds };
  // A reader who could not read the image answered the proof-of-work alternative instead.
  const spend = await checkCaptcha(deps, judgedAs(secret, ctx.site, ctx.input.captcha), ctx.input.captcha, ctx.now.getTime());
  if (ctx.site.policy.captcha !== 'off' && !ctx.signals) ctx.signals = await admitComment(ctx, 'after-captcha', spend);
  else if (spend) await spendChecked(redis, spend);
  const { captcha, powAdaptive } = ctx.site.policy;
  if ((captcha === 'pow' || captcha === 'pow+svg') && powAdaptive.failureWeight > 0) {
    // A rejected comment weighs on the adaptive proof of work of its network and site like a wrong answer does, in the
    // comment's own transaction: a bot whose comments are refused pays more for the next ones.
    ctx.persistWrites = [...(ctx.persistWrites ?? []), (w, comment) => {
      if (comment.status !== 'rejected') return;
      const p = pressureKeys(comment.siteId, comment.client.ipHash, powAdaptive, ctx.now.getTime());
      for (const key of [p.site[0], p.network[0]]) w.add('INCRBY', key, powAdaptive.failureWeight).add('EXPIRE', key, p.ttlSeconds, 'NX');
    }];
  }
};
