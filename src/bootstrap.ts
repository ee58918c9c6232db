import type Redis from 'ioredis';
import { keys } from './infra/keys';
import { createSite } from './sites/site-store';
import { createModerator } from './sites/moderator-store';

export interface DevKeys {
  siteId: string;
  siteKey: string;
  secretKey: string;
  moderatorId: string;
  moderatorToken: string;
}

/**
 * On the first start against an empty Redis, creates a dev site (allowed origin: this server) and an admin
 * moderator for it, so a new user can try /demo and /moderate at once. Returns the keys only the first time; after
 * that they exist only in that first start's output, as hashes are all Redis keeps.
 */
export async function bootstrapDev(redis: Redis, origins: string[]): Promise<DevKeys | undefined> {
  const claimed = await redis.set(keys.devBootstrap(), JSON.stringify({ creating: true }), 'NX');
  if (!claimed) return undefined;
  try {
    const site = await createSite(redis, { name: 'Dev site', origins });
    const mod = await createModerator(redis, { name: 'Dev moderator', role: 'admin', siteIds: [site.siteId] });
    // The site key is public, so keeping it in clear lets /demo find it; the secret key and token are not kept.
    await redis.set(keys.devBootstrap(), JSON.stringify({ siteId: site.siteId, siteKey: site.siteKey, moderatorId: mod.moderatorId }));
    return { ...site, moderatorId: mod.moderatorId, moderatorToken: mod.token };
  } catch (err) {
    await redis.del(keys.devBootstrap());
    throw err;
  }
}
