import crypto from 'node:crypto';
import type Redis from 'ioredis';
import { keys } from '../../infra/keys';

/**
 * Coral's signing secret for a site. Vigil must compute HMACs with it, so a hash would not do: it is stored encrypted
 * (AES-256-GCM) under a key derived from the server secret, so a Redis dump alone does not reveal it.
 */
interface Stored {
  v: 1;
  iv: string;
  tag: string;
  secret: string;
  updatedAt: string;
}

/** Coral's secrets are `<prefix>_<64 to 74 hex characters>`; anything printable up to 200 characters is accepted. */
export const SIGNING_SECRET = /^[\x21-\x7e]{16,200}$/;

function keyFrom(serverSecret: Buffer): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', serverSecret, Buffer.alloc(0), 'vigil coral signing secret', 32));
}

export async function setCoralSigningSecret(redis: Redis, serverSecret: Buffer, siteId: string, secret: string, now = new Date()): Promise<void> {
  if (!SIGNING_SECRET.test(secret)) throw new Error('the signing secret must be 16 to 200 visible ASCII characters');
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', keyFrom(serverSecret), iv);
  // The site id is authenticated data: a record copied to another site's key does not decrypt there.
  cipher.setAAD(Buffer.from(siteId));
  const ct = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  const stored: Stored = { v: 1, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), secret: ct.toString('base64'), updatedAt: now.toISOString() };
  await redis.set(keys.integration(siteId, 'coral'), JSON.stringify(stored));
}

/** The site's signing secret, or undefined when none is set (or it was stored under another server secret). */
export async function getCoralSigningSecret(redis: Redis, serverSecret: Buffer, siteId: string): Promise<Buffer | undefined> {
  const raw = await redis.get(keys.integration(siteId, 'coral'));
  if (!raw) return undefined;
  try {
    const s = JSON.parse(raw) as Stored;
    const decipher = crypto.createDecipheriv('aes-256-gcm', keyFrom(serverSecret), Buffer.from(s.iv, 'base64'));
    decipher.setAAD(Buffer.from(siteId));
    decipher.setAuthTag(Buffer.from(s.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(s.secret, 'base64')), decipher.final()]);
  } catch {
    return undefined;
  }
}
