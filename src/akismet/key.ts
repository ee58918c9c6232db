/**
 * Akismet keys. Vigil answers Akismet's protocol with the site's Akismet-format key (akismet-key.ts), or with its
 * secret key in either spelling below; clients send it in a form field (`api_key`, `key`) or as the first label of
 * the Host name (`<key>.rest.example`).
 *
 * A host name is case-insensitive: DNS ignores case, and HTTP clients lowercase it before the request leaves (the
 * npm `akismet-api` client does, through Node's url.parse). A secret key `sk_<site>_<base64url>` is case-sensitive,
 * so it cannot survive that trip; it also holds underscores, which are not allowed in host names. The same key
 * therefore has a second, DNS-safe spelling: `sk-<site>-<base32 of the same 24 secret bytes>`, lowercase, 59
 * characters (a DNS label holds 63). It is not a new credential: it decodes to the secret key, which is then checked
 * like any other, so rotating the secret key rotates it too.
 */

const SECRET_KEY = /^sk_([0-9a-f]{16})_([A-Za-z0-9_-]{32})$/;
const DNS_SAFE_KEY = /^sk-([0-9a-f]{16})-([a-z2-7]{39})$/;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

function fromBase32(text: string): Buffer {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text) {
    value = (value << 5) | BASE32.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
    value &= (1 << bits) - 1;
  }
  return Buffer.from(out);
}

/**
 * The DNS-safe spelling of a secret key, for Akismet clients that put the key in the Host name. Returns undefined
 * for anything that is not a secret key.
 */
export function akismetKeyFor(secretKey: string): string | undefined {
  const m = SECRET_KEY.exec(secretKey);
  if (!m) return undefined;
  return `sk-${m[1]}-${base32(Buffer.from(m[2], 'base64url'))}`;
}

/**
 * Turns either spelling into the secret key to check, or returns the input unchanged when it is neither (so the
 * caller's check fails on it). Only the canonical DNS-safe spelling is decoded, so each key has exactly two spellings.
 */
export function secretKeyFrom(presented: string): string {
  const m = DNS_SAFE_KEY.exec(presented.toLowerCase());
  if (!m) return presented;
  const secret = fromBase32(m[2]);
  const key = `sk_${m[1]}_${secret.toString('base64url')}`;
  return akismetKeyFor(key) === presented.toLowerCase() ? key : presented;
}

/** True when a host label looks like a key of any spelling (or a site/moderator key, to be refused as such). */
function looksLikeKey(label: string): boolean {
  return /^[0-9a-f]{12}$/i.test(label) || /^(pk|sk|mt)[_-][0-9a-f]{16}[_-][A-Za-z0-9_-]{32,39}$/.test(label);
}

/**
 * The key of an Akismet request: a form field, else the first label of the host name when it has the shape of a key
 * (so `vigil.example.com` is not mistaken for one). Which field wins depends on the call: WordPress's plugin adds its
 * saved key as `api_key` to every request, so verify-key, get-subscription, get-stats and deactivate, which carry the
 * key being asked about in `key`, read `key` first; comment-check and the rest read `api_key` first.
 */
export function presentedAkismetKey(
  fields: Record<string, string>, hostname: string | undefined, first: 'api_key' | 'key' = 'api_key',
): string | undefined {
  const second = first === 'api_key' ? 'key' : 'api_key';
  const field = (name: string) => (Object.hasOwn(fields, name) ? fields[name]?.trim() : undefined);
  const fromForm = field(first) || field(second);
  if (fromForm) return fromForm;
  const label = hostname?.split('.')[0];
  return label && hostname!.includes('.') && looksLikeKey(label) ? label : undefined;
}
