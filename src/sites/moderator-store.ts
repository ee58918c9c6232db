import type Redis from 'ioredis';
import { keys } from '../infra/keys';
import { NotFoundError } from '../errors';
import { credentialMatches, hashCredential, newCredential, newId, parseCredential } from './credentials';

export type ModeratorRole = 'moderator' | 'admin';

export interface Moderator {
  id: string;
  name: string;
  role: ModeratorRole;
  siteIds: string[];
  createdAt: string;
}

/** Creates a moderator for the given sites. The token is returned once; Redis keeps only its hash. */
export async function createModerator(
  redis: Redis,
  input: { name: string; role: ModeratorRole; siteIds: string[] },
  now = new Date(),
): Promise<{ moderatorId: string; token: string }> {
  const moderatorId = newId();
  const token = newCredential('mt', moderatorId);
  await redis.hset(keys.moderator(moderatorId), {
    id: moderatorId,
    name: input.name,
    role: input.role,
    siteIds: JSON.stringify(input.siteIds),
    createdAt: now.toISOString(),
    tokenHash: hashCredential(token),
  });
  await redis.zadd(keys.moderatorIndex(), now.getTime(), moderatorId);
  for (const siteId of input.siteIds) await redis.sadd(keys.siteModerators(siteId), moderatorId);
  return { moderatorId, token };
}

function toModerator(h: Record<string, string>): Moderator {
  return { id: h.id, name: h.name, role: h.role as ModeratorRole, siteIds: JSON.parse(h.siteIds), createdAt: h.createdAt };
}

export async function getModerator(redis: Redis, id: string): Promise<Moderator | undefined> {
  const h = await redis.hgetall(keys.moderator(id));
  return h.id ? toModerator(h) : undefined;
}

export async function listModerators(redis: Redis, siteId?: string): Promise<Moderator[]> {
  const ids = siteId ? await redis.smembers(keys.siteModerators(siteId)) : await redis.zrange(keys.moderatorIndex(), 0, -1);
  const all = await Promise.all(ids.map((id) => getModerator(redis, id)));
  return all.filter((m): m is Moderator => !!m);
}

/** Returns the moderator a bearer token belongs to, or undefined. */
export async function moderatorForToken(redis: Redis, token: string): Promise<Moderator | undefined> {
  const parsed = parseCredential(token);
  if (!parsed || parsed.kind !== 'mt') return undefined;
  const h = await redis.hgetall(keys.moderator(parsed.ownerId));
  if (!h.id || !credentialMatches(token, h.tokenHash)) return undefined;
  return toModerator(h);
}

/** Gives a moderator access to one more site. */
export async function grantSite(redis: Redis, moderatorId: string, siteId: string): Promise<Moderator> {
  const m = await getModerator(redis, moderatorId);
  if (!m) throw new NotFoundError(`Moderator ${moderatorId}`);
  const siteIds = [...new Set([...m.siteIds, siteId])];
  await redis.hset(keys.moderator(moderatorId), 'siteIds', JSON.stringify(siteIds));
  await redis.sadd(keys.siteModerators(siteId), moderatorId);
  return { ...m, siteIds };
}

/**
 * Gives a moderator a new token; the old one stops working at once (every request looks the hash up). Returns the
 * new token, shown once like at creation.
 */
export async function rotateModeratorToken(redis: Redis, moderatorId: string): Promise<{ moderatorId: string; token: string }> {
  if (!(await getModerator(redis, moderatorId))) throw new NotFoundError(`Moderator ${moderatorId}`);
  const token = newCredential('mt', moderatorId);
  await redis.hset(keys.moderator(moderatorId), 'tokenHash', hashCredential(token));
  return { moderatorId, token };
}

/**
 * Removes a moderator: the token stops working at once and the sites forget them. Their audit entries stay (they
 * name the id), and an item they had claimed returns to its queue when the lease runs out.
 */
export async function revokeModerator(redis: Redis, moderatorId: string): Promise<Moderator> {
  const m = await getModerator(redis, moderatorId);
  if (!m) throw new NotFoundError(`Moderator ${moderatorId}`);
  await redis.del(keys.moderator(moderatorId));
  await redis.zrem(keys.moderatorIndex(), moderatorId);
  for (const siteId of m.siteIds) await redis.srem(keys.siteModerators(siteId), moderatorId);
  return m;
}
