import type Redis from 'ioredis';
import { NotFoundError, WebhookUrlRefusedError } from '../errors';
import {
  createEndpoint, deleteEndpoint, EndpointInput, EndpointPatch, endpointView, listEndpoints, requireEndpoint, rotateSecret, updateEndpoint,
} from './endpoints';
import { DeliveryStatus, getDelivery, listDeadLetters, listDeliveries } from './deliveries';
import type { WebhookProducer } from './queue';
import { AddressRefusedError, Allowlist, checkTarget, Resolver } from './ssrf';

/** The use cases behind /v1/webhooks; the routes parse and authenticate, then call one of these. */
export type WebhookService = ReturnType<typeof webhookService>;

export function webhookService(redis: Redis, producer: WebhookProducer, allowlist: Allowlist, resolve?: Resolver) {
  const guard = async (url: string) => {
    try {
      await checkTarget(url, allowlist, resolve);
    } catch (err) {
      if (err instanceof AddressRefusedError) throw new WebhookUrlRefusedError(err.message);
      throw err;
    }
  };
  return {
    async register(siteId: string, input: EndpointInput) {
      await guard(input.url);
      const { endpoint, secret } = await createEndpoint(redis, siteId, input);
      return { ...endpointView(endpoint), secret };
    },
    async list(siteId: string) {
      return (await listEndpoints(redis, siteId)).map((e) => endpointView(e));
    },
    async get(siteId: string, id: string) {
      return endpointView(await requireEndpoint(redis, siteId, id));
    },
    async update(siteId: string, id: string, patch: EndpointPatch) {
      await requireEndpoint(redis, siteId, id);
      if (patch.url !== undefined) await guard(patch.url);
      return endpointView(await updateEndpoint(redis, siteId, id, patch));
    },
    async remove(siteId: string, id: string) {
      await deleteEndpoint(redis, siteId, id);
    },
    async rotate(siteId: string, id: string, graceSeconds?: number) {
      const { endpoint, secret } = await rotateSecret(redis, siteId, id, graceSeconds);
      return { ...endpointView(endpoint), secret };
    },
    async deliveries(siteId: string, id: string, opts: { status?: DeliveryStatus; limit: number; before?: number }) {
      await requireEndpoint(redis, siteId, id);
      return listDeliveries(redis, siteId, id, opts);
    },
    async delivery(siteId: string, id: string, deliveryId: string) {
      const d = await getDelivery(redis, siteId, deliveryId);
      if (!d || d.endpointId !== id) throw new NotFoundError('The delivery');
      return d;
    },
    redeliver: (siteId: string, id: string, deliveryId: string) => producer.redeliver(siteId, id, deliveryId),
    deadLetters: (siteId: string, limit: number) => listDeadLetters(redis, siteId, limit),
  };
}
