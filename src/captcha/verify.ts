import type { Site } from '../sites/site-store';
import { CaptchaRequiredError } from '../errors';
import { keys } from '../infra/keys';
import { answerHmac, consumeCaptcha, judge, record, spendPow } from './captcha-store';
import type { CaptchaDeps } from './issue';
import { checkPowSolution, readPowToken } from './pow';

/**
 * Checks a browser's captcha answer for the site's captcha mode; throws captcha_required, captcha_invalid or
 * captcha_expired. With the mode `off` nothing is asked. In pow mode the id is the challenge token and the answer the
 * number found; in pow+svg mode the answer is the image's characters and `pow` the number, and both must be right.
 */
export async function verifyCaptcha(
  deps: CaptchaDeps, site: Site, answer: { id: string; answer: string; pow?: string } | undefined, now = Date.now(),
): Promise<void> {
  if (site.policy.captcha === 'off') return;
  if (!answer) throw new CaptchaRequiredError();
  if (site.policy.captcha === 'svg') {
    await consumeCaptcha(deps.redis, deps.secret, site.id, answer.id, answer.answer, now);
    return;
  }
  const mode = site.policy.captcha;
  const claims = readPowToken(deps.secret, answer.id);
  // A token signed for another site is as good as a forged one here.
  if (!claims || claims.siteId !== site.id) return record(deps.redis, site.id, mode, 'failed');
  if (now > claims.expiresAt) return record(deps.redis, site.id, mode, 'expired');
  if (mode === 'pow+svg') {
    // The image is burnt by reading it (one guess, as in svg mode), which also makes the token single-use: no spent id.
    const stored = await deps.redis.getdel(keys.captcha(site.id, claims.id));
    const image = judge(stored, answerHmac(deps.secret, site.id, claims.id, answer.answer), now);
    const work = answer.pow !== undefined && checkPowSolution(claims.id, claims.difficulty, answer.pow);
    return record(deps.redis, site.id, mode, image === 'solved' && !work ? 'failed' : image, claims.client);
  }
  // Spent before the solution is checked, so that a wrong answer burns the challenge as it does in svg mode.
  const fresh = await spendPow(deps.redis, site.id, claims.id, claims.expiresAt, now);
  const ok = fresh && checkPowSolution(claims.id, claims.difficulty, answer.answer);
  return record(deps.redis, site.id, 'pow', ok ? 'solved' : 'failed', claims.client);
}
