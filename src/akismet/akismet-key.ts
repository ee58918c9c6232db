import crypto from 'node:crypto';
import type Redis from 'ioredis';
import { keys } from '../infra/keys';
import { getSite, requireSite, type Site } from '../sites/site-store';
import { announceSiteChange } from '../sites/site-cache';

/**
 * The Akismet-format key of a site: 12 lowercase hexadecimal characters, the only shape WordPress's Akismet plugin
 * lets a site owner type into its settings page. It is a credential of its own, valid only on the Akismet routes
 * (nothing else parses it), so leaking it from a WordPress database never opens the rest of Vigil's API.
 *
 * 48 random bits are too few to store as a plain SHA-256: a Redis dump would give every key back after a few hours
 * of GPU time. The stored hash is therefore an HMAC with the server secret, and guessing online is bounded by the
 * per-network failure limit (key-guard.ts).
 */
export const AKISMET_KEY = /^[0-9a-f]{12}$/i;

/** The keyed hash under which a key is stored; the key is lowercased first (host names reach Vigil in any case). */
export function akismetKeyHash(secret: Buffer, key: string): string {
  return crypto.createHmac('sha256', secret).update(`akismet-key:${key.toLowerCase()}`).digest('hex');
}

export interface IssuedAkismetKey {
  siteId: string;
  akismetKey: string;
  /** True when an earlier key of the site stopped working. */
  replaced: boolean;
}

/** Thrown when a site already has a key and the caller did not ask to rotate it (the key is shown only once). */
export class AkismetKeyExistsError extends Error {}

/**
 * Issues a site's Akismet key, or with `rotate` replaces it (the old one stops working at once). The key is returned
 * once; Redis keeps only its keyed hash, in the site record and in a global index from hash to site.
 */
export async function issueAkismetKey(
  redis: Redis, secret: Buffer, siteId: string, opts: { rotate?: boolean } = {},
): Promise<IssuedAkismetKey> {
  await requireSite(redis, siteId);
  const previous = await redis.hget(keys.site(siteId), 'akismetKeyHash');
  if (previous && !opts.rotate) throw new AkismetKeyExistsError('this site already has an Akismet key; it was shown once when issued. Use --rotate for a new one (the old one stops working).');
  for (let attempt = 0; attempt < 5; attempt++) {
    const key = crypto.randomBytes(6).toString('hex');
    const hash = akismetKeyHash(secret, key);
    // NX: two sites can never share a key, however unlikely a collision of 48 random bits is.
    if ((await redis.set(keys.akismetKey(hash), siteId, 'NX')) !== 'OK') continue;
    await redis.hset(keys.site(siteId), 'akismetKeyHash', hash);
    if (previous) await redis.del(keys.akismetKey(previous));
    await announceSiteChange(redis, siteId);
    return { siteId, akismetKey: key, replaced: !!previous };
  }
  throw new Error('could not find an unused Akismet key');
}

/**
 * The site an Akismet-format key belongs to, or undefined. The index gives the site; the site record must name the
 * same hash, so a key whose index entry outlived a rotation (a crash between the two writes) still fails.
 */
export async function siteForAkismetKey(redis: Redis, secret: Buffer, key: string): Promise<Site | undefined> {
  if (!AKISMET_KEY.test(key)) return undefined;
  const hash = akismetKeyHash(secret, key);
  const siteId = await redis.get(keys.akismetKey(hash));
  if (!siteId) return undefined;
  const stored = await redis.hget(keys.site(siteId), 'akismetKeyHash');
  if (!stored || stored.length !== hash.length) return undefined;
  if (!crypto.timingSafeEqual(Buffer.from(stored), Buffer.from(hash))) return undefined;
  return getSite(redis, siteId);
}
