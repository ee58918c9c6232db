import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';
import { postComment } from '../helpers/comments';
import { until } from '../helpers/wait';
import { createModerator } from '../../src/sites/moderator-store';
import type { PolicyPatch } from '../../src/sites/policy';
import type { VigilEvent } from '../../src/events/events';
import { readFeedback } from '../../src/learning/feedback';
import { keys } from '../../src/infra/keys';

let t: TestApp;
const events: VigilEvent[] = [];
beforeAll(async () => {
  t = await startTestApp({ REVIEW_UNDO_SECONDS: '30' });
  t.service.ctx.events.subscribe(async (e) => void events.push(e));
});
afterAll(() => t.close());

const lenient: PolicyPatch = { captcha: 'off', rateLimits: { commentsPerIpPerMinute: 1000, commentsPerEmailPerHour: 1000 } };
/** Review thresholds of 0 make every comment borderline, so tests need no carefully worded bodies. */
const allBorderline: PolicyPatch = { thresholds: { spam: { review: 0, reject: 1 }, toxicity: { review: 0, reject: 1 } } };

async function setup(policy: PolicyPatch = {}) {
  const site = await t.site({ ...lenient, ...policy });
  const a = await createModerator(t.redis, { name: 'Ann', role: 'moderator', siteIds: [site.siteId] });
  const b = await createModerator(t.redis, { name: 'Bo', role: 'admin', siteIds: [site.siteId] });
  return { site, a: a.token, b: b.token };
}

const post = (secretKey: string, over: Record<string, unknown> = {}) => postComment(t, secretKey, over);

const claim = (token: string) => api(t.url, 'POST', '/v1/review/claim', { key: token });

describe('review queue', () => {
  it('when two moderators claim at once, then no item is handed out twice', async () => {
    const { site, a, b } = await setup({ moderation: 'pre' });
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push((await post(site.secretKey)).id);
    const res = await Promise.all(Array.from({ length: 10 }, (_, i) => claim(i % 2 ? a : b)));
    const got = res.filter((r) => r.status === 200).map((r) => r.json.item.commentId);
    expect(got).toHaveLength(6);
    expect(new Set(got).size).toBe(6);
    expect(got.sort()).toEqual([...ids].sort());
    expect(res.filter((r) => r.status === 204)).toHaveLength(4);
    const counts = await api(t.url, 'GET', '/v1/review/counts', { key: a });
    expect(counts.json).toMatchObject({ pending: 6, waiting: 0, claimed: 6 });
  });

  it('when a moderator decides an item another holds, then it is refused with review_claimed', async () => {
    const { site, a, b } = await setup({ moderation: 'pre' });
    const { id } = await post(site.secretKey);
    expect((await claim(a)).json.item.commentId).toBe(id);
    const res = await api(t.url, 'POST', `/v1/review/${id}/decision`, { key: b, body: { decision: 'approve' } });
    expect(res.status).toBe(409);
    expect(res.json.code).toBe('review_claimed');
  });

  it('when a comment is approved, then it is published, events carry the moderator, feedback is recorded, and undo puts it all back', async () => {
    const { site, a } = await setup({ moderation: 'pre' });
    const { id } = await post(site.secretKey);
    const c = await claim(a);
    expect(c.json.item).toMatchObject({ commentId: id, body: expect.stringContaining('council'), author: { name: 'Jane Reader' } });
    expect(Array.isArray(c.json.item.explanation.spam)).toBe(true);
    const d = await api(t.url, 'POST', `/v1/review/${id}/decision`, { key: a, body: { decision: 'approve', note: 'fine' } });
    expect(d.status).toBe(200);
    expect(d.json.status).toBe('approved');
    expect((await api(t.url, 'GET', `/v1/comments/${id}`, { key: site.secretKey })).json.status).toBe('approved');
    const decided = events.find((e) => e.type === 'review.decided' && e.data.commentId === id);
    expect(decided?.data).toMatchObject({ decision: 'approve', note: 'fine', moderator: { name: 'Ann' } });
    expect(events.some((e) => e.type === 'comment.approved' && e.data.commentId === id && e.data.moderator)).toBe(true);
    expect((await readFeedback(t.redis, site.siteId)).filter((f) => f.feedback.commentId === id)).toHaveLength(2);
    expect((await api(t.url, 'POST', `/v1/review/${id}/decision`, { key: a, body: { decision: 'reject' } })).json.code).toBe('already_decided');

    const u = await api(t.url, 'POST', `/v1/review/${id}/undo`, { key: a });
    expect(u.status).toBe(200);
    expect(u.json.status).toBe('pending');
    expect((await api(t.url, 'GET', `/v1/comments/${id}`, { key: site.secretKey })).json.status).toBe('pending');
    // Undo appends withdrawals, so learners that already learnt the examples unlearn them.
    const after = (await readFeedback(t.redis, site.siteId)).filter((f) => f.feedback.commentId === id);
    expect(after.filter((f) => f.feedback.withdraw)).toHaveLength(2);
    expect((await claim(a)).json.item.commentId).toBe(id);
    expect((await api(t.url, 'POST', `/v1/review/${id}/undo`, { key: a })).json.code).toBe('undo_expired');

    const audit = await api(t.url, 'GET', `/v1/review/audit?siteId=${site.siteId}`, { key: a });
    expect(audit.status).toBe(403);
  });

  it('when an admin reads the audit log, then every decision and undo is there, newest first', async () => {
    const { site, a, b } = await setup({ moderation: 'pre' });
    const { id } = await post(site.secretKey);
    await api(t.url, 'POST', `/v1/review/${id}/decision`, { key: a, body: { decision: 'spam', note: 'link farm' } });
    await api(t.url, 'POST', `/v1/review/${id}/undo`, { key: a });
    await api(t.url, 'POST', `/v1/review/${id}/decision`, { key: b, body: { decision: 'reject' } });
    const audit = await api(t.url, 'GET', `/v1/review/audit?siteId=${site.siteId}`, { key: b });
    expect(audit.status).toBe(200);
    expect(audit.json.entries.map((e: { action: string; decision: string }) => `${e.action}:${e.decision}`)).toEqual(['decision:reject', 'undo:spam', 'decision:spam']);
    expect(audit.json.entries[2]).toMatchObject({ note: 'link farm', moderator: { name: 'Ann' }, from: { status: 'pending' }, to: { status: 'rejected' } });
  });

  it('when several items are decided in bulk, then each gets its own result', async () => {
    const { site, a } = await setup({ moderation: 'pre' });
    const ids = [(await post(site.secretKey)).id, (await post(site.secretKey)).id];
    const res = await api(t.url, 'POST', '/v1/review/decisions', {
      key: a, body: { decision: 'reject', items: [...ids.map((commentId) => ({ commentId })), { commentId: 'nope' }] },
    });
    expect(res.status).toBe(200);
    expect(res.json.results.map((r: { status?: string; error?: { code: string } }) => r.status ?? r.error?.code)).toEqual(['rejected', 'rejected', 'not_found']);
    expect((await api(t.url, 'GET', '/v1/review/counts', { key: a })).json.pending).toBe(0);
  });

  it('when a moderator blocks an e-mail, then later comments from it are rejected', async () => {
    const { site, a } = await setup({ moderation: 'pre' });
    const email = 'troll@example.net';
    const { id } = await post(site.secretKey, { author: { name: 'T', email } });
    await api(t.url, 'POST', `/v1/review/${id}/decision`, { key: a, body: { decision: 'reject', block: { email: true } } });
    const next = await post(site.secretKey, { author: { name: 'T', email } });
    expect(next.status).toBe('rejected');
    expect(next.reasons).toContain('blocked_email');
  });

  it('when a site is post-moderated, then borderline comments are published at once and still queued', async () => {
    const { site, a } = await setup({ moderation: 'post', ...allBorderline });
    const { id, status } = await post(site.secretKey);
    expect(status).toBe('approved');
    expect((await claim(a)).json.item.commentId).toBe(id);
  });
});

describe('authors', () => {
  it('when an author has N approvals and no rejections, then their borderline comments skip review; others still wait', async () => {
    const { site, a } = await setup({ ...allBorderline, trustedAuthorApprovals: 2 });
    // Trust belongs to identities the site vouches for (signed-in users).
    const author = { author: { name: 'Jane Reader', email: 'jane@example.com', verified: true } };
    for (let i = 0; i < 2; i++) {
      const { id, status } = await post(site.secretKey, author);
      expect(status).toBe('pending');
      expect((await api(t.url, 'POST', `/v1/review/${id}/decision`, { key: a, body: { decision: 'approve' } })).status).toBe(200);
    }
    const trusted = await post(site.secretKey, author);
    expect(trusted.status).toBe('approved');
    expect(trusted.reasons).toContain('trusted_author');
    const stranger = await post(site.secretKey, { author: { name: 'New', email: 'new@example.org' } });
    expect(stranger.status).toBe('pending');
    const item = (await claim(a)).json.item;
    expect(item.commentId).toBe(stranger.id);
    expect(item.author.history.counts.approved).toBe(0);
  });

  it('when an author is often rejected, then even their clean comments are held, and the history shows the rate', async () => {
    const { site, a } = await setup({ moderation: 'pre' });
    const email = 'often@example.org';
    for (let i = 0; i < 3; i++) {
      const { id } = await post(site.secretKey, { author: { name: 'O', email, verified: true } });
      await api(t.url, 'POST', `/v1/review/${id}/decision`, { key: a, body: { decision: 'reject' } });
    }
    await api(t.url, 'PATCH', '/v1/site/policy', { key: site.secretKey, body: { moderation: 'auto' } });
    const held = await post(site.secretKey, { author: { name: 'O', email, verified: true } });
    expect(held.status).toBe('pending');
    expect(held.reasons).toContain('author_often_rejected');
    const item = (await claim(a)).json.item;
    expect(item.author.history).toMatchObject({ counts: { rejected: 3 }, rejectionRate: 1, standing: 'suspect' });
  });
});

describe('shadow mode', () => {
  it('when a site runs in shadow mode, then everything is approved and what Vigil would have done is recorded', async () => {
    const { site, a } = await setup({ shadowMode: true, ...allBorderline });
    const res = await post(site.secretKey);
    expect(res.status).toBe('approved');
    expect(res.reasons).toContain('shadow_mode');
    const stored = await api(t.url, 'GET', `/v1/comments/${res.id}`, { key: site.secretKey });
    expect(stored.json.shadowStatus).toBe('pending');
    expect((await api(t.url, 'GET', '/v1/review/counts', { key: a })).json.pending).toBe(0);
    const report = await api(t.url, 'GET', `/v1/review/shadow?siteId=${site.siteId}`, { key: a });
    expect(report.json.wouldBe.pending).toBe(1);
    expect(report.json.recent[0]).toMatchObject({ commentId: res.id, wouldBe: 'pending' });
  });
});

describe('leases and recovery', () => {
  it('when a lease runs out, then the item returns to the queue for another moderator', async () => {
    const short = await startTestApp({ REVIEW_LEASE_SECONDS: '0.4' });
    try {
      const site = await short.site({ ...lenient, moderation: 'pre' });
      const a = await createModerator(short.redis, { name: 'A', role: 'moderator', siteIds: [site.siteId] });
      const b = await createModerator(short.redis, { name: 'B', role: 'moderator', siteIds: [site.siteId] });
      const posted = await api(short.url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment() });
      const first = await api(short.url, 'POST', '/v1/review/claim', { key: a.token });
      expect(first.json.item.commentId).toBe(posted.json.id);
      expect((await api(short.url, 'POST', '/v1/review/claim', { key: b.token })).status).toBe(204);
      const again = await until('a second claim once the first expired', async () => {
        const r = await api(short.url, 'POST', '/v1/review/claim', { key: b.token });
        return r.status === 200 ? r : undefined;
      });
      expect(again.json.item.commentId).toBe(posted.json.id);
      const late = await api(short.url, 'POST', `/v1/review/${posted.json.id}/decision`, { key: a.token, body: { decision: 'approve' } });
      expect(late.json.code).toBe('review_claimed');
    } finally {
      await short.close();
    }
  });

  it('when a stored pending comment is missing from the queue, then a process starting once the reconcile lease is free puts it back', async () => {
    const { site, a } = await setup({ moderation: 'pre' });
    const { id } = await post(site.secretKey);
    const q = (await import('../../src/infra/queues')).reviewQueueName(site.siteId);
    const { Queue } = await import('bullmq');
    // Through createWorkerRedis, so that it also works on a Redis Cluster (npm run test:cluster).
    const connection = (await import('../../src/infra/redis')).createWorkerRedis(process.env.TEST_REDIS_URL!);
    const queue = new Queue(q, { connection, prefix: '{vigil}' });
    await (await queue.getJob(id))!.remove();
    expect((await claim(a)).status).toBe(204);
    await queue.close();
    connection.disconnect();
    // One process per interval reconciles (a lease in Redis, held by whichever app of the suite started first): as
    // when that interval has passed.
    await t.redis.del(keys.reviewReconcileLock());
    const second = await startTestApp();
    try {
      const got = await until('the restarted app to queue the comment again', async () => {
        const r = await api(second.url, 'POST', '/v1/review/claim', { key: a });
        return r.status === 200 ? r : undefined;
      });
      expect(got.json.item.commentId).toBe(id);
    } finally {
      await second.close();
    }
  });
});
