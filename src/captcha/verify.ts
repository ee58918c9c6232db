import type { Site } from '../sites/site-store';
import { CaptchaRequiredError } from '../errors';
import { keys } from '../infra/keys';
import { answerHmac, CaptchaOutcome, consumeCaptcha, judge, record } from './captcha-store';
import type { CaptchaDeps } from './issue';
import { pressureKeys } from './difficulty';
import { checkPowSolution, readPowToken } from './pow';
import { failPow, PowSpend, powSpend, spendChecked } from './pow-spend';

/**
 * Checks a browser's captcha answer for the site's captcha mode; throws captcha_required, captcha_invalid or
 * captcha_expired. With the mode `off` nothing is asked. In pow mode the id is the challenge token and the answer the
 * number found; in pow+svg mode the answer is the image's characters and `pow` the number, and both must be right.
 * Spends the challenge in a round trip of its own; the comment path uses checkCaptcha to spend it in the intake's.
 */
export async function verifyCaptcha(
  deps: CaptchaDeps, site: Site, answer: { id: string; answer: string; pow?: string } | undefined, now = Date.now(),
): Promise<void> {
  const spend = await checkCaptcha(deps, site, answer, now);
  if (spend) await spendChecked(deps.redis, spend);
}

/**
 * verifyCaptcha without the last write of a right proof of work: the token's signature, site, expiry and difficulty
 * and the solution are checked in-process (one HMAC and one SHA-256, no Redis), and a right answer comes back as the
 * PowSpend the caller must carry out, in its next round trip (the intake script does) or with spendChecked. Until it
 * is carried out the challenge is not spent, so a caller that drops it opens a replay. Wrong, forged, expired and
 * image answers are judged and written here, as verifyCaptcha does, and throw.
 */
export async function checkCaptcha(
  deps: CaptchaDeps, site: Site, answer: { id: string; answer: string; pow?: string } | undefined, now = Date.now(),
): Promise<PowSpend | undefined> {
  if (site.policy.captcha === 'off') return undefined;
  if (!answer) throw new CaptchaRequiredError();
  if (site.policy.captcha === 'svg') {
    await consumeCaptcha(deps.redis, deps.secret, site.id, answer.id, answer.answer, now);
    return undefined;
  }
  const mode = site.policy.captcha;
  const claims = readPowToken(deps.secret, answer.id);
  // A token signed for another site is as good as a forged one here.
  if (!claims || claims.siteId !== site.id) return void (await record(deps.redis, site.id, mode, 'failed'));
  if (now > claims.expiresAt) return void (await record(deps.redis, site.id, mode, 'expired'));
  // A wrong answer weighs on the adaptive difficulty of the network that fetched the challenge, written with the
  // failure count (no extra round trip); a right one needs no key names at all.
  const pressure = () => ({ keys: pressureKeys(site.id, claims.client, site.policy.powAdaptive, now), weight: site.policy.powAdaptive.failureWeight });
  if (mode === 'pow+svg') {
    // The image is burnt by reading it (one guess, as in svg mode), which also makes the token single-use: no spent id.
    const stored = await deps.redis.getdel(keys.captcha(site.id, claims.id));
    const image = judge(stored, answerHmac(deps.secret, site.id, claims.id, answer.answer), now);
    const work = answer.pow !== undefined && checkPowSolution(claims.id, claims.difficulty, answer.pow);
    const outcome: CaptchaOutcome = image === 'solved' && !work ? 'failed' : image;
    await record(deps.redis, site.id, mode, outcome, claims.client, outcome === 'failed' ? pressure() : undefined);
    return undefined;
  }
  // The solution is one hash and needs no state, so a wrong one is known before any Redis work; it still burns the
  // challenge (as a wrong image answer does) and is counted, in one round trip.
  if (!checkPowSolution(claims.id, claims.difficulty, answer.answer)) {
    return failPow(deps.redis, site.id, claims, pressure(), now);
  }
  return powSpend(deps.redis, site.id, claims, pressure, now);
}
