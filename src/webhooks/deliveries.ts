import crypto from 'node:crypto';
import type Redis from 'ioredis';
import type { EventType } from '../events/events';
import { keys } from '../infra/keys';

/**
 * The delivery log. A message is one event's signed body, kept once; a delivery is that message on its way to one
 * endpoint, with every attempt recorded. Both expire after the log retention; the per-endpoint index is capped.
 */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled';

/** How one attempt ended: delivered, retry (will try again), gone (410, endpoint disabled), dead (last attempt failed), refused (SSRF guard), cancelled (endpoint disabled or deleted meanwhile). */
export type AttemptOutcome = 'delivered' | 'retry' | 'gone' | 'dead' | 'refused' | 'cancelled';

export interface Attempt {
  at: string;
  /** 1-based within the current run; a redelivery starts a new run. */
  attempt: number;
  trigger: 'auto' | 'redeliver';
  outcome: AttemptOutcome;
  statusCode?: number;
  latencyMs?: number;
  excerpt?: string;
  error?: string;
  /** When the next attempt is due, for outcome `retry`. */
  nextAttemptAt?: string;
}

export interface Delivery {
  id: string;
  endpointId: string;
  msgId: string;
  eventType: EventType;
  status: DeliveryStatus;
  createdAt: string;
  updatedAt: string;
  /** Every attempt ever made, across redeliveries. */
  attemptCount: number;
  /** The most recent attempts (at most MAX_ATTEMPTS_KEPT). */
  attempts: Attempt[];
  /** How many times it was redelivered by hand; part of the job id of each run. */
  runs: number;
}

export interface Message {
  id: string;
  type: EventType;
  body: string;
}

const MAX_ATTEMPTS_KEPT = 20;
const MAX_LOG_ENTRIES = 1000;
const MAX_DEAD_ENTRIES = 1000;

export const newMessageId = () => `msg_${crypto.randomBytes(12).toString('base64url')}`;
export const newDeliveryId = () => `dlv_${crypto.randomBytes(12).toString('hex')}`;

/** Stores a message and its first deliveries in one transaction, so no delivery points at a missing message. */
export async function createMessage(redis: Redis, siteId: string, m: Message, deliveries: Delivery[], ttlSeconds: number): Promise<void> {
  const tx = redis.multi().set(keys.webhookMessage(siteId, m.id), JSON.stringify(m), 'EX', ttlSeconds);
  for (const d of deliveries) {
    const log = keys.webhookLog(siteId, d.endpointId);
    tx.set(keys.webhookDelivery(siteId, d.id), JSON.stringify(d), 'EX', ttlSeconds)
      .zadd(log, Date.parse(d.createdAt), d.id)
      .zremrangebyrank(log, 0, -MAX_LOG_ENTRIES - 1)
      .expire(log, ttlSeconds);
  }
  await tx.exec();
}

export async function getMessage(redis: Redis, siteId: string, msgId: string): Promise<Message | undefined> {
  const raw = await redis.get(keys.webhookMessage(siteId, msgId));
  return raw ? (JSON.parse(raw) as Message) : undefined;
}

export async function getDelivery(redis: Redis, siteId: string, id: string): Promise<Delivery | undefined> {
  if (!/^dlv_[0-9a-f]{24}$/.test(id)) return undefined;
  const raw = await redis.get(keys.webhookDelivery(siteId, id));
  return raw ? (JSON.parse(raw) as Delivery) : undefined;
}

/** Saves the delivery and refreshes the message's lifetime with it, so a message outlives every delivery of it. */
export async function saveDelivery(redis: Redis, siteId: string, d: Delivery, ttlSeconds: number): Promise<void> {
  d.attempts = d.attempts.slice(-MAX_ATTEMPTS_KEPT);
  const m = redis
    .multi()
    .set(keys.webhookDelivery(siteId, d.id), JSON.stringify(d), 'EX', ttlSeconds)
    .expire(keys.webhookMessage(siteId, d.msgId), ttlSeconds);
  if (d.status === 'failed') {
    m.zadd(keys.webhookDead(siteId), Date.now(), d.id)
      .zremrangebyrank(keys.webhookDead(siteId), 0, -MAX_DEAD_ENTRIES - 1)
      .expire(keys.webhookDead(siteId), ttlSeconds);
  } else m.zrem(keys.webhookDead(siteId), d.id);
  await m.exec();
}

/** An endpoint's deliveries, newest first, optionally of one status. */
export async function listDeliveries(
  redis: Redis, siteId: string, endpointId: string, opts: { status?: DeliveryStatus; limit: number; before?: number },
): Promise<{ deliveries: Delivery[]; next?: number }> {
  const ids = await redis.zrevrangebyscore(
    keys.webhookLog(siteId, endpointId), opts.before !== undefined ? `(${opts.before}` : '+inf', '-inf', 'WITHSCORES', 'LIMIT', 0, 200,
  );
  const out: Delivery[] = [];
  let next: number | undefined;
  for (let i = 0; i < ids.length; i += 2) {
    const d = await getDelivery(redis, siteId, ids[i]);
    if (!d || (opts.status && d.status !== opts.status)) continue;
    if (out.length === opts.limit) {
      next = Number(ids[i + 1]) + 1;
      break;
    }
    out.push(d);
  }
  return { deliveries: out, ...(next !== undefined ? { next } : {}) };
}

/** The site's dead letters: deliveries whose last attempt failed, newest first. */
export async function listDeadLetters(redis: Redis, siteId: string, limit: number): Promise<Delivery[]> {
  const ids = await redis.zrevrange(keys.webhookDead(siteId), 0, limit - 1);
  const found = await Promise.all(ids.map((id) => getDelivery(redis, siteId, id)));
  return found.filter((d): d is Delivery => !!d && d.status === 'failed');
}
