import crypto from 'node:crypto';

/**
 * Keyed hashes of e-mail addresses and IPs. Keyed with the server secret so that a leaked Redis dump cannot be
 * reversed by hashing a list of known addresses.
 */
export function identityHash(secret: Buffer, kind: 'email' | 'verified-email' | 'ip' | 'body' | 'domain' | 'reader', value: string): string {
  return crypto.createHmac('sha256', secret).update(`${kind}\0${value}`).digest('hex').slice(0, 32);
}

/**
 * The identity an e-mail is counted under: '' when there is none (an empty e-mail identifies nobody, so it gets no
 * history, no limit and no block); a `v`-prefixed hash when the site vouched for it (a signed-in user); the plain
 * hash otherwise. The prefix is not a hex digit, so the two kinds never collide, and author-history tells them apart
 * by it (verified histories last and may earn trust; unverified ones weigh less and fade).
 */
export function emailIdentity(secret: Buffer, email: string, verified: boolean): string {
  const e = normalizeEmail(email);
  if (!e) return '';
  return verified ? `v${identityHash(secret, 'verified-email', e)}` : identityHash(secret, 'email', e);
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** `jane.doe@example.com` -> `j***@example.com`, enough for a moderator to recognise a pattern, no more. */
export function maskEmail(email: string): string {
  const [local, domain] = normalizeEmail(email).split('@');
  return `${local.slice(0, 1)}***@${domain ?? ''}`;
}
