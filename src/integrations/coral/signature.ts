import crypto from 'node:crypto';

/** During a secret rotation Coral signs with every active secret; a handful is plenty. */
const MAX_SIGNATURES = 10;
const ONE = /^sha256=([0-9a-f]{64})$/;

/**
 * Checks Coral's `X-Coral-Signature: sha256=<hex>[,sha256=<hex>...]` (HMAC-SHA256 of the raw body with the signing
 * secret, as Coral's generateSignatures writes it) against the exact bytes received, in constant time per signature.
 * Every listed signature is compared, so the time taken does not say which one matched.
 */
export function coralSignatureValid(header: string | undefined, body: Buffer, secret: Buffer): boolean {
  if (!header || header.length > MAX_SIGNATURES * 72) return false;
  const expected = crypto.createHmac('sha256', secret).update(body).digest();
  let ok = false;
  for (const part of header.split(',').slice(0, MAX_SIGNATURES)) {
    const m = ONE.exec(part.trim().toLowerCase());
    if (!m) continue;
    if (crypto.timingSafeEqual(Buffer.from(m[1], 'hex'), expected)) ok = true;
  }
  return ok;
}

/** How Coral signs (services/fetch generateFetchOptions), for tests and for anyone replaying a request by hand. */
export function coralSignature(body: string | Buffer, secrets: string[]): string {
  return secrets.map((s) => `sha256=${crypto.createHmac('sha256', s).update(body).digest('hex')}`).join(',');
}
