import crypto from 'node:crypto';

/**
 * Keys and tokens look like `<kind>_<ownerId>_<secret>`. The owner id lets us fetch the one record to compare
 * against; only a SHA-256 of the whole key is stored (the secret part has 192 random bits, so a slow hash adds
 * nothing), and the comparison is constant-time.
 */
export type CredentialKind = 'pk' | 'sk' | 'mt';

const SHAPE = /^(pk|sk|mt)_([0-9a-f]{16})_([A-Za-z0-9_-]{32})$/;

export function newId(): string {
  return crypto.randomBytes(8).toString('hex');
}

export function newCredential(kind: CredentialKind, ownerId: string): string {
  return `${kind}_${ownerId}_${crypto.randomBytes(24).toString('base64url')}`;
}

export function hashCredential(credential: string): string {
  return crypto.createHash('sha256').update(credential).digest('hex');
}

export function parseCredential(credential: string): { kind: CredentialKind; ownerId: string } | undefined {
  const m = SHAPE.exec(credential);
  return m ? { kind: m[1] as CredentialKind, ownerId: m[2] } : undefined;
}

/** Constant-time comparison of a presented credential against a stored hash. */
export function credentialMatches(credential: string, storedHash: string | undefined | null): boolean {
  if (!storedHash || storedHash.length !== 64) return false;
  return crypto.timingSafeEqual(Buffer.from(hashCredential(credential), 'hex'), Buffer.from(storedHash, 'hex'));
}

/**
 * Site keys (`pk_`) already seen to match their stored hash. A site key is public (every page that embeds the widget
 * shows it), so remembering it costs no secrecy, and it spares a SHA-256 on every browser request (challenges above
 * all). Only matches are kept, so made-up keys cannot fill it, and the stored hash is compared each time, so a rotated
 * key stops matching at once. Secret keys and tokens are always hashed.
 */
const knownSiteKeys = new Map<string, string>();
const MAX_KNOWN_SITE_KEYS = 10_000;

/** credentialMatches for a site key, remembering the match. */
export function siteKeyMatches(key: string, storedHash: string | undefined | null): boolean {
  if (storedHash && knownSiteKeys.get(key) === storedHash) return true;
  if (!key.startsWith('pk_') || !credentialMatches(key, storedHash)) return false;
  if (knownSiteKeys.size >= MAX_KNOWN_SITE_KEYS) knownSiteKeys.delete(knownSiteKeys.keys().next().value!);
  knownSiteKeys.set(key, storedHash!);
  return true;
}
