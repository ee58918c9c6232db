import crypto from 'node:crypto';
import type Redis from 'ioredis';
import { keys } from './keys';

/**
 * The secret behind captcha HMACs and proof-of-work signatures. An operator may set VIGIL_SECRET; otherwise one is
 * generated once and kept in Redis, so every instance sharing that Redis agrees on it.
 */
export async function loadServerSecret(redis: Redis, configured?: string): Promise<Buffer> {
  if (configured) return Buffer.from(configured, 'utf8');
  const fresh = crypto.randomBytes(32).toString('base64');
  await redis.set(keys.serverSecret(), fresh, 'NX');
  const stored = await redis.get(keys.serverSecret());
  if (!stored) throw new Error('could not read the server secret from Redis');
  return Buffer.from(stored, 'base64');
}
