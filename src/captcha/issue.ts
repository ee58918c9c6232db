import type Redis from 'ioredis';
import type { Site } from '../sites/site-store';
import { consume } from '../infra/rate-limit';
import { randomId } from './random';
import { admitCaptcha, IssueLimit, storeCaptcha } from './captcha-store';
import { powDifficultyFor, pressureKeys } from './difficulty';
import { PowChallenge, signPowToken } from './pow';
import { completeBody, prepareCaptcha, PreparedCaptcha } from './prepared';

export interface CaptchaDeps {
  redis: Redis;
  secret: Buffer;
  ttlSeconds: number;
  /**
   * Gives the next image captcha: the service passes its render pool (the same renderer, on a worker thread); tests
   * wrap the real one to learn the answer in-process. Nothing reachable over HTTP can set it. @defaultValue prepareCaptcha
   */
  prepare?: () => PreparedCaptcha;
}

/**
 * What POST /v1/captchas answers: an image (svg mode), a proof-of-work challenge (pow mode) or both (pow+svg mode,
 * where the id is the signed proof-of-work token and its salt is the image's own id, so one id names both).
 */
export type CaptchaChallenge =
  | { id: string; type: 'svg'; svg: string; expiresAt: string }
  | { id: string; type: 'pow'; pow: PowChallenge; expiresAt: string }
  | { id: string; type: 'pow+svg'; pow: PowChallenge; svg: string; expiresAt: string }
  | { type: 'off' };

/**
 * Makes a challenge in the site's mode and returns it as the JSON bytes of a CaptchaChallenge, ready to send: an image
 * captcha's JSON was made with the image (see prepared.ts). `client` is a keyed hash of the requester's network (IPv4
 * address or IPv6 prefix, see ipSubject): failures are charged to it, the proof of work gets harder with its recent
 * activity and the site's (difficulty.ts), and a client with too many recent failures, or over `limit` (spent in the
 * same round trip), gets rate_limited instead of a new captcha.
 */
export async function issueCaptcha(deps: CaptchaDeps, site: Site, client = '', now = Date.now(), limit?: IssueLimit): Promise<Buffer> {
  const mode = site.policy.captcha;
  if (mode === 'off') {
    if (limit) await consume(deps.redis, limit);
    return json({ type: 'off' });
  }
  const pressure = mode === 'svg' ? undefined : pressureKeys(site.id, client, site.policy.powAdaptive, now);
  if (mode === 'pow') {
    const expiresAt = now + deps.ttlSeconds * 1000;
    const id = randomId();
    const counts = await admitCaptcha(deps.redis, site.id, 'pow', client, undefined, limit, pressure);
    // The difficulty is signed into the token, so verifying needs no state to know what was asked.
    const difficulty = powDifficultyFor(site.policy, counts);
    const token = signPowToken(deps.secret, { siteId: site.id, id, difficulty, expiresAt, client });
    return json({ id: token, type: 'pow', pow: { algorithm: 'SHA-256', salt: id, difficulty }, expiresAt: new Date(expiresAt).toISOString() });
  }
  const prepared = (deps.prepare ?? prepareCaptcha)();
  if (mode === 'svg') {
    const { expiresAt } = await storeCaptcha(deps.redis, deps.secret, site.id, prepared, deps.ttlSeconds, now, client, limit);
    return completeBody(prepared, expiresAt);
  }
  const { expiresAt, counts } = await storeCaptcha(deps.redis, deps.secret, site.id, prepared, deps.ttlSeconds, now, client, limit, 'pow+svg', pressure);
  const difficulty = powDifficultyFor(site.policy, counts);
  const token = signPowToken(deps.secret, { siteId: site.id, id: prepared.id, difficulty, expiresAt: Date.parse(expiresAt), client });
  // The prepared bytes are an svg-mode answer; pow+svg is for high-risk sites, rare enough to build its JSON anew.
  const { svg } = JSON.parse(completeBody(prepared, expiresAt).toString()) as { svg: string };
  return json({ id: token, type: 'pow+svg', pow: { algorithm: 'SHA-256', salt: prepared.id, difficulty }, svg, expiresAt });
}

const json = (challenge: CaptchaChallenge) => Buffer.from(JSON.stringify(challenge));
