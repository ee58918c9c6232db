import type Redis from 'ioredis';
import type { Site } from '../sites/site-store';
import { storeCaptcha } from './captcha-store';
import { renderCaptcha } from './render';

export interface CaptchaDeps {
  redis: Redis;
  secret: Buffer;
  ttlSeconds: number;
}

/** What POST /v1/captchas answers: an image challenge (svg mode). */
export interface CaptchaChallenge {
  id: string;
  type: 'svg';
  svg: string;
  expiresAt: string;
}

/** Draws a captcha for a site and remembers its answer (as an HMAC) until it expires. */
export async function issueCaptcha(deps: CaptchaDeps, site: Site): Promise<CaptchaChallenge> {
  const { svg, answer } = renderCaptcha();
  const { id, expiresAt } = await storeCaptcha(deps.redis, deps.secret, site.id, answer, deps.ttlSeconds);
  return { id, type: 'svg', svg, expiresAt };
}
