import type Redis from 'ioredis';
import type { Queue } from 'bullmq';
import type { VigilEvent } from '../events/events';
import { ConflictError, NotFoundError } from '../errors';
import { Endpoint, listEndpoints, requireEndpoint } from './endpoints';
import { siteCacheFor } from '../sites/site-cache';
import { buildPayload } from './payload';
import { createMessage, Delivery, getDelivery, newDeliveryId, newMessageId, saveDelivery } from './deliveries';

/** What a webhook job carries: only ids; the message and delivery live in Redis under the site's keys. */
export interface DeliveryJob {
  siteId: string;
  deliveryId: string;
  trigger: 'auto' | 'redeliver';
}

export interface ProducerSettings {
  /** Attempts per run: the first plus one per schedule entry. */
  attempts: number;
  /** Lifetime of messages and delivery records. */
  logTtlSeconds: number;
}

/**
 * The webhooks queue's one producer. An event becomes one message (one webhook-id, one body) and one delivery per
 * subscribed endpoint; each delivery is a job whose id is the delivery id, so enqueuing twice is harmless.
 */
export class WebhookProducer {
  constructor(
    private redis: Redis,
    private queue: Queue<DeliveryJob>,
    private settings: ProducerSettings,
  ) {}

  /**
   * A site's endpoints, kept in this instance's site cache (dropped on every endpoint change, on any instance), so
   * that a site's comments do not each read the list from Redis.
   */
  private async endpointsOf(siteId: string): Promise<Endpoint[]> {
    const cache = siteCacheFor(this.redis);
    const cached = cache?.get<Endpoint[]>(siteId, 'webhooks');
    if (cached) return cached;
    const token = cache?.startRead() ?? 0;
    const list = await listEndpoints(this.redis, siteId);
    cache?.set(siteId, 'webhooks', list, token);
    return list;
  }

  /**
   * Events emitted together (a comment's creation and its status) share one read of each site's endpoint list and
   * one enqueue: the endpoint list is on every comment's path.
   */
  async onEvents(events: VigilEvent[], now = new Date()): Promise<string[]> {
    const endpoints = new Map<string, Awaited<ReturnType<typeof listEndpoints>>>();
    const jobs: Array<{ siteId: string; delivery: Delivery }> = [];
    for (const e of events) {
      if (!endpoints.has(e.siteId)) endpoints.set(e.siteId, await this.endpointsOf(e.siteId));
      const targets = endpoints.get(e.siteId)!.filter((ep) => ep.enabled && ep.events.includes(e.type));
      if (!targets.length) continue;
      const msg = { id: newMessageId(), type: e.type, body: buildPayload(e) };
      const deliveries: Delivery[] = targets.map((ep) => ({
        id: newDeliveryId(), endpointId: ep.id, msgId: msg.id, eventType: e.type, status: 'pending',
        createdAt: now.toISOString(), updatedAt: now.toISOString(), attemptCount: 0, attempts: [], runs: 0,
      }));
      await createMessage(this.redis, e.siteId, msg, deliveries, this.settings.logTtlSeconds);
      for (const delivery of deliveries) jobs.push({ siteId: e.siteId, delivery });
    }
    if (!jobs.length) return [];
    await this.queue.addBulk(
      jobs.map(({ siteId, delivery: d }) => ({ name: 'deliver', data: { siteId, deliveryId: d.id, trigger: 'auto' as const }, opts: this.jobOptions(jobIdOf(d)) })),
    );
    return jobs.map((j) => j.delivery.id);
  }

  /**
   * Sends a delivery again, with the same webhook-id and a fresh retry schedule. A delivery still being retried
   * is refused, so one message never has two runs racing each other.
   */
  async redeliver(siteId: string, endpointId: string, deliveryId: string, now = new Date()): Promise<Delivery> {
    await requireEndpoint(this.redis, siteId, endpointId);
    const d = await getDelivery(this.redis, siteId, deliveryId);
    if (!d || d.endpointId !== endpointId) throw new NotFoundError('The delivery');
    if (d.status === 'pending') {
      // A delivery whose job is gone (e.g. the process died between recording and enqueuing it) may be sent again.
      const state = await this.queue.getJobState(jobIdOf(d));
      if (!['unknown', 'completed', 'failed'].includes(state)) throw new ConflictError('This delivery is still being attempted.');
    }
    d.status = 'pending';
    d.runs += 1;
    d.updatedAt = now.toISOString();
    await saveDelivery(this.redis, siteId, d, this.settings.logTtlSeconds);
    await this.queue.add('deliver', { siteId, deliveryId: d.id, trigger: 'redeliver' }, this.jobOptions(jobIdOf(d)));
    return d;
  }

  private jobOptions(jobId: string) {
    return { jobId, attempts: this.settings.attempts, backoff: { type: 'webhook' } };
  }
}

/** The job of a delivery's current run: the delivery id, then `-r<n>` for the n-th redelivery. */
const jobIdOf = (d: Delivery) => (d.runs ? `${d.id}-r${d.runs}` : d.id);
