import { Router } from 'express';
import { z } from 'zod';
import { EVENT_TYPES } from '../../webhooks/endpoints';
import type { WebhookService } from '../../webhooks/service';
import { siteAuth, siteOf } from '../auth';
import type { AppContext } from '../context';
import { registerOperations } from '../openapi';
import { problemSchema } from '../schemas';
import { parse, requireJson } from '../validate';

const eventsSchema = z.array(z.enum(EVENT_TYPES as [string, ...string[]])).min(1).max(EVENT_TYPES.length);
const urlSchema = z.string().min(1).max(2000);

export const createEndpointSchema = z.strictObject({
  url: urlSchema,
  events: eventsSchema,
  description: z.string().max(500).optional(),
});
export const updateEndpointSchema = z.strictObject({
  url: urlSchema.optional(),
  events: eventsSchema.optional(),
  description: z.string().max(500).optional(),
  enabled: z.boolean().optional(),
});
export const rotateSchema = z.strictObject({
  /** Seconds the previous secret keeps signing next to the new one. */
  graceSeconds: z.number().int().min(0).max(7 * 86_400).optional(),
});
const deliveriesQuery = z.object({
  status: z.enum(['pending', 'delivered', 'failed', 'cancelled']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  before: z.coerce.number().int().min(0).optional(),
});
const deadQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(50) });

type Events = z.infer<typeof eventsSchema>;
const asEvents = (e: Events) => e as (typeof EVENT_TYPES)[number][];

/** Webhook endpoints of a site, with the secret key. */
export function webhookRoutes(ctx: AppContext, svc: WebhookService): Router {
  const r = Router();
  const sk = siteAuth(ctx.redis, ['sk']);
  r.post('/v1/webhooks', sk, requireJson, async (req, res) => {
    const body = parse(createEndpointSchema, req.body);
    res.status(201).json(await svc.register(siteOf(res).id, { ...body, events: asEvents(body.events) }));
  });
  r.get('/v1/webhooks', sk, async (_req, res) => {
    res.json({ endpoints: await svc.list(siteOf(res).id) });
  });
  r.get('/v1/webhooks/dead-letters', sk, async (req, res) => {
    const q = parse(deadQuery, req.query);
    res.json({ deliveries: await svc.deadLetters(siteOf(res).id, q.limit) });
  });
  r.get('/v1/webhooks/:id', sk, async (req, res) => {
    res.json(await svc.get(siteOf(res).id, String(req.params.id)));
  });
  r.patch('/v1/webhooks/:id', sk, requireJson, async (req, res) => {
    const patch = parse(updateEndpointSchema, req.body);
    res.json(await svc.update(siteOf(res).id, String(req.params.id), { ...patch, events: patch.events && asEvents(patch.events) }));
  });
  r.post('/v1/webhooks/:id/disable', sk, async (req, res) => {
    res.json(await svc.update(siteOf(res).id, String(req.params.id), { enabled: false }));
  });
  r.post('/v1/webhooks/:id/enable', sk, async (req, res) => {
    res.json(await svc.update(siteOf(res).id, String(req.params.id), { enabled: true }));
  });
  r.delete('/v1/webhooks/:id', sk, async (req, res) => {
    await svc.remove(siteOf(res).id, String(req.params.id));
    res.status(204).end();
  });
  r.post('/v1/webhooks/:id/rotate-secret', sk, requireJson, async (req, res) => {
    const body = parse(rotateSchema, req.body ?? {});
    res.json(await svc.rotate(siteOf(res).id, String(req.params.id), body.graceSeconds));
  });
  r.get('/v1/webhooks/:id/deliveries', sk, async (req, res) => {
    const q = parse(deliveriesQuery, req.query);
    res.json(await svc.deliveries(siteOf(res).id, String(req.params.id), q));
  });
  r.get('/v1/webhooks/:id/deliveries/:deliveryId', sk, async (req, res) => {
    res.json(await svc.delivery(siteOf(res).id, String(req.params.id), String(req.params.deliveryId)));
  });
  r.post('/v1/webhooks/:id/deliveries/:deliveryId/redeliver', sk, async (req, res) => {
    res.status(202).json(await svc.redeliver(siteOf(res).id, String(req.params.id), String(req.params.deliveryId)));
  });
  return r;
}

const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { description: 'Problem details (RFC 9457)', schema: problemSchema }]));

registerOperations([
  { method: 'post', path: '/v1/webhooks', summary: 'Register a webhook endpoint; answers with its signing secret (whsec_...), shown only here and on rotation.', auth: 'secretKey', body: createEndpointSchema, responses: { '201': { description: '{id, url, events, description, enabled, createdAt, updatedAt, secret}' }, ...errors(400, 401, 403, 409, 415, 422, 503) } },
  { method: 'get', path: '/v1/webhooks', summary: "The site's webhook endpoints.", auth: 'secretKey', responses: { '200': { description: '{endpoints}' }, ...errors(401, 403, 503) } },
  { method: 'get', path: '/v1/webhooks/dead-letters', summary: 'Deliveries whose last attempt failed, newest first.', auth: 'secretKey', query: deadQuery, responses: { '200': { description: '{deliveries}' }, ...errors(401, 403, 422, 503) } },
  { method: 'get', path: '/v1/webhooks/{id}', summary: 'One endpoint.', auth: 'secretKey', responses: { '200': { description: 'The endpoint' }, ...errors(401, 403, 404, 503) } },
  { method: 'patch', path: '/v1/webhooks/{id}', summary: 'Change url, events, description or enabled.', auth: 'secretKey', body: updateEndpointSchema, responses: { '200': { description: 'The endpoint' }, ...errors(400, 401, 403, 404, 415, 422, 503) } },
  { method: 'post', path: '/v1/webhooks/{id}/disable', summary: 'Stop sending to the endpoint; pending retries are cancelled.', auth: 'secretKey', responses: { '200': { description: 'The endpoint' }, ...errors(401, 403, 404, 503) } },
  { method: 'post', path: '/v1/webhooks/{id}/enable', summary: 'Send to the endpoint again (e.g. after a 410 disabled it).', auth: 'secretKey', responses: { '200': { description: 'The endpoint' }, ...errors(401, 403, 404, 503) } },
  { method: 'delete', path: '/v1/webhooks/{id}', summary: 'Remove the endpoint and its delivery log.', auth: 'secretKey', responses: { '204': { description: 'Removed' }, ...errors(401, 403, 404, 503) } },
  { method: 'post', path: '/v1/webhooks/{id}/rotate-secret', summary: 'A new signing secret; the old one keeps signing alongside for graceSeconds (default 86400).', auth: 'secretKey', body: rotateSchema, responses: { '200': { description: 'The endpoint with the new secret' }, ...errors(400, 401, 403, 404, 415, 422, 503) } },
  { method: 'get', path: '/v1/webhooks/{id}/deliveries', summary: "The endpoint's delivery log, newest first, with every attempt.", auth: 'secretKey', query: deliveriesQuery, responses: { '200': { description: '{deliveries, next?}' }, ...errors(401, 403, 404, 422, 503) } },
  { method: 'get', path: '/v1/webhooks/{id}/deliveries/{deliveryId}', summary: 'One delivery with its attempts.', auth: 'secretKey', responses: { '200': { description: 'The delivery' }, ...errors(401, 403, 404, 503) } },
  { method: 'post', path: '/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver', summary: 'Send the same message (same webhook-id) again with a fresh retry schedule.', auth: 'secretKey', responses: { '202': { description: 'The delivery, pending again' }, ...errors(401, 403, 404, 409, 503) } },
]);
