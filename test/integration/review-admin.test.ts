import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';
import { createModerator } from '../../src/sites/moderator-store';

let t: TestApp;
const OPERATOR = 'operator-token-0123456789abcdef';
beforeAll(async () => {
  t = await startTestApp({ METRICS_TOKEN: 'metrics-token-0123456789abcdef', METRICS_PER_SITE: 'true', OPERATOR_TOKEN: OPERATOR });
});
afterAll(() => t.close());

async function setup() {
  const site = await t.site({ captcha: 'off', moderation: 'pre' });
  const mod = await createModerator(t.redis, { name: 'M', role: 'moderator', siteIds: [site.siteId] });
  const admin = await createModerator(t.redis, { name: 'A', role: 'admin', siteIds: [site.siteId] });
  return { site, mod: mod.token, admin: admin.token };
}

describe('bull-board at /admin/queues', () => {
  it('when nobody signs in, then the browser is asked for the token', async () => {
    const res = await api(t.url, 'GET', '/admin/queues');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
  });

  it('when a moderator who is not an admin asks, then it is forbidden', async () => {
    const { mod } = await setup();
    expect((await api(t.url, 'GET', '/admin/queues', { key: mod })).status).toBe(403);
  });

  it("when an admin signs in with the token as Basic password, then the board lists their sites' review queues", async () => {
    const { site, admin } = await setup();
    await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment() });
    const basic = `Basic ${Buffer.from(`admin:${admin}`).toString('base64')}`;
    const page = await api(t.url, 'GET', '/admin/queues', { headers: { authorization: basic } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<div id="root">');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const queues = await api(t.url, 'GET', '/admin/queues/api/queues?activeQueue=&page=1&jobsPerPage=10', { headers: { authorization: basic } });
    expect(queues.status).toBe(200);
    const names = queues.json.queues.map((q: { name: string }) => q.name);
    expect(names).toEqual([`review-${site.siteId}`]);
  });

  it("when a site admin asks bull-board about Redis or the workers, then it is refused; the operator's token gets both", async () => {
    const { site, admin } = await setup();
    const basic = (secret: string) => ({ authorization: `Basic ${Buffer.from(`x:${secret}`).toString('base64')}` });
    const stats = await api(t.url, 'GET', '/admin/queues/api/redis/stats', { headers: basic(admin) });
    expect(stats.status).toBe(403);
    expect(stats.text).not.toMatch(/redis_version|"version"|"os"/);
    const workers = await api(t.url, 'GET', `/admin/queues/api/queues/review-${site.siteId}/workers`, { headers: basic(admin) });
    expect(workers.status).toBe(403);
    const op = await api(t.url, 'GET', '/admin/queues/api/redis/stats', { headers: basic(OPERATOR) });
    expect(op.status).toBe(200);
    expect(op.json.version).toMatch(/^\d+\./);
    const opQueues = await api(t.url, 'GET', '/admin/queues/api/queues?activeQueue=&page=1&jobsPerPage=10', { key: OPERATOR });
    expect(opQueues.status).toBe(200);
    expect(opQueues.json.queues.map((q: { name: string }) => q.name)).toContain(process.env.VIGIL_WEBHOOK_QUEUE ?? 'webhooks');
    expect((await api(t.url, 'GET', '/admin/queues/api/redis/stats', { headers: basic('operator-token-0123456789abcdeX') })).status).toBe(401);
  });

  it('when another site makes an admin\'s browser post to bull-board, then it is refused', async () => {
    const { admin } = await setup();
    const basic = `Basic ${Buffer.from(`admin:${admin}`).toString('base64')}`;
    const res = await api(t.url, 'PUT', '/admin/queues/api/queues/x/pause', { headers: { authorization: basic, origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
  });
});

describe('metrics', () => {
  it('when items wait and decisions are made, then /metrics has the queue depth per site and decision-time quantiles', async () => {
    const { site, mod } = await setup();
    for (let i = 0; i < 3; i++) {
      await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment({ body: `Comment ${i} on the library opening hours and the budget.` }) });
    }
    const claimed = await api(t.url, 'POST', '/v1/review/claim', { key: mod });
    await api(t.url, 'POST', `/v1/review/${claimed.json.item.commentId}/decision`, { key: mod, body: { decision: 'approve' } });
    const m = await api(t.url, 'GET', '/metrics', { key: 'metrics-token-0123456789abcdef' });
    expect(m.text).toContain(`vigil_review_queue_depth{site="${site.siteId}",state="waiting"} 2`);
    expect(m.text).toMatch(new RegExp(`vigil_review_decision_latency_seconds\\{site="${site.siteId}",quantile="0.95"\\} [0-9.e-]+`));
    expect(m.text).toContain('vigil_review_decision_seconds_count{decision="approve"}');
  });
});

describe('moderators see only their sites', () => {
  it("when a moderator asks about another site's comment, then it is not found or forbidden", async () => {
    const a = await setup();
    const b = await setup();
    const posted = await api(t.url, 'POST', '/v1/comments', { key: a.site.secretKey, body: serverComment() });
    expect((await api(t.url, 'GET', `/v1/review/${posted.json.id}`, { key: b.mod })).status).toBe(404);
    expect((await api(t.url, 'POST', `/v1/review/${posted.json.id}/decision`, { key: b.mod, body: { decision: 'approve' } })).status).toBe(404);
    expect((await api(t.url, 'GET', `/v1/review/counts?siteId=${a.site.siteId}`, { key: b.mod })).status).toBe(403);
    expect((await api(t.url, 'POST', '/v1/review/claim', { key: b.mod })).status).toBe(204);
    expect((await api(t.url, 'GET', '/v1/review/counts', { key: 'mt_nope' })).status).toBe(401);
    expect((await api(t.url, 'GET', '/v1/review/a:b{c}', { key: b.mod })).json.code).toBe('validation_failed');
    expect((await api(t.url, 'GET', '/v1/review/me', { key: b.mod })).json).toMatchObject({ name: 'M', role: 'moderator', siteIds: [b.site.siteId] });
  });
});
