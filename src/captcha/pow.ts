import crypto from 'node:crypto';

/**
 * Proof of work, the no-image alternative: the browser finds a number n such that SHA-256(salt + n) starts with
 * `difficulty` zero bits, which costs it about 2^difficulty hashes and costs the server one. The challenge is a token
 * signed with the server secret, so the server keeps no state until it is answered; only spent ids are stored, to
 * make each challenge single-use.
 */
export interface PowChallenge {
  algorithm: 'SHA-256';
  /** Hash the UTF-8 string salt + decimal n. */
  salt: string;
  /** Leading zero bits the hash needs. */
  difficulty: number;
}

/** What the token carries, signed: site, challenge id (also the salt), difficulty, expiry and the requester. */
export interface PowClaims {
  siteId: string;
  id: string;
  difficulty: number;
  expiresAt: number;
  /** Keyed hash of the requesting IP, so that failures count against whoever asked for the challenge. */
  client: string;
}

const PREFIX = 'pow1';

function mac(secret: Buffer, body: string): Buffer {
  return crypto.createHmac('sha256', secret).update(`pow\0${body}`).digest();
}

export function signPowToken(secret: Buffer, claims: PowClaims): string {
  const body = Buffer.from(JSON.stringify([claims.siteId, claims.id, claims.difficulty, claims.expiresAt, claims.client])).toString('base64url');
  return `${PREFIX}.${body}.${mac(secret, body).toString('base64url')}`;
}

/** The token's claims when its signature is good, else null. Says nothing yet about expiry, site or spending. */
export function readPowToken(secret: Buffer, token: string): PowClaims | null {
  const [prefix, body, sig, extra] = token.split('.');
  if (prefix !== PREFIX || !body || !sig || extra !== undefined) return null;
  const presented = Buffer.from(sig, 'base64url');
  const expected = mac(secret, body);
  if (presented.length !== expected.length || !crypto.timingSafeEqual(presented, expected)) return null;
  try {
    const [siteId, id, difficulty, expiresAt, client] = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    return { siteId, id, difficulty, expiresAt, client };
  } catch {
    return null;
  }
}

/** Leading zero bits of a digest. */
export function leadingZeroBits(digest: Uint8Array): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

/** Whether `answer` (a decimal number) solves the challenge with this salt and difficulty. */
export function checkPowSolution(salt: string, difficulty: number, answer: string): boolean {
  if (!/^\d{1,16}$/.test(answer)) return false;
  return leadingZeroBits(crypto.createHash('sha256').update(salt + answer).digest()) >= difficulty;
}

/** Solves a challenge the way the browser does; for tests, the CLI and benchmarks. */
export function solvePow(salt: string, difficulty: number, maxTries = 2 ** 30): string {
  for (let n = 0; n < maxTries; n++) if (checkPowSolution(salt, difficulty, String(n))) return String(n);
  throw new Error('no solution found');
}
