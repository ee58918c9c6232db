import type { Site } from '../sites/site-store';
import { CaptchaRequiredError } from '../errors';
import { consumeCaptcha } from './captcha-store';
import type { CaptchaDeps } from './issue';

/**
 * Checks a browser's captcha answer for the site's captcha mode; throws captcha_required, captcha_invalid or
 * captcha_expired. With the mode `off` nothing is asked.
 */
export async function verifyCaptcha(
  deps: CaptchaDeps, site: Site, answer: { id: string; answer: string } | undefined,
): Promise<void> {
  if (site.policy.captcha === 'off') return;
  if (!answer) throw new CaptchaRequiredError();
  await consumeCaptcha(deps.redis, deps.secret, site.id, answer.id, answer.answer);
}
