import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';
import { createModerator } from '../../src/sites/moderator-store';
import type { PolicyPatch } from '../../src/sites/policy';
import { keysMatching } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const lenient: PolicyPatch = { captcha: 'off', rateLimits: { commentsPerIpPerMinute: 1000, commentsPerEmailPerHour: 1000 } };

async function setup(policy: PolicyPatch = {}) {
  const site = await t.site({ ...lenient, ...policy });
  const mod = await createModerator(t.redis, { name: 'Ann', role: 'admin', siteIds: [site.siteId] });
  return { site, token: mod.token };
}

let n = 0;
/** A server-side comment; `email`/`ip` pick the author's identities. */
async function post(secretKey: string, over: { email?: string; ip?: string; verified?: boolean; body?: string } = {}) {
  n++;
  const res = await api(t.url, 'POST', '/v1/comments', {
    key: secretKey,
    body: serverComment({
      body: over.body ?? `Comment number ${n} about the council budget and the new library opening hours.`,
      author: { name: 'Jane Reader', email: over.email ?? 'jane@example.com', ...(over.verified ? { verified: true } : {}) },
      client: { ip: over.ip ?? '198.51.100.7', userAgent: 'Mozilla/5.0', referrer: 'https://news.example/article-1' },
    }),
  });
  expect(res.status).toBe(201);
  return res.json as { id: string; status: string; reasons: string[] };
}

const act = (token: string, commentId: string, body: Record<string, unknown>) =>
  api(t.url, 'POST', `/v1/review/${commentId}/author`, { key: token, body });

describe('author actions', () => {
  it('when a moderator bans an e-mail, then the next comment is rejected with author_banned, the ban is listed and audited, and lifting it lets comments through', async () => {
    const { site, token } = await setup();
    const first = await post(site.secretKey, { email: 'troll@example.com' });
    const ban = await act(token, first.id, { action: 'ban', email: true, reason: 'repeated insults' });
    expect(ban.status).toBe(201);
    expect(ban.json.actions).toEqual([expect.objectContaining({ action: 'ban', subject: 'email', reason: 'repeated insults', by: expect.objectContaining({ name: 'Ann' }) })]);

    const next = await post(site.secretKey, { email: 'troll@example.com', ip: '203.0.113.50' });
    expect(next.status).toBe('rejected');
    expect(next.reasons).toContain('author_banned');
    // Another author from the same IP is not touched by an e-mail ban.
    expect((await post(site.secretKey, { email: 'other@example.com' })).status).toBe('approved');

    const list = await api(t.url, 'GET', `/v1/review/author-actions?siteId=${site.siteId}`, { key: token });
    expect(list.json.actions).toEqual([expect.objectContaining({ action: 'ban', target: expect.stringMatching(/^email:[0-9a-f]{32}$/) })]);
    const panel = await api(t.url, 'GET', `/v1/review/${next.id}/author`, { key: token });
    expect(panel.json.email).toMatchObject({ active: { action: 'ban' }, log: [expect.objectContaining({ action: 'ban' })] });
    expect(panel.json.ip.active).toBeUndefined();

    const lift = await api(t.url, 'POST', '/v1/review/author-actions/lift', { key: token, body: { siteId: site.siteId, target: list.json.actions[0].target, reason: 'apologised' } });
    expect(lift.status).toBe(200);
    expect(lift.json.lifted).toEqual([expect.objectContaining({ action: 'ban' })]);
    expect((await post(site.secretKey, { email: 'troll@example.com' })).status).toBe('approved');
    expect((await api(t.url, 'GET', `/v1/review/author-actions?siteId=${site.siteId}`, { key: token })).json.actions).toEqual([]);

    const audit = await api(t.url, 'GET', `/v1/review/audit?siteId=${site.siteId}`, { key: token });
    const authorEntries = audit.json.entries.filter((e: { action: string }) => e.action === 'author');
    expect(authorEntries.map((e: { decision: string }) => e.decision)).toEqual(['lift', 'ban']);
    expect(authorEntries[1]).toMatchObject({ commentId: first.id, note: 'repeated insults', from: { status: 'none' }, to: { status: 'ban' }, author: { subject: 'email' } });
  });

  it('when a moderator bans an IP, then a comment from it under another e-mail is rejected too', async () => {
    const { site, token } = await setup();
    const first = await post(site.secretKey, { email: 'a@example.com', ip: '203.0.113.9' });
    expect((await act(token, first.id, { action: 'ban', ip: true, reason: 'sock puppets' })).status).toBe(201);
    const next = await post(site.secretKey, { email: 'b@example.com', ip: '203.0.113.9' });
    expect(next).toMatchObject({ status: 'rejected', reasons: expect.arrayContaining(['author_banned']) });
  });

  it('when an author is suspended for 2 days, then comments are rejected with author_suspended until the end, and accepted after', async () => {
    const { site, token } = await setup();
    const first = await post(site.secretKey, { email: 'hot@example.com' });
    const s = await act(token, first.id, { action: 'suspend', days: 2, email: true, ip: true, reason: 'cool off' });
    expect(s.status).toBe(201);
    expect(s.json.actions).toHaveLength(2);
    const until = Date.parse(s.json.actions[0].until);
    expect(until - Date.now()).toBeGreaterThan(2 * 86400e3 - 60e3);
    expect((await post(site.secretKey, { email: 'hot@example.com' })).reasons).toContain('author_suspended');
    // The pipeline's clock decides the end, not Redis's TTL: move it just past the suspension.
    t.service.ctx.moderation.now = () => new Date(until + 1000);
    try {
      expect((await post(site.secretKey, { email: 'hot@example.com' })).status).toBe('approved');
    } finally {
      delete t.service.ctx.moderation.now;
    }
  });

  it('when a moderator trusts a signed-in author, then their comments skip pre-moderation and borderline review, but a blocked word still rejects them', async () => {
    const { site, token } = await setup({
      moderation: 'pre', blocked: { words: ['forbiddenword'] },
      thresholds: { spam: { review: 0, reject: 1 }, toxicity: { review: 0, reject: 1 } },
    });
    const first = await post(site.secretKey, { email: 'regular@example.com', verified: true });
    expect(first.status).toBe('pending');
    expect((await act(token, first.id, { action: 'trust', reason: 'long-standing reader' })).status).toBe(201);
    const next = await post(site.secretKey, { email: 'regular@example.com', verified: true });
    expect(next).toMatchObject({ status: 'approved', reasons: expect.arrayContaining(['trusted_author']) });
    const bad = await post(site.secretKey, { email: 'regular@example.com', verified: true, body: 'This one says forbiddenword on purpose.' });
    expect(bad).toMatchObject({ status: 'rejected', reasons: expect.arrayContaining(['blocked_word']) });
    // The same address typed into a form is another identity: it gets no trust.
    expect((await post(site.secretKey, { email: 'regular@example.com' })).status).toBe('pending');

    const lift = await act(token, first.id, { action: 'lift', reason: 'done' });
    expect(lift.json.lifted).toEqual([expect.objectContaining({ action: 'trust' })]);
    expect((await post(site.secretKey, { email: 'regular@example.com', verified: true })).status).toBe('pending');
  });

  it('when a ban is taken on one site, then the same e-mail and IP on another site are untouched, and its moderator cannot act on the other site', async () => {
    const a = await setup();
    const b = await setup();
    const onA = await post(a.site.secretKey, { email: 'x@example.com', ip: '203.0.113.77' });
    expect((await act(a.token, onA.id, { action: 'ban', email: true, ip: true, reason: 'spam' })).status).toBe(201);
    expect((await post(a.site.secretKey, { email: 'x@example.com', ip: '203.0.113.77' })).status).toBe('rejected');
    const onB = await post(b.site.secretKey, { email: 'x@example.com', ip: '203.0.113.77' });
    expect(onB.status).toBe('approved');
    const cross = await act(a.token, onB.id, { action: 'ban', email: true, reason: 'spam' });
    expect(cross.status).toBe(404);
    expect((await act(a.token, onB.id, { action: 'ban', email: true, reason: 'spam', siteId: b.site.siteId })).status).toBe(403);
    expect((await api(t.url, 'GET', `/v1/review/author-actions?siteId=${b.site.siteId}`, { key: a.token })).status).toBe(403);
    expect(await keysMatching(t.redis, `vigil:{${b.site.siteId}}:author-action*`)).toEqual([]);
  });

  it('when the input is bad, then the answer is one clear 4xx and nothing is stored', async () => {
    const { site, token } = await setup();
    const c = await post(site.secretKey, { email: 'someone@example.com' });
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ action: 'suspend', email: true, reason: 'x' }, 422, 'validation_failed'],
      [{ action: 'suspend', days: 0, email: true, reason: 'x' }, 422, 'validation_failed'],
      [{ action: 'suspend', days: 366, email: true, reason: 'x' }, 422, 'validation_failed'],
      [{ action: 'suspend', days: 1.5, email: true, reason: 'x' }, 422, 'validation_failed'],
      [{ action: 'ban', email: true, reason: '   ' }, 422, 'validation_failed'],
      [{ action: 'ban', email: true, reason: 'x'.repeat(501) }, 422, 'validation_failed'],
      [{ action: 'ban', reason: 'no identity chosen' }, 422, 'validation_failed'],
      [{ action: 'ban', days: 3, email: true, reason: 'days on a ban' }, 422, 'validation_failed'],
      [{ action: 'trust', ip: true, reason: 'by ip' }, 422, 'validation_failed'],
      [{ action: 'trust', reason: 'typed e-mail' }, 422, 'author_unverified'],
      [{ action: 'delete', email: true, reason: 'x' }, 422, 'validation_failed'],
      [{ action: 'lift' }, 404, 'not_found'],
    ];
    for (const [body, status, code] of cases) {
      const res = await act(token, c.id, body);
      expect({ body, status: res.status, code: res.json.code }).toEqual({ body, status, code });
    }
    const badTarget = await api(t.url, 'POST', '/v1/review/author-actions/lift', { key: token, body: { siteId: site.siteId, target: 'email:../../x' } });
    expect(badTarget.status).toBe(422);
    expect((await api(t.url, 'POST', `/v1/review/${c.id}/author`, { body: { action: 'ban', email: true, reason: 'x' } })).status).toBe(401);
    expect(await keysMatching(t.redis, `vigil:{${site.siteId}}:author-action*`)).toEqual([]);
    const audit = await api(t.url, 'GET', `/v1/review/audit?siteId=${site.siteId}`, { key: token });
    expect(audit.json.entries).toEqual([]);
  });

  it('when an author was blocked with a decision, then the panel shows it and lifting removes that block too', async () => {
    const { site, token } = await setup({ moderation: 'pre' });
    const c = await post(site.secretKey, { email: 'blocked@example.com' });
    const d = await api(t.url, 'POST', `/v1/review/${c.id}/decision`, { key: token, body: { decision: 'reject', block: { email: true } } });
    expect(d.status).toBe(200);
    expect((await api(t.url, 'GET', `/v1/review/${c.id}/author`, { key: token })).json.email.blockedByDecision).toBe(true);
    const lift = await act(token, c.id, { action: 'lift', email: true, reason: 'mistake' });
    expect(lift.json.lifted).toEqual([expect.objectContaining({ block: true })]);
    expect((await post(site.secretKey, { email: 'blocked@example.com' })).reasons).not.toContain('blocked_email');
  });
});
