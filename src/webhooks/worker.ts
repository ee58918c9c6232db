import type Redis from 'ioredis';
import { Job, UnrecoverableError } from 'bullmq';
import type { Logger } from '../logger';
import { metrics } from '../infra/metrics';
import { disableEndpoint, getEndpoint, signingSecrets } from './endpoints';
import { Attempt, AttemptOutcome, Delivery, getDelivery, getMessage, saveDelivery } from './deliveries';
import { postPinned, PostResult } from './http-post';
import { nextDelay } from './retry';
import { webhookHeaders } from './sign';
import { AddressRefusedError, Allowlist, checkTarget, Resolver } from './ssrf';
import type { DeliveryJob } from './queue';

export interface WorkerSettings {
  schedule: number[];
  timeoutMs: number;
  logTtlSeconds: number;
  allowlist: Allowlist;
  resolve?: Resolver;
  logger: Logger;
}

/** Thrown to make BullMQ try again after `delayMs` (the schedule's next step, or the receiver's Retry-After). */
export class RetryDeliveryError extends Error {
  constructor(message: string, readonly delayMs: number) {
    super(message);
    this.name = 'RetryDeliveryError';
  }
}

/** BullMQ's custom backoff: the delay the processor already chose, else the schedule. */
export function backoffFor(schedule: number[]) {
  return (attemptsMade: number, _type?: string, err?: Error): number =>
    err instanceof RetryDeliveryError ? err.delayMs : nextDelay(schedule, attemptsMade);
}

/**
 * One attempt of one delivery. 2xx delivers; 410 disables the endpoint and stops; 429 and 503 wait for their
 * Retry-After; anything else, including no answer, waits for the next step of the schedule; after the last
 * attempt the delivery is dead-lettered. The timestamp is the attempt's own (receivers reject stale ones), the
 * webhook-id is the message's (receivers deduplicate on it).
 */
export function createProcessor(redis: Redis, s: WorkerSettings) {
  return async (job: Job<DeliveryJob>): Promise<void> => {
    const { siteId, deliveryId, trigger } = job.data;
    const d = await getDelivery(redis, siteId, deliveryId);
    if (!d) return; // expired from the log; nothing left to send
    const attemptNo = job.attemptsMade + 1;
    const isLast = attemptNo >= (job.opts.attempts ?? 1);
    const record = async (outcome: AttemptOutcome, r: Partial<PostResult>, extra: Partial<Attempt> = {}) => {
      const now = new Date();
      d.attemptCount += outcome === 'cancelled' ? 0 : 1;
      d.attempts.push({
        at: now.toISOString(), attempt: attemptNo, trigger, outcome,
        ...(r.status !== undefined ? { statusCode: r.status } : {}),
        ...(r.latencyMs !== undefined ? { latencyMs: r.latencyMs } : {}),
        ...(r.excerpt ? { excerpt: r.excerpt } : {}),
        ...(r.error ? { error: r.error } : {}),
        ...extra,
      });
      d.status = outcome === 'delivered' ? 'delivered' : outcome === 'retry' ? 'pending' : outcome === 'cancelled' ? 'cancelled' : 'failed';
      d.updatedAt = now.toISOString();
      await saveDelivery(redis, siteId, d, s.logTtlSeconds);
      metrics.webhookAttempts.inc({ outcome });
    };
    const endpoint = await getEndpoint(redis, siteId, d.endpointId);
    const msg = await getMessage(redis, siteId, d.msgId);
    if (!endpoint || !endpoint.enabled || !msg) {
      await record('cancelled', {}, { error: !endpoint ? 'endpoint deleted' : !msg ? 'message expired' : 'endpoint disabled' });
      return;
    }
    let target;
    try {
      target = await checkTarget(endpoint.url, s.allowlist, s.resolve);
    } catch (err) {
      if (!(err instanceof AddressRefusedError)) throw err;
      // A refused address is a decision, not a glitch: retrying would only knock on the same door. The site's
      // delivery log gets the generic message; what the name pointed at is for the operator's log only.
      s.logger.warn({ siteId, endpointId: endpoint.id, reason: err.reason }, 'webhook delivery refused by the SSRF guard');
      await record('refused', { error: err.message });
      throw new UnrecoverableError(err.message);
    }
    const now = new Date();
    const headers = {
      ...webhookHeaders(signingSecrets(endpoint, now), msg.id, Math.floor(now.getTime() / 1000), msg.body),
      'user-agent': 'Vigil-Webhooks/1',
    };
    const r = await postPinned(target, headers, msg.body, { timeoutMs: s.timeoutMs });
    metrics.webhookDuration.observe(r.latencyMs / 1000);
    if (r.status !== undefined && r.status >= 200 && r.status < 300) return record('delivered', r);
    if (r.status === 410) {
      await record('gone', r);
      await disableEndpoint(redis, siteId, endpoint.id, 'gone');
      s.logger.warn({ siteId, endpointId: endpoint.id }, 'webhook endpoint answered 410 Gone; disabled');
      throw new UnrecoverableError('The endpoint answered 410 Gone and was disabled.');
    }
    const why = r.status !== undefined ? `answered ${r.status}` : `no answer (${r.error})`;
    if (isLast) {
      await record('dead', r);
      throw new UnrecoverableError(`Last attempt failed: ${why}.`);
    }
    const honoured = (r.status === 429 || r.status === 503) && r.retryAfterMs !== undefined;
    const delayMs = honoured ? r.retryAfterMs! : nextDelay(s.schedule, attemptNo);
    await record('retry', r, { nextAttemptAt: new Date(Date.now() + delayMs).toISOString() });
    throw new RetryDeliveryError(`Attempt ${attemptNo} failed: ${why}.`, delayMs);
  };
}

export type { Delivery };
