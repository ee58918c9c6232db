import crypto from 'node:crypto';
import type Redis from 'ioredis';
import type { EventType } from '../events/events';
import { keys } from '../infra/keys';
import { announceSiteChange } from '../sites/site-cache';
import { ConflictError, NotFoundError } from '../errors';
import { generateSecret } from './sign';

/** Every event an endpoint can subscribe to. */
export const EVENT_TYPES: readonly EventType[] = [
  'comment.created', 'comment.pending', 'comment.approved', 'comment.rejected', 'comment.spam', 'review.decided', 'comment.reported',
];

/** A site may register this many endpoints; more is almost always a loop in someone's automation. */
export const MAX_ENDPOINTS_PER_SITE = 20;

/** A previous secret stays valid (and signs alongside the new one) this long after a rotation. @defaultValue 24 h */
export const DEFAULT_ROTATION_GRACE_SECONDS = 86_400;

interface StoredSecret {
  secret: string;
  createdAt: string;
  /** Set on the old secrets when a rotation happens. */
  expiresAt?: string;
}

export interface Endpoint {
  id: string;
  siteId: string;
  url: string;
  events: EventType[];
  description: string;
  enabled: boolean;
  /** Why the endpoint was disabled: `manual` or `gone` (the receiver answered 410). */
  disabledReason?: string;
  createdAt: string;
  updatedAt: string;
  secrets: StoredSecret[];
}

/** The shape the API shows: never the secrets, only when the last rotation's old secret stops signing. */
export function endpointView(e: Endpoint, now = new Date()) {
  const rotating = e.secrets.filter((s) => s.expiresAt && Date.parse(s.expiresAt) > now.getTime());
  return {
    id: e.id,
    url: e.url,
    events: e.events,
    description: e.description,
    enabled: e.enabled,
    ...(e.disabledReason ? { disabledReason: e.disabledReason } : {}),
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    ...(rotating.length ? { previousSecretExpiresAt: rotating.map((s) => s.expiresAt).sort().at(-1) } : {}),
  };
}

/** The secrets that sign a message now: the current one first, then old ones still in their grace period. */
export function signingSecrets(e: Endpoint, now = new Date()): string[] {
  return e.secrets.filter((s) => !s.expiresAt || Date.parse(s.expiresAt) > now.getTime()).map((s) => s.secret);
}

function fromHash(siteId: string, h: Record<string, string>): Endpoint {
  return {
    id: h.id,
    siteId,
    url: h.url,
    events: JSON.parse(h.events) as EventType[],
    description: h.description ?? '',
    enabled: h.enabled === '1',
    ...(h.disabledReason ? { disabledReason: h.disabledReason } : {}),
    createdAt: h.createdAt,
    updatedAt: h.updatedAt,
    secrets: JSON.parse(h.secrets) as StoredSecret[],
  };
}

export async function getEndpoint(redis: Redis, siteId: string, id: string): Promise<Endpoint | undefined> {
  if (!/^ep_[0-9a-f]{16}$/.test(id)) return undefined;
  const h = await redis.hgetall(keys.webhook(siteId, id));
  return h.id ? fromHash(siteId, h) : undefined;
}

export async function requireEndpoint(redis: Redis, siteId: string, id: string): Promise<Endpoint> {
  const e = await getEndpoint(redis, siteId, id);
  if (!e) throw new NotFoundError('The webhook endpoint');
  return e;
}

export async function listEndpoints(redis: Redis, siteId: string): Promise<Endpoint[]> {
  const ids = await redis.zrange(keys.webhookIndex(siteId), 0, -1);
  const found = await Promise.all(ids.map((id) => getEndpoint(redis, siteId, id)));
  return found.filter((e): e is Endpoint => !!e);
}

export interface EndpointInput {
  url: string;
  events: EventType[];
  description?: string;
}

/** Registers an endpoint; the caller has already checked the URL. The secret is returned here and by rotations only. */
export async function createEndpoint(redis: Redis, siteId: string, input: EndpointInput, now = new Date()): Promise<{ endpoint: Endpoint; secret: string }> {
  if ((await redis.zcard(keys.webhookIndex(siteId))) >= MAX_ENDPOINTS_PER_SITE) {
    throw new ConflictError(`A site can have at most ${MAX_ENDPOINTS_PER_SITE} webhook endpoints.`);
  }
  const id = `ep_${crypto.randomBytes(8).toString('hex')}`;
  const secret = generateSecret();
  const at = now.toISOString();
  const endpoint: Endpoint = {
    id, siteId, url: input.url, events: [...new Set(input.events)], description: input.description ?? '', enabled: true,
    createdAt: at, updatedAt: at, secrets: [{ secret, createdAt: at }],
  };
  await redis
    .multi()
    .hset(keys.webhook(siteId, id), {
      id, url: endpoint.url, events: JSON.stringify(endpoint.events), description: endpoint.description, enabled: '1',
      createdAt: at, updatedAt: at, secrets: JSON.stringify(endpoint.secrets),
    })
    .zadd(keys.webhookIndex(siteId), now.getTime(), id)
    .exec();
  await announceSiteChange(redis, siteId);
  return { endpoint, secret };
}

export interface EndpointPatch {
  url?: string;
  events?: EventType[];
  description?: string;
  enabled?: boolean;
}

export async function updateEndpoint(redis: Redis, siteId: string, id: string, patch: EndpointPatch, now = new Date()): Promise<Endpoint> {
  await requireEndpoint(redis, siteId, id);
  const fields: Record<string, string> = { updatedAt: now.toISOString() };
  if (patch.url !== undefined) fields.url = patch.url;
  if (patch.events !== undefined) fields.events = JSON.stringify([...new Set(patch.events)]);
  if (patch.description !== undefined) fields.description = patch.description;
  if (patch.enabled !== undefined) fields.enabled = patch.enabled ? '1' : '0';
  const m = redis.multi().hset(keys.webhook(siteId, id), fields);
  if (patch.enabled === true) m.hdel(keys.webhook(siteId, id), 'disabledReason');
  if (patch.enabled === false) m.hset(keys.webhook(siteId, id), 'disabledReason', 'manual');
  await m.exec();
  await announceSiteChange(redis, siteId);
  return requireEndpoint(redis, siteId, id);
}

/** Disables an endpoint on the worker's behalf (the receiver answered 410 Gone). Does nothing if it was deleted. */
export async function disableEndpoint(redis: Redis, siteId: string, id: string, reason: string, now = new Date()): Promise<void> {
  const key = keys.webhook(siteId, id);
  if (!(await redis.exists(key))) return;
  await redis.hset(key, { enabled: '0', disabledReason: reason, updatedAt: now.toISOString() });
  await announceSiteChange(redis, siteId);
}

export async function deleteEndpoint(redis: Redis, siteId: string, id: string): Promise<void> {
  await requireEndpoint(redis, siteId, id);
  await redis.multi().del(keys.webhook(siteId, id)).zrem(keys.webhookIndex(siteId), id).del(keys.webhookLog(siteId, id)).exec();
  await announceSiteChange(redis, siteId);
}

/**
 * A new secret signs from now on; the previous ones keep signing for `graceSeconds` so receivers can switch
 * without losing a message. Secrets whose grace has ended are dropped.
 */
export async function rotateSecret(redis: Redis, siteId: string, id: string, graceSeconds = DEFAULT_ROTATION_GRACE_SECONDS, now = new Date()): Promise<{ endpoint: Endpoint; secret: string }> {
  const e = await requireEndpoint(redis, siteId, id);
  const secret = generateSecret();
  const graceEnd = new Date(now.getTime() + graceSeconds * 1000).toISOString();
  const kept = e.secrets
    .filter((s) => !s.expiresAt || Date.parse(s.expiresAt) > now.getTime())
    .map((s) => ({ ...s, expiresAt: s.expiresAt && s.expiresAt < graceEnd ? s.expiresAt : graceEnd }))
    .filter((s) => Date.parse(s.expiresAt) > now.getTime());
  const secrets = [{ secret, createdAt: now.toISOString() }, ...kept];
  await redis.hset(keys.webhook(siteId, id), { secrets: JSON.stringify(secrets), updatedAt: now.toISOString() });
  await announceSiteChange(redis, siteId);
  return { endpoint: { ...e, secrets }, secret };
}
