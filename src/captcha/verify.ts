import type { Site } from '../sites/site-store';
import { CaptchaRequiredError } from '../errors';
import { keys } from '../infra/keys';
import { answerHmac, CaptchaOutcome, consumeCaptcha, judge, record, spendPow } from './captcha-store';
import type { CaptchaDeps } from './issue';
import { pressureKeys } from './difficulty';
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
  // A wrong answer weighs on the adaptive difficulty of the network that fetched the challenge, written with the
  // failure count (no extra round trip); a right one needs no key names at all.
  const judged = (outcome: CaptchaOutcome) => record(deps.redis, site.id, mode, outcome, claims.client, outcome !== 'failed' ? undefined : {
    keys: pressureKeys(site.id, claims.client, site.policy.powAdaptive, now), weight: site.policy.powAdaptive.failureWeight,
  });
  if (mode === 'pow+svg') {
    // The image is burnt by reading it (one guess, as in svg mode), which also makes the token single-use: no spent id.
    const stored = await deps.redis.getdel(keys.captcha(site.id, claims.id));
    const image = judge(stored, answerHmac(deps.secret, site.id, claims.id, answer.answer), now);
    const work = answer.pow !== undefined && checkPowSolution(claims.id, claims.difficulty, answer.pow);
    return judged(image === 'solved' && !work ? 'failed' : image);
  }
  // One round trip spends the id whatever the answer (a wrong one burns the challenge, as in svg mode) and counts the
  // outcome; the solution is checked first because it is one hash and needs no state.
  const ok = checkPowSolution(claims.id, claims.difficulty, answer.answer);
  const pressure = { keys: pressureKeys(site.id, claims.client, site.policy.powAdaptive, now), weight: site.policy.powAdaptive.failureWeight };
  await spendPow(deps.redis, site.id, claims, ok, pressure, now);
}
