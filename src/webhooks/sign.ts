import crypto from 'node:crypto';

/**
 * Signing exactly per the Standard Webhooks specification: the signed content is `<id>.<timestamp>.<body>`, the
 * MAC is HMAC-SHA256 keyed with the base64-decoded part of a `whsec_` secret, and `webhook-signature` is a
 * space-separated list of `v1,<base64>` entries, one per valid secret, so a receiver keeps verifying during a
 * rotation whichever of the two secrets it holds.
 */
const PREFIX = 'whsec_';

/** A new endpoint secret: `whsec_` and 32 random bytes in base64 (the spec asks for 24 to 64 bytes). */
export function generateSecret(): string {
  return PREFIX + crypto.randomBytes(32).toString('base64');
}

export function isSecret(s: string): boolean {
  return s.startsWith(PREFIX) && Buffer.from(s.slice(PREFIX.length), 'base64').length >= 24;
}

/** One `v1,<base64>` signature of a message. `timestamp` is in whole seconds since the epoch. */
export function sign(secret: string, msgId: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
  const mac = crypto.createHmac('sha256', key).update(`${msgId}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The three Standard Webhooks headers for one attempt, signed with every secret given (new first). */
export function webhookHeaders(secrets: string[], msgId: string, timestamp: number, body: string): Record<string, string> {
  return {
    'webhook-id': msgId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((s) => sign(s, msgId, timestamp, body)).join(' '),
  };
}
