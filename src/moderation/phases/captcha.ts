import { verifyCaptcha } from '../../captcha/verify';
import type { Phase } from '../types';

/** Browsers prove they are people; the site's own server, holding the secret key, does not need to. */
export const captchaPhase: Phase = async (ctx) => {
  if (ctx.via === 'server') return;
  const { redis, secret, settings } = ctx.deps;
  await verifyCaptcha({ redis, secret, ttlSeconds: settings.captchaTtlSeconds }, ctx.site, ctx.input.captcha);
};
