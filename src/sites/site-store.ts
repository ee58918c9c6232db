import type Redis from 'ioredis';
import { keys } from '../infra/keys';
import { NotFoundError } from '../errors';
import { credentialMatches, hashCredential, newCredential, newId, parseCredential, siteKeyMatches } from './credentials';
import { announceSiteChange, siteCacheFor } from './site-cache';
import { applyPolicyPatch, defaultPolicy, NEW_SITE_CAPTCHA, Policy, PolicyPatch, policySchema } from './policy';

export interface Site {
  id: string;
  name: string;
  createdAt: string;
  policy: Policy;
}

export interface CreatedSite {
  siteId: string;
  siteKey: string;
  secretKey: string;
}

export interface CreateSiteInput {
  name: string;
  origins: string[];
  policy?: PolicyPatch;
}

/**
 * Creates a site with fresh keys. The keys are returned once; Redis keeps only their hashes. Its captcha mode is
 * NEW_SITE_CAPTCHA unless the input names one.
 */
export async function createSite(redis: Redis, input: CreateSiteInput, now = new Date()): Promise<CreatedSite> {
  const siteId = newId();
  const siteKey = newCredential('pk', siteId);
  const secretKey = newCredential('sk', siteId);
  const policy = applyPolicyPatch(defaultPolicy(), { ...input.policy, captcha: input.policy?.captcha ?? NEW_SITE_CAPTCHA, allowedOrigins: input.origins });
  await redis
    .multi()
    .hset(keys.site(siteId), {
      id: siteId,
      name: input.name,
      createdAt: now.toISOString(),
      siteKeyHash: hashCredential(siteKey),
      secretKeyHash: hashCredential(secretKey),
      policy: JSON.stringify(policy),
    })
    .exec();
  // The index lives in another slot; it is only a listing aid, so a separate write is acceptable.
  await redis.zadd(keys.siteIndex(), now.getTime(), siteId);
  return { siteId, siteKey, secretKey };
}

/**
 * Every request reads its site's policy; validating the same JSON with zod each time was a measurable share of a
 * request, so parsed policies are kept by their exact stored text (a changed policy is a new key, so nothing stale is
 * ever served). They are frozen because every request shares them.
 */
const parsedPolicies = new Map<string, Policy>();
const MAX_CACHED_POLICIES = 1000;

function parsePolicy(raw: string): Policy {
  let policy = parsedPolicies.get(raw);
  if (!policy) {
    policy = deepFreeze(policySchema.parse(JSON.parse(raw)));
    if (parsedPolicies.size >= MAX_CACHED_POLICIES) parsedPolicies.delete(parsedPolicies.keys().next().value!);
    parsedPolicies.set(raw, policy);
  }
  return policy;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

function toSite(h: Record<string, string>): Site {
  return { id: h.id, name: h.name, createdAt: h.createdAt, policy: parsePolicy(h.policy) };
}

export async function getSite(redis: Redis, siteId: string): Promise<Site | undefined> {
  const h = await redis.hgetall(keys.site(siteId));
  return h.id ? toSite(h) : undefined;
}

export async function requireSite(redis: Redis, siteId: string): Promise<Site> {
  const site = await getSite(redis, siteId);
  if (!site) throw new NotFoundError(`Site ${siteId}`);
  return site;
}

export async function listSites(redis: Redis): Promise<Site[]> {
  const ids = await redis.zrange(keys.siteIndex(), 0, -1);
  const sites = await Promise.all(ids.map((id) => getSite(redis, id)));
  return sites.filter((s): s is Site => !!s);
}

/** Returns the site a key belongs to and which kind of key it is, or undefined for any key that does not match. */
export async function siteForKey(redis: Redis, key: string): Promise<{ site: Site; kind: 'pk' | 'sk' } | undefined> {
  const parsed = parseCredential(key);
  if (!parsed || parsed.kind === 'mt') return undefined;
  const cache = siteCacheFor(redis);
  let h = cache?.get<Record<string, string>>(parsed.ownerId, 'site');
  if (!h) {
    const token = cache?.startRead() ?? 0;
    h = await redis.hgetall(keys.site(parsed.ownerId));
    // A miss is not kept: made-up keys must not fill the cache.
    if (h.id) cache?.set(parsed.ownerId, 'site', h, token);
  }
  if (!h.id) return undefined;
  const stored = parsed.kind === 'pk' ? h.siteKeyHash : h.secretKeyHash;
  if (!(parsed.kind === 'pk' ? siteKeyMatches(key, stored) : credentialMatches(key, stored))) return undefined;
  return { site: toSite(h), kind: parsed.kind };
}

const COMPARE_AND_SET = `if redis.call('HGET', KEYS[1], 'policy') == ARGV[1] then
  redis.call('HSET', KEYS[1], 'policy', ARGV[2]) return 1 end return 0`;

/**
 * Applies a policy patch with a compare-and-set script rather than WATCH, because WATCH would be shared by every
 * request on the same connection; two concurrent edits never lose one another.
 */
export async function updatePolicy(redis: Redis, siteId: string, patch: PolicyPatch): Promise<Policy> {
  const key = keys.site(siteId);
  for (let attempt = 0; attempt < 10; attempt++) {
    const raw = await redis.hget(key, 'policy');
    if (!raw) throw new NotFoundError(`Site ${siteId}`);
    const next = applyPolicyPatch(policySchema.parse(JSON.parse(raw)), patch);
    if ((await redis.eval(COMPARE_AND_SET, 1, key, raw, JSON.stringify(next))) === 1) {
      await announceSiteChange(redis, siteId);
      return next;
    }
  }
  throw new Error('policy update kept conflicting');
}

/** Issues new keys for a site; the old ones stop working at once. */
export async function rotateSiteKeys(redis: Redis, siteId: string): Promise<CreatedSite> {
  await requireSite(redis, siteId);
  const siteKey = newCredential('pk', siteId);
  const secretKey = newCredential('sk', siteId);
  await redis.hset(keys.site(siteId), { siteKeyHash: hashCredential(siteKey), secretKeyHash: hashCredential(secretKey) });
  await announceSiteChange(redis, siteId);
  return { siteId, siteKey, secretKey };
}
