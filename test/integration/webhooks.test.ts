import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { until } from '../helpers/wait';
import { Webhook } from 'standardwebhooks';
import type { EventType, VigilEvent } from '../../src/events/events';
import { sign } from '../../src/webhooks/sign';
import { createMessage } from '../../src/webhooks/deliveries';
import { createModerator } from '../../src/sites/moderator-store';
import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';

/** A real receiver on a loopback port; `respond` decides each answer. It can stop and start again on the same port. */
interface Hit { id: string; headers: Record<string, string>; body: string; at: number }
type Respond = (hit: Hit, hits: Hit[]) => { status: number; headers?: Record<string, string> };
class Receiver {
  hits: Hit[] = [];
  port = 0;
  private server?: http.Server;
  constructor(public respond: Respond = () => ({ status: 200 })) {}
  get url() { return `http://127.0.0.1:${this.port}/hook`; }
  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const hit = { id: String(req.headers['webhook-id']), headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString(), at: Date.now() };
        this.hits.push(hit);
        const a = this.respond(hit, this.hits);
        res.writeHead(a.status, a.headers).end('ok');
      });
    });
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }
  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server!.close(() => r()));
    this.server = undefined;
  }
}


const verify = (secret: string, h: Hit) =>
  new Webhook(secret).verify(h.body, { 'webhook-id': h.headers['webhook-id'], 'webhook-timestamp': h.headers['webhook-timestamp'], 'webhook-signature': h.headers['webhook-signature'] }) as { type: string; data: Record<string, unknown> };

const ALL: EventType[] = ['comment.created', 'comment.pending', 'comment.approved', 'comment.rejected', 'comment.spam', 'review.decided'];

let t: TestApp;
const receivers: Receiver[] = [];
beforeAll(async () => {
  t = await startTestApp({
    VIGIL_WEBHOOK_ALLOWLIST: '127.0.0.1',
    VIGIL_WEBHOOK_RETRY_SCHEDULE: '100ms,150ms,200ms,250ms,300ms,350ms,400ms',
    VIGIL_WEBHOOK_TIMEOUT_MS: '2000',
    VIGIL_WEBHOOK_QUEUE: `webhooks-test-${process.pid}`,
    METRICS_TOKEN: 'metrics-token-0123456789abcdef',
  });
});
afterAll(async () => {
  for (const r of receivers) await r.stop();
  await t.close();
});

async function setup(respond?: Respond, events: EventType[] = ALL) {
  const site = await t.site({ captcha: 'off' });
  const rx = await new Receiver(respond).start();
  receivers.push(rx);
  const res = await api(t.url, 'POST', '/v1/webhooks', { key: site.secretKey, body: { url: rx.url, events, description: 'newsroom' } });
  expect(res.status).toBe(201);
  return { site, rx, endpoint: res.json as { id: string; secret: string } };
}

const event = (siteId: string, type: EventType, data: Partial<VigilEvent['data']> = {}): VigilEvent => ({
  type, siteId, at: new Date().toISOString(), data: { commentId: `c-${Math.random().toString(36).slice(2)}`, threadId: 'article-1', status: 'pending', ...data },
});

describe('webhooks', () => {
  it('when every event type happens, then each arrives once, signed per Standard Webhooks, under 20 KB', async () => {
    const { site, rx, endpoint } = await setup();
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const posted = await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment() });
    expect(posted.status).toBe(201);
    const bus = t.service.ctx.events;
    await bus.emit(event(site.siteId, 'comment.pending'));
    await bus.emit(event(site.siteId, 'comment.rejected', { status: 'rejected', reasons: ['toxicity 0.97'] }));
    await bus.emit(event(site.siteId, 'comment.spam', { status: 'spam', moderator: { id: 'm1', name: 'Ada' } }));
    await bus.emit(event(site.siteId, 'review.decided', { status: 'approved', decision: 'approve', moderator: { id: 'm1', name: 'Ada' }, note: 'fine' }));
    const second = posted.json.status === 'approved' ? 'comment.approved' : `comment.${posted.json.status}`;
    if (second !== 'comment.approved') await bus.emit(event(site.siteId, 'comment.approved', { status: 'approved' }));
    await until('all six event types', () => new Set(rx.hits.map((h) => verify(endpoint.secret, h).type)).size === 6);
    expect(new Set(rx.hits.map((h) => h.id)).size).toBe(rx.hits.length);
    for (const h of rx.hits) {
      const p = verify(endpoint.secret, h);
      expect(ALL).toContain(p.type);
      expect(Buffer.byteLength(h.body)).toBeLessThan(20 * 1024);
      expect(h.headers['content-type']).toBe('application/json');
      expect(p.data.siteId).toBe(site.siteId);
      expect(typeof p.data.commentId).toBe('string');
    }
    const created = rx.hits.map((h) => verify(endpoint.secret, h)).find((p) => p.type === 'comment.created')!;
    expect(created.data).toMatchObject({ commentId: posted.json.id, threadId: 'article-1' });
    const decided = rx.hits.map((h) => verify(endpoint.secret, h)).find((p) => p.type === 'review.decided')!;
    expect(decided.data).toMatchObject({ decision: 'approve', moderator: { id: 'm1', name: 'Ada' } });
    const log = await until('the log to show every delivery as delivered', async () => {
      const l = await api(t.url, 'GET', `/v1/webhooks/${endpoint.id}/deliveries`, { key: site.secretKey });
      return l.json.deliveries.length >= rx.hits.length && l.json.deliveries.every((d: { status: string }) => d.status === 'delivered') && l.json;
    });
    expect(log.deliveries[0].attempts[0]).toMatchObject({ outcome: 'delivered', statusCode: 200, excerpt: 'ok' });
    expect(typeof log.deliveries[0].attempts[0].latencyMs).toBe('number');
  });

  it('when a moderator decides a pending comment, then the editor gets the comment and review events with the moderator', async () => {
    const site = await t.site({ captcha: 'off', moderation: 'pre' });
    const rx = await new Receiver().start();
    receivers.push(rx);
    const ep = await api(t.url, 'POST', '/v1/webhooks', { key: site.secretKey, body: { url: rx.url, events: ALL } });
    const mod = await createModerator(t.redis, { name: 'Ada', role: 'moderator', siteIds: [site.siteId] });
    const posted = await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment() });
    expect(posted.json.status).toBe('pending');
    expect((await api(t.url, 'POST', '/v1/review/claim', { key: mod.token })).json.item.commentId).toBe(posted.json.id);
    const d = await api(t.url, 'POST', `/v1/review/${posted.json.id}/decision`, { key: mod.token, body: { decision: 'spam', note: 'link farm' } });
    expect(d.status).toBe(200);
    const types = ['comment.created', 'comment.pending', 'comment.spam', 'review.decided'];
    const got = await until('four events', () => {
      const ps = rx.hits.map((h) => verify(ep.json.secret, h));
      return types.every((ty) => ps.some((p) => p.type === ty)) && ps;
    });
    for (const p of got) expect(p.data.commentId).toBe(posted.json.id);
    const decided = got.find((p) => p.type === 'review.decided')!;
    expect(decided.data).toMatchObject({ status: 'rejected', decision: 'spam', note: 'link farm', moderator: { id: mod.moderatorId, name: 'Ada' }, threadId: 'article-1' });
  });

  it('when a message is tampered with or stale, then verification fails', async () => {
    const { site, rx, endpoint } = await setup(undefined, ['comment.pending']);
    await t.service.ctx.events.emit(event(site.siteId, 'comment.pending'));
    const h = await until('a delivery', () => rx.hits[0]);
    expect(() => verify(endpoint.secret, h)).not.toThrow();
    expect(() => verify(endpoint.secret, { ...h, body: h.body.replace('pending', 'approved') })).toThrow(/signature/i);
    expect(() => verify('whsec_' + Buffer.alloc(32, 7).toString('base64'), h)).toThrow(/signature/i);
    const old = Math.floor(Date.now() / 1000) - 10 * 60;
    const stale = { ...h, headers: { ...h.headers, 'webhook-timestamp': String(old), 'webhook-signature': sign(endpoint.secret, h.id, old, h.body) } };
    expect(() => verify(endpoint.secret, stale)).toThrow(/too old/i);
  });

  it('when the receiver is down for a while and comes back, then every event arrives, duplicates with the same id', async () => {
    // Once back, the receiver fails the first try of every other message after taking it, so those arrive twice.
    const seen = new Map<string, number>();
    const { site, rx, endpoint } = await setup((hit) => {
      const n = (seen.get(hit.id) ?? 0) + 1;
      seen.set(hit.id, n);
      const odd = [...seen.keys()].indexOf(hit.id) % 2 === 1;
      return { status: odd && n === 1 ? 500 : 204 };
    }, ['comment.pending']);
    await rx.stop();
    const N = 8;
    for (let i = 0; i < N; i++) await t.service.ctx.events.emit(event(site.siteId, 'comment.pending', { index: i }));
    await until('two failed attempts on every delivery', async () => {
      const l = await api(t.url, 'GET', `/v1/webhooks/${endpoint.id}/deliveries?limit=100`, { key: site.secretKey });
      return l.json.deliveries.length === N && l.json.deliveries.every((d: { attemptCount: number }) => d.attemptCount >= 2);
    });
    const l = await api(t.url, 'GET', `/v1/webhooks/${endpoint.id}/deliveries?limit=100`, { key: site.secretKey });
    expect(l.json.deliveries[0].attempts[0].error).toBe('ECONNREFUSED');
    await rx.start();
    await until('every delivery delivered', async () => {
      const l2 = await api(t.url, 'GET', `/v1/webhooks/${endpoint.id}/deliveries?limit=100`, { key: site.secretKey });
      return l2.json.deliveries.every((d: { status: string }) => d.status === 'delivered');
    });
    const ids = new Set(rx.hits.map((h) => h.id));
    expect(ids.size).toBe(N);
    const indexes = new Set(rx.hits.map((h) => (verify(endpoint.secret, h).data as { index: number }).index));
    expect(indexes.size).toBe(N);
    expect(rx.hits.length).toBeGreaterThan(N);
    for (const id of ids) {
      const bodies = new Set(rx.hits.filter((h) => h.id === id).map((h) => h.body));
      expect(bodies.size).toBe(1);
    }
  });

  it('when the receiver answers 410 Gone, then the endpoint is disabled and gets nothing more', async () => {
    const { site, rx, endpoint } = await setup(() => ({ status: 410 }), ['comment.pending']);
    await t.service.ctx.events.emit(event(site.siteId, 'comment.pending'));
    const ep = await until('the endpoint to be disabled', async () => {
      const r = await api(t.url, 'GET', `/v1/webhooks/${endpoint.id}`, { key: site.secretKey });
      return r.json.enabled === false && r.json;
    });
    expect(ep.disabledReason).toBe('gone');
    expect(rx.hits).toHaveLength(1);
    const l = await api(t.url, 'GET', `/v1/webhooks/${endpoint.id}/deliveries`, { key: site.secretKey });
    expect(l.json.deliveries[0]).toMatchObject({ status: 'failed', attemptCount: 1 });
    expect(l.json.deliveries[0].attempts[0]).toMatchObject({ outcome: 'gone', statusCode: 410 });
    await t.service.ctx.events.emit(event(site.siteId, 'comment.pending'));
    const after = await api(t.url, 'GET', `/v1/webhooks/${endpoint.id}/deliveries`, { key: site.secretKey });
    expect(after.json.deliveries).toHaveLength(1);
  });

  it.each([429, 503])('when the receiver answers %i with Retry-After, then the next attempt waits that long', async (status) => {
    const { site, rx } = await setup((_h, hits) => (hits.length === 1 ? { status, headers: { 'retry-after': '1' } } : { status: 200 }), ['comment.pending']);
    await t.service.ctx.events.emit(event(site.siteId, 'comment.pending'));
    await until('the second attempt', () => rx.hits.length >= 2);
    expect(rx.hits[1].id).toBe(rx.hits[0].id);
    // The schedule alone would retry after about 100 ms.
    expect(rx.hits[1].at - rx.hits[0].at).toBeGreaterThanOrEqual(950);
  });

  it('when every attempt fails, then the delivery is dead-lettered and can be redelivered with the same webhook-id', async () => {
    let up = false;
    const { site, rx, endpoint } = await setup(() => ({ status: up ? 200 : 500 }), ['comment.pending']);
    await t.service.ctx.events.emit(event(site.siteId, 'comment.pending'));
    const dead = await until('a dead letter', async () => {
      const r = await api(t.url, 'GET', '/v1/webhooks/dead-letters', { key: site.secretKey });
      return r.json.deliveries[0];
    });
    expect(dead).toMatchObject({ status: 'failed', attemptCount: 8 });
    expect(dead.attempts.at(-1)).toMatchObject({ outcome: 'dead', statusCode: 500 });
    expect(rx.hits).toHaveLength(8);
    expect(new Set(rx.hits.map((h) => h.id)).size).toBe(1);
    up = true;
    const re = await api(t.url, 'POST', `/v1/webhooks/${endpoint.id}/deliveries/${dead.id}/redeliver`, { key: site.secretKey });
    expect(re.status).toBe(202);
    await until('the redelivery', () => rx.hits.length === 9);
    expect(rx.hits[8].id).toBe(rx.hits[0].id);
    expect(() => verify(endpoint.secret, rx.hits[8])).not.toThrow();
    const d = await until('delivered', async () => {
      const r = await api(t.url, 'GET', `/v1/webhooks/${endpoint.id}/deliveries/${dead.id}`, { key: site.secretKey });
      return r.json.status === 'delivered' && r.json;
    });
    expect(d.attempts.at(-1)).toMatchObject({ trigger: 'redeliver', outcome: 'delivered' });
    const none = await api(t.url, 'GET', '/v1/webhooks/dead-letters', { key: site.secretKey });
    expect(none.json.deliveries).toHaveLength(0);
  });

  it('when a delivery is still waiting for its retry, then redeliver is refused; when its job was lost, then redeliver sends it', async () => {
    const { site, rx, endpoint } = await setup(() => ({ status: 429, headers: { 'retry-after': '3600' } }), ['comment.pending']);
    await t.service.ctx.events.emit(event(site.siteId, 'comment.pending'));
    const waiting = await until('the first attempt', async () => {
      const l = await api(t.url, 'GET', `/v1/webhooks/${endpoint.id}/deliveries`, { key: site.secretKey });
      return l.json.deliveries[0]?.attemptCount === 1 && l.json.deliveries[0];
    });
    expect(Date.parse(waiting.attempts[0].nextAttemptAt) - Date.now()).toBeGreaterThan(3500_000);
    const busy = await api(t.url, 'POST', `/v1/webhooks/${endpoint.id}/deliveries/${waiting.id}/redeliver`, { key: site.secretKey });
    expect(busy.status).toBe(409);
    // A delivery recorded but never enqueued, as after a crash between the two steps.
    rx.respond = () => ({ status: 200 });
    const now = new Date().toISOString();
    const orphan = { id: 'dlv_' + 'ab'.repeat(12), endpointId: endpoint.id, msgId: 'msg_orphan', eventType: 'comment.pending' as const, status: 'pending' as const, createdAt: now, updatedAt: now, attemptCount: 0, attempts: [], runs: 0 };
    await createMessage(t.redis, site.siteId, { id: 'msg_orphan', type: 'comment.pending', body: '{"type":"comment.pending"}' }, [orphan], 600);
    const re = await api(t.url, 'POST', `/v1/webhooks/${endpoint.id}/deliveries/${orphan.id}/redeliver`, { key: site.secretKey });
    expect(re.status).toBe(202);
    const h = await until('the orphan delivery', () => rx.hits.find((x) => x.id === 'msg_orphan'));
    expect(() => verify(endpoint.secret, h)).not.toThrow();
  });

  it('when the secret is rotated, then both the old and the new secret verify during the grace period', async () => {
    const { site, rx, endpoint } = await setup(undefined, ['comment.pending']);
    const rot = await api(t.url, 'POST', `/v1/webhooks/${endpoint.id}/rotate-secret`, { key: site.secretKey, body: { graceSeconds: 3600 } });
    expect(rot.status).toBe(200);
    expect(rot.json.secret).not.toBe(endpoint.secret);
    expect(rot.json.previousSecretExpiresAt).toBeDefined();
    await t.service.ctx.events.emit(event(site.siteId, 'comment.pending'));
    const h = await until('a delivery', () => rx.hits[0]);
    expect(h.headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => verify(rot.json.secret, h)).not.toThrow();
    expect(() => verify(endpoint.secret, h)).not.toThrow();
    const now = await api(t.url, 'POST', `/v1/webhooks/${endpoint.id}/rotate-secret`, { key: site.secretKey, body: { graceSeconds: 0 } });
    await t.service.ctx.events.emit(event(site.siteId, 'comment.pending'));
    const h2 = await until('a second delivery', () => rx.hits[1]);
    expect(h2.headers['webhook-signature'].split(' ')).toHaveLength(1);
    expect(() => verify(now.json.secret, h2)).not.toThrow();
    expect(() => verify(rot.json.secret, h2)).toThrow();
  });

  it('when endpoints are listed, updated, disabled and deleted, then the API reflects it and secrets never show', async () => {
    const { site, rx, endpoint } = await setup(undefined, ['comment.pending']);
    const list = await api(t.url, 'GET', '/v1/webhooks', { key: site.secretKey });
    expect(list.json.endpoints).toEqual([expect.objectContaining({ id: endpoint.id, url: rx.url, events: ['comment.pending'], enabled: true, description: 'newsroom' })]);
    expect(list.text).not.toContain('whsec_');
    const upd = await api(t.url, 'PATCH', `/v1/webhooks/${endpoint.id}`, { key: site.secretKey, body: { events: ['comment.spam', 'review.decided'], description: 'desk' } });
    expect(upd.json).toMatchObject({ events: ['comment.spam', 'review.decided'], description: 'desk' });
    const dis = await api(t.url, 'POST', `/v1/webhooks/${endpoint.id}/disable`, { key: site.secretKey });
    expect(dis.json).toMatchObject({ enabled: false, disabledReason: 'manual' });
    await t.service.ctx.events.emit(event(site.siteId, 'comment.spam'));
    const en = await api(t.url, 'POST', `/v1/webhooks/${endpoint.id}/enable`, { key: site.secretKey });
    expect(en.json.enabled).toBe(true);
    await t.service.ctx.events.emit(event(site.siteId, 'comment.spam', { commentId: 'after-enable' }));
    const h = await until('a delivery after enabling', () => rx.hits[0]);
    expect((verify(endpoint.secret, h).data as { commentId: string }).commentId).toBe('after-enable');
    const bad = await api(t.url, 'POST', '/v1/webhooks', { key: site.secretKey, body: { url: rx.url, events: ['comment.nope'] } });
    expect(bad.status).toBe(422);
    const pk = await api(t.url, 'GET', '/v1/webhooks', { key: site.siteKey });
    expect(pk.status).toBe(403);
    const doc = await api(t.url, 'GET', '/openapi.json');
    expect(Object.keys(doc.json.paths)).toEqual(expect.arrayContaining(['/v1/webhooks', '/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver']));
    const m = await api(t.url, 'GET', '/metrics', { key: 'metrics-token-0123456789abcdef' });
    expect(m.text).toMatch(/vigil_webhook_attempts_total\{outcome="delivered"\} \d+/);
    expect(m.text).toMatch(/vigil_webhook_queue_jobs\{state="delayed"\} \d+/);
    const del = await api(t.url, 'DELETE', `/v1/webhooks/${endpoint.id}`, { key: site.secretKey });
    expect(del.status).toBe(204);
    const gone = await api(t.url, 'GET', `/v1/webhooks/${endpoint.id}`, { key: site.secretKey });
    expect(gone.status).toBe(404);
  });
});
