import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { api, keysMatching, serverComment, startTestApp, TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';
import { createModerator } from '../../src/sites/moderator-store';
import type { PolicyPatch } from '../../src/sites/policy';
import type { VigilEvent } from '../../src/events/events';
import { keys } from '../../src/infra/keys';
import { readAudit } from '../../src/review/audit';
import { listReported, reportsOf } from '../../src/reports';

/**
 * Reader reports through the HTTP API. TRUST_PROXY=loopback lets a test speak for readers on different networks
 * through X-Forwarded-For; each test has its own site, so limits and queues never meet.
 */
let t: TestApp;
const events: VigilEvent[] = [];
const ORIGIN = 'https://news.example';
let receiver: http.Server;
const hooks: Array<{ type: string; data: Record<string, unknown> }> = [];

beforeAll(async () => {
  t = await startTestApp({
    TRUST_PROXY: 'loopback',
    REVIEW_UNDO_SECONDS: '30',
    VIGIL_WEBHOOK_ALLOWLIST: '127.0.0.1',
    VIGIL_WEBHOOK_QUEUE: `webhooks-reports-${process.pid}`,
  });
  t.service.ctx.events.subscribe(async (e) => void events.push(e));
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      hooks.push(JSON.parse(Buffer.concat(chunks).toString()));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise<void>((r) => receiver.close(() => r()));
  await t.close();
});

const lenient: PolicyPatch = { captcha: 'off', minFillTimeMs: 0, rateLimits: { commentsPerIpPerMinute: 1000, commentsPerEmailPerHour: 1000 } };

async function setup(policy: PolicyPatch = {}) {
  const site = await t.site({ ...lenient, ...policy }, [ORIGIN]);
  const mod = await createModerator(t.redis, { name: 'Ann', role: 'moderator', siteIds: [site.siteId] });
  return { site, mod: mod.token };
}

async function comment(secretKey: string, over: Record<string, unknown> = {}) {
  const res = await api(t.url, 'POST', '/v1/comments', { key: secretKey, body: serverComment(over) });
  expect(res.status).toBe(201);
  return res.json as { id: string; status: string };
}

let tokens = 0;
const token = () => `reader-token-${String(++tokens).padStart(6, '0')}`;

function report(siteKey: string, commentId: string, body: Record<string, unknown>, opts: { ip?: string; origin?: string } = {}) {
  return api(t.url, 'POST', `/v1/comments/${commentId}/reports`, {
    key: siteKey, body, headers: { origin: opts.origin ?? ORIGIN, ...(opts.ip ? { 'x-forwarded-for': opts.ip } : {}) },
  });
}

/** Every Redis key that holds a report of the site, whatever its kind. */
const reportKeys = async (siteId: string) => [
  ...(await keysMatching(t.redis, `vigil:{${siteId}}:report:*`)),
  ...(await keysMatching(t.redis, `vigil:{${siteId}}:reported`)),
];

describe('reader reports', () => {
  it('when a reader reports a published comment, then moderators see the reason, text and time but never who sent it', async () => {
    const { site, mod } = await setup();
    const c = await comment(site.secretKey);
    expect(c.status).toBe('approved');
    const res = await report(site.siteKey, c.id, { reason: 'other', text: '  Names a private person  ', reader: token() });
    expect(res.status).toBe(201);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.json).toEqual({ commentId: c.id, reason: 'other', at: expect.any(String) });
    const seen = await api(t.url, 'GET', `/v1/review/${c.id}/reports`, { key: mod });
    expect(seen.status).toBe(200);
    expect(seen.json).toEqual({
      commentId: c.id, siteId: site.siteId, inReportedQueue: false,
      reasons: { offensive: 0, spam: 0, off_topic: 0, other: 1 },
      reports: [{ reason: 'other', text: 'Names a private person', at: res.json.at }],
    });
    expect(seen.text).not.toMatch(/reader-token|127\.0\.0\.1|net/);
     const doc = await api(t.url, 'GET', '/openapi.json');
    expect(Object.keys(doc.json.paths)).toEqual(expect.arrayContaining(['/v1/comments/{id}/reports', '/v1/review/{commentId}/reports/decision']));
  });

  it('when the same reader reports a comment twice, then the second is refused with already_reported and only one report is kept', async () => {
    const { site } = await setup();
    const c = await comment(site.secretKey);
    const reader = token();
    expect((await report(site.siteKey, c.id, { reason: 'spam', reader })).status).toBe(201);
    const again = await report(site.siteKey, c.id, { reason: 'offensive', reader });
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('already_reported');
    expect(await reportsOf(t.redis, site.siteId, c.id)).toEqual([expect.objectContaining({ reason: 'spam' })]);
  });

  it.each([
    ['an unknown reason', { reason: 'boring' }, 'reason'],
    ['other without text', { reason: 'other' }, 'text'],
    ['other with only spaces', { reason: 'other', text: '   ' }, 'text'],
    ['text over 500 characters', { reason: 'spam', text: 'x'.repeat(501) }, 'text'],
    ['no reader token', { reason: 'spam', reader: undefined }, 'reader'],
    ['a reader token with odd characters', { reason: 'spam', reader: 'short token!' }, 'reader'],
    ['an unknown field', { reason: 'spam', email: 'a@b.example' }, '(body)'],
  ])('when a report has %s, then it is refused with validation_failed naming the field and nothing is stored', async (_what, over, path) => {
    const { site } = await setup();
    const c = await comment(site.secretKey);
    const body: Record<string, unknown> = { reader: token(), ...over };
    if (body.reader === undefined) delete body.reader;
    const res = await report(site.siteKey, c.id, body);
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('validation_failed');
    expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await reportKeys(site.siteId)).toEqual([]);
  });

  it('when a page on an origin the site does not allow sends a report, then it is refused with 403 and nothing is stored', async () => {
    const { site } = await setup();
    const c = await comment(site.secretKey);
    const res = await report(site.siteKey, c.id, { reason: 'spam', reader: token() }, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('forbidden');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(await reportKeys(site.siteId)).toEqual([]);
  });

  it('when a report comes with the secret key or no key, then it is refused (403, 401) and nothing is stored', async () => {
    const { site } = await setup();
    const c = await comment(site.secretKey);
    expect((await report(site.secretKey, c.id, { reason: 'spam', reader: token() })).status).toBe(403);
    expect((await api(t.url, 'POST', `/v1/comments/${c.id}/reports`, { body: { reason: 'spam', reader: token() } })).status).toBe(401);
    expect(await reportKeys(site.siteId)).toEqual([]);
  });

  it("when a site reports another site's comment, or one that does not exist or was rejected, then it is not found and nothing is stored", async () => {
    const a = await setup();
    const b = await setup({ blocked: { words: ['freight'] } });
    const theirs = await comment(b.site.secretKey);
    const rejected = await comment(b.site.secretKey, { body: 'The freight yard should have been sold for housing.' });
    expect(rejected.status).toBe('rejected');
    for (const [key, id] of [[a.site.siteKey, theirs.id], [a.site.siteKey, 'no-such-comment'], [a.site.siteKey, '../../x'], [b.site.siteKey, rejected.id]]) {
      const res = await report(key, id, { reason: 'spam', reader: token() });
      expect(res.status).toBe(404);
      expect(res.json.code).toBe('not_found');
    }
    expect(await reportKeys(a.site.siteId)).toEqual([]);
    expect(await reportKeys(b.site.siteId)).toEqual([]);
  });

  it('when one IP sends more reports than the site allows per hour, then the next is refused with 429 and Retry-After and is not stored', async () => {
    const { site } = await setup({ reports: { perIpPerHour: 2 } });
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await comment(site.secretKey)).id);
    expect((await report(site.siteKey, ids[0], { reason: 'spam', reader: token() }, { ip: '203.0.113.9' })).status).toBe(201);
    expect((await report(site.siteKey, ids[1], { reason: 'spam', reader: token() }, { ip: '203.0.113.9' })).status).toBe(201);
    const third = await report(site.siteKey, ids[2], { reason: 'spam', reader: token() }, { ip: '203.0.113.9' });
    expect(third.status).toBe(429);
    expect(third.json.code).toBe('rate_limited');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await reportsOf(t.redis, site.siteId, ids[2])).toEqual([]);
    // Another network still reports.
    expect((await report(site.siteKey, ids[2], { reason: 'spam', reader: token() }, { ip: '203.0.113.10' })).status).toBe(201);
  });

  it('when an approved comment gets reports from three networks, then it enters the Reported queue at the third and comment.reported is sent once', async () => {
    const { site } = await setup();
    const ep = await api(t.url, 'POST', '/v1/webhooks', {
      key: site.secretKey, body: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, events: ['comment.reported'] },
    });
    expect(ep.status).toBe(201);
    const c = await comment(site.secretKey);
    // One person minting new tokens on one network counts once toward the threshold.
    for (let i = 0; i < 3; i++) expect((await report(site.siteKey, c.id, { reason: 'offensive', reader: token() }, { ip: '198.51.100.1' })).status).toBe(201);
    expect((await report(site.siteKey, c.id, { reason: 'spam', reader: token() }, { ip: '198.51.100.2' })).status).toBe(201);
    expect((await listReported(t.redis, site.siteId)).items).toEqual([]);
    expect(events.filter((e) => e.siteId === site.siteId && e.type === 'comment.reported')).toEqual([]);

    expect((await report(site.siteKey, c.id, { reason: 'off_topic', reader: token() }, { ip: '2001:db8:1:2::5' })).status).toBe(201);
    const page = await listReported(t.redis, site.siteId);
    expect(page.items.map((i) => i.comment.id)).toEqual([c.id]);
    expect(page.items[0]).toMatchObject({ reports: 5, reasons: { offensive: 3, spam: 1, off_topic: 1, other: 0 } });
    expect(page.total).toBe(1);
    // A fourth network adds a report but does not enter the queue (or notify) a second time.
    expect((await report(site.siteKey, c.id, { reason: 'spam', reader: token() }, { ip: '192.0.2.44' })).status).toBe(201);
    const sent = events.filter((e) => e.siteId === site.siteId && e.type === 'comment.reported');
    expect(sent).toHaveLength(1);
    expect(sent[0].data).toMatchObject({ commentId: c.id, status: 'approved', reports: 5, networks: 3, reason: 'off_topic' });
    const hook = await until('the comment.reported webhook', () => hooks.find((h) => h.data.siteId === site.siteId));
    expect(hook).toMatchObject({ type: 'comment.reported', data: { commentId: c.id, threadId: 'article-1', status: 'approved', reports: 5 } });
  });

  it('when a comment waiting for review gets one report, then it enters the Reported queue (pending threshold 1)', async () => {
    const { site } = await setup({ moderation: 'pre' });
    const c = await comment(site.secretKey);
    expect(c.status).toBe('pending');
    expect((await report(site.siteKey, c.id, { reason: 'spam', reader: token() })).status).toBe(201);
    expect((await listReported(t.redis, site.siteId)).items.map((i) => i.comment.id)).toEqual([c.id]);
  });
});

describe('moderators and reported comments', () => {
  async function reported(policy: PolicyPatch = {}) {
    const s = await setup({ reports: { approvedThreshold: 1 }, ...policy });
    const c = await comment(s.site.secretKey);
    const reader = token();
    expect((await report(s.site.siteKey, c.id, { reason: 'offensive', reader })).status).toBe(201);
    return { ...s, c, reader };
  }

  it('when a moderator keeps a reported comment, then its reports close, it leaves the queue, it is audited, and earlier reporters cannot report it again', async () => {
    const { site, mod, c, reader } = await reported();
    const res = await api(t.url, 'POST', `/v1/review/${c.id}/reports/decision`, { key: mod, body: { decision: 'keep', note: 'fair criticism' } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ commentId: c.id, status: 'approved', decision: 'keep', undoSeconds: 30 });
    expect((await listReported(t.redis, site.siteId)).total).toBe(0);
    expect(await reportsOf(t.redis, site.siteId, c.id)).toEqual([]);
    const audit = await readAudit(t.redis, site.siteId, { limit: 5 });
    expect(audit.entries[0]).toMatchObject({ commentId: c.id, decision: 'keep', note: 'fair criticism', from: { status: 'approved' }, to: { status: 'approved' } });
    // Deciding twice finds nothing open.
    const again = await api(t.url, 'POST', `/v1/review/${c.id}/reports/decision`, { key: mod, body: { decision: 'keep' } });
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('not_reported');
    expect((await report(site.siteKey, c.id, { reason: 'spam', reader })).json.code).toBe('already_reported');
    // A new reader's report opens it again and, at the threshold, puts it back in the queue.
    expect((await report(site.siteKey, c.id, { reason: 'spam', reader: token() })).status).toBe(201);
    expect((await listReported(t.redis, site.siteId)).items.map((i) => i.comment.id)).toEqual([c.id]);
  });

  it('when a moderator removes a reported published comment, then it is rejected, gone from the thread, audited and comment.rejected is sent', async () => {
    const { site, mod, c } = await reported();
    const res = await api(t.url, 'POST', `/v1/review/${c.id}/reports/decision`, { key: mod, body: { decision: 'remove' } });
    expect(res.json).toEqual({ commentId: c.id, status: 'rejected', decision: 'remove', undoSeconds: 30 });
    const thread = await api(t.url, 'GET', '/v1/threads/article-1/comments', { key: site.secretKey });
    expect(thread.json.comments).toEqual([]);
    expect((await listReported(t.redis, site.siteId)).total).toBe(0);
    const audit = await readAudit(t.redis, site.siteId, { limit: 5 });
    expect(audit.entries[0]).toMatchObject({ commentId: c.id, decision: 'remove', from: { status: 'approved' }, to: { status: 'rejected' } });
    const sent = events.filter((e) => e.siteId === site.siteId && e.data.commentId === c.id).map((e) => e.type);
    expect(sent).toEqual(expect.arrayContaining(['comment.rejected', 'review.decided']));
    // A removed comment cannot be reported any more.
    expect((await report(site.siteKey, c.id, { reason: 'spam', reader: token() })).status).toBe(404);
  });

  it('when a reported comment also waits for review, then remove rejects it through the review decision and it leaves both queues', async () => {
    const { site, mod, c } = await reported({ moderation: 'pre' });
    const res = await api(t.url, 'POST', `/v1/review/${c.id}/reports/decision`, { key: mod, body: { decision: 'remove' } });
    expect(res.json).toMatchObject({ status: 'rejected' });
    expect(await t.redis.zscore(keys.pending(site.siteId), c.id)).toBeNull();
    expect((await listReported(t.redis, site.siteId)).total).toBe(0);
    const counts = await api(t.url, 'GET', '/v1/review/counts', { key: mod });
    expect(counts.json.pending).toBe(0);
  });

  it('when a moderator undoes a removal, then the comment is published again with its reports and its place in the Reported queue', async () => {
    const { site, mod, c } = await reported();
    const before = await reportsOf(t.redis, site.siteId, c.id);
    const queued = await listReported(t.redis, site.siteId);
    await api(t.url, 'POST', `/v1/review/${c.id}/reports/decision`, { key: mod, body: { decision: 'remove' } });
    const stranger = await createModerator(t.redis, { name: 'Bo', role: 'moderator', siteIds: [site.siteId] });
    const refused = await api(t.url, 'POST', `/v1/review/${c.id}/reports/undo`, { key: stranger.token });
    expect(refused.status).toBe(403);
    const res = await api(t.url, 'POST', `/v1/review/${c.id}/reports/undo`, { key: mod });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ commentId: c.id, status: 'approved' });
    const thread = await api(t.url, 'GET', '/v1/threads/article-1/comments', { key: site.secretKey });
    expect(thread.json.comments.map((x: { id: string; reasons: string[] }) => [x.id, x.reasons.includes('moderator_remove')])).toEqual([[c.id, false]]);
    expect(await reportsOf(t.redis, site.siteId, c.id)).toEqual(before);
    expect(await listReported(t.redis, site.siteId)).toEqual(queued);
    const audit = await readAudit(t.redis, site.siteId, { limit: 5 });
    expect(audit.entries[0]).toMatchObject({ action: 'undo', decision: 'remove', from: { status: 'rejected' }, to: { status: 'approved' } });
    expect(events.filter((e) => e.data.commentId === c.id).map((e) => e.type).slice(-2)).toEqual(['comment.approved', 'review.decided']);
    const again = await api(t.url, 'POST', `/v1/review/${c.id}/reports/undo`, { key: mod });
    expect(again.json.code).toBe('undo_expired');
  });

  it('when a moderator undoes a keep, then the reports it closed are open again', async () => {
    const { site, mod, c } = await reported();
    const before = await reportsOf(t.redis, site.siteId, c.id);
    await api(t.url, 'POST', `/v1/review/${c.id}/reports/decision`, { key: mod, body: { decision: 'keep' } });
    expect(await reportsOf(t.redis, site.siteId, c.id)).toEqual([]);
    expect((await api(t.url, 'POST', `/v1/review/${c.id}/reports/undo`, { key: mod })).json).toEqual({ commentId: c.id, status: 'approved' });
    expect(await reportsOf(t.redis, site.siteId, c.id)).toEqual(before);
    expect((await listReported(t.redis, site.siteId)).items.map((i) => i.comment.id)).toEqual([c.id]);
  });

  it('when two moderators decide one reported comment at once, then one decision lands and the other is refused', async () => {
    const { site, c } = await reported();
    const other = await createModerator(t.redis, { name: 'Bo', role: 'moderator', siteIds: [site.siteId] });
    const mine = (await createModerator(t.redis, { name: 'Cy', role: 'moderator', siteIds: [site.siteId] })).token;
    const [x, y] = await Promise.all([
      api(t.url, 'POST', `/v1/review/${c.id}/reports/decision`, { key: mine, body: { decision: 'keep' } }),
      api(t.url, 'POST', `/v1/review/${c.id}/reports/decision`, { key: other.token, body: { decision: 'remove' } }),
    ]);
    const statuses = [x.status, y.status].sort();
    expect(statuses).toEqual([200, 409]);
    expect(['not_reported', 'conflict']).toContain((x.status === 409 ? x : y).json.code);
    const audit = await readAudit(t.redis, site.siteId, { limit: 10 });
    expect(audit.entries.filter((e) => e.commentId === c.id)).toHaveLength(1);
  });

  it("when a moderator asks for the reports of another site's comment, then it is not found", async () => {
    const a = await reported();
    const b = await setup();
    expect((await api(t.url, 'GET', `/v1/review/${a.c.id}/reports`, { key: b.mod })).status).toBe(404);
    expect((await api(t.url, 'POST', `/v1/review/${a.c.id}/reports/decision`, { key: b.mod, body: { decision: 'remove' } })).status).toBe(404);
    expect((await listReported(t.redis, a.site.siteId)).total).toBe(1);
  });

  it('when the Reported queue is read a page at a time, newest or oldest first, then every comment comes once and removed ones drop out', async () => {
    const { site, mod } = await setup({ reports: { approvedThreshold: 1 } });
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const c = await comment(site.secretKey);
      ids.push(c.id);
      await report(site.siteKey, c.id, { reason: 'spam', reader: token() });
    }
    // Fixed entry times, two of them equal: the case a cursor of time alone would skip or repeat.
    const at = [10, 20, 30, 40, 50, 5, 5];
    await t.redis.zadd(keys.reported(site.siteId), ...ids.flatMap((id, i) => [at[i], id]));
    // A comment removed while its entry stayed behind (as after a crash) drops out when listed.
    await api(t.url, 'POST', `/v1/review/${ids[2]}/reports/decision`, { key: mod, body: { decision: 'remove' } });
    await t.redis.zadd(keys.reported(site.siteId), 30, ids[2]);
    const walk = async (order: 'newest' | 'oldest') => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      for (let i = 0; i < 10; i++) {
        const page = await listReported(t.redis, site.siteId, { order, limit: 2, ...(cursor ? { cursor } : {}) });
        pages++;
        seen.push(...page.items.map((x) => x.comment.id));
        if (!page.next) break;
        cursor = page.next;
      }
      // Six comments, two a page: the third page says it is the last.
      expect(pages).toBe(3);
      return seen;
    };
    const oldest = await walk('oldest');
    expect(new Set(oldest).size).toBe(6);
    expect(oldest).not.toContain(ids[2]);
    expect(oldest.slice(0, 2).sort()).toEqual([ids[5], ids[6]].sort());
    expect(oldest.slice(2)).toEqual([ids[0], ids[1], ids[3], ids[4]]);
    expect(await walk('newest')).toEqual([...oldest].reverse());
  });
});
