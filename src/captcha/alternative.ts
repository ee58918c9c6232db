import type { Site } from '../sites/site-store';
import type { IssueLimit } from './captcha-store';
import { CaptchaDeps, issueCaptcha } from './issue';
import { readPowToken, signPowToken } from './pow';

/**
 * The accessible alternative to the image: a reader who cannot read it ("Can't read the image? Verify without it")
 * asks for a proof-of-work challenge instead, on any site that shows an image (svg and pow+svg modes). It is the
 * site's own proof-of-work challenge (same difficulty, limits and counters), with its id marked by a prefix no random
 * id contains (ids are base64url). The mark is inside the signed token, so it cannot be added to a pow+svg token to
 * skip that token's image: only challenges issued here verify without an image.
 */
export const ALTERNATIVE_PREFIX = '~';

/**
 * Extra leading zero bits the alternative asks on a pow+svg site: there the image is the second factor a high-risk site
 * chose, so skipping it must cost more than a plain proof of work (2 bits = four times the work), while a reader who
 * cannot see the image still gets through in seconds (docs/captcha.md, decision 0031).
 */
export const POW_SVG_ALTERNATIVE_EXTRA_BITS = 2;
/** The policy's own upper bound on proof-of-work difficulty (sites/policy.ts powDifficulty). */
const MAX_DIFFICULTY = 26;

const showsImage = (site: Site) => site.policy.captcha === 'svg' || site.policy.captcha === 'pow+svg';
const asPow = (site: Site): Site => ({ ...site, policy: { ...site.policy, captcha: 'pow' } });

/** POST /v1/captchas?alternative=pow: a proof-of-work challenge on a site that shows an image; else the usual one. */
export async function issueAlternative(deps: CaptchaDeps, site: Site, client = '', now = Date.now(), limit?: IssueLimit): Promise<Buffer> {
  if (!showsImage(site)) return issueCaptcha(deps, site, client, now, limit);
  const body = JSON.parse((await issueCaptcha(deps, asPow(site), client, now, limit)).toString('utf8')) as {
    id: string; type: 'pow'; pow: { salt: string }; expiresAt: string;
  };
  const claims = readPowToken(deps.secret, body.id);
  if (!claims) throw new Error('a token just signed did not read back');
  const id = ALTERNATIVE_PREFIX + claims.id;
  // The difficulty is signed into the token, so raising it here is what verification will ask.
  const difficulty = site.policy.captcha === 'pow+svg' ? Math.min(MAX_DIFFICULTY, claims.difficulty + POW_SVG_ALTERNATIVE_EXTRA_BITS) : claims.difficulty;
  return Buffer.from(JSON.stringify({
    ...body, id: signPowToken(deps.secret, { ...claims, id, difficulty }), pow: { ...body.pow, salt: id, difficulty }, alternative: true,
  }));
}

/**
 * The site as an answer is judged: an answer to an alternative challenge is judged as the proof of work it is (the site
 * with mode pow); any other answer by the site's own mode. Reads the token's signature only; checks nothing else.
 */
export function judgedAs(secret: Buffer, site: Site, answer: { id: string } | undefined): Site {
  if (!answer || !showsImage(site)) return site;
  const claims = readPowToken(secret, answer.id);
  return claims && claims.id.startsWith(ALTERNATIVE_PREFIX) ? asPow(site) : site;
}
