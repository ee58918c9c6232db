import crypto from 'node:crypto';

/**
 * Keyed hashes of e-mail addresses and IPs. Keyed with the server secret so that a leaked Redis dump cannot be
 * reversed by hashing a list of known addresses.
 */
export function identityHash(secret: Buffer, kind: 'email' | 'ip' | 'body' | 'domain', value: string): string {
  return crypto.createHmac('sha256', secret).update(`${kind}\0${value}`).digest('hex').slice(0, 32);
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** `jane.doe@example.com` -> `j***@example.com`, enough for a moderator to recognise a pattern, no more. */
export function maskEmail(email: string): string {
  const [local, domain] = normalizeEmail(email).split('@');
  return `${local.slice(0, 1)}***@${domain ?? ''}`;
}
