import { api, startTestApp, TestApp } from '../helpers/test-app';
import { postComment } from '../helpers/comments';
import { createModerator } from '../../src/sites/moderator-store';
import type { PolicyPatch } from '../../src/sites/policy';

/** The review lists and their search: GET /v1/review/list, list claims, decisions from the decided lists. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ REVIEW_UNDO_SECONDS: '30' });
});
afterAll(() => t.close());

const lenient: PolicyPatch = { captcha: 'off', rateLimits: { commentsPerIpPerMinute: 1000, commentsPerEmailPerHour: 1000 } };
const pre: PolicyPatch = { ...lenient, moderation: 'pre', thresholds: { spam: { review: 0.5, reject: 1 }, toxicity: { review: 0.5, reject: 1 } } };

async function setup(policy: PolicyPatch = pre) {
  const site = await t.site(policy);
  const a = await createModerator(t.redis, { name: 'Ann', role: 'moderator', siteIds: [site.siteId] });
  const b = await createModerator(t.redis, { name: 'Bo', role: 'moderator', siteIds: [site.siteId] });
  return { site, a: a.token, b: b.token };
}

const post = (secretKey: string, over: Record<string, unknown> = {}) => postComment(t, secretKey, over);

const list = (token: string, query: string) => api(t.url, 'GET', `/v1/review/list?${query}`, { key: token });

/** Every id of a list, page by page, following the cursors. */
async function all(token: string, query: string, limit = 2): Promise<string[]> {
  const ids: string[] = [];
  let cursor = '';
  for (let pages = 0; pages < 50; pages++) {
    const r = await list(token, `${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(r.status).toBe(200);
    ids.push(...r.json.items.map((i: { commentId: string }) => i.commentId));
    if (!r.json.next) return ids;
    cursor = r.json.next;
  }
  throw new Error('too many pages');
}

describe('review lists', () => {
  it('when comments are pending, approved and rejected, then each list pages through its own, in the order asked, with counts', async () => {
    const { site, a } = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await post(site.secretKey, { createdAt: undefined })).id);
    const spammy = (await post(site.secretKey, { body: 'Buy cheap pills and watches now at http://cheap-deals.example, best prices, click here!!!' })).id;
    ids.push(spammy);
    const dec = (id: string, decision: string) => api(t.url, 'POST', `/v1/review/${id}/decision`, { key: a, body: { decision } });
    expect((await dec(ids[0], 'approve')).status).toBe(200);
    expect((await dec(ids[1], 'reject')).status).toBe(200);

    const newest = await all(a, 'queue=pending&order=newest');
    expect(newest).toEqual([spammy, ids[4], ids[3], ids[2]]);
    expect(await all(a, 'queue=pending&order=oldest', 3)).toEqual([ids[2], ids[3], ids[4], spammy]);
    const byScore = await all(a, 'queue=pending&order=score');
    expect(byScore[0]).toBe(spammy);
    expect(byScore.sort()).toEqual([...newest].sort());
    expect(await all(a, 'queue=approved')).toEqual([ids[0]]);
    expect(await all(a, 'queue=rejected')).toEqual([ids[1]]);

    const counts = await api(t.url, 'GET', '/v1/review/counts', { key: a });
    expect(counts.json.lists).toEqual({ pending: 4, reported: 0, approved: 1, rejected: 1 });
    const row = (await list(a, 'queue=pending')).json.items[0];
    expect(row).toMatchObject({ commentId: spammy, status: 'pending', needsReview: true, author: { name: 'Jane Reader', emailMasked: 'j***@example.com' } });
    expect(JSON.stringify(row)).not.toContain('jane@example.com');
  });

  it('when a moderator searches by article, author e-mail, name, text, reason and dates, then only matching comments come back, without the address', async () => {
    const { site, a } = await setup();
    const x = await post(site.secretKey, { threadId: 'budget-2027', author: { name: 'Olga  Petrova', email: 'Olga@Example.org' }, body: 'The harbour tunnel costs are missing from the budget tables.' });
    const y = await post(site.secretKey, { threadId: 'budget-2027', body: 'Will the library hours change next spring?' });
    const z = await post(site.secretKey, { threadId: 'tram-line', author: { name: 'Olga Petrova', email: 'olga@example.org' }, body: 'Trams to the harbour would help.' });
    const ids = async (q: string) => (await all(a, `queue=pending&${q}`, 5)).sort();

    expect(await ids('article=budget-2027')).toEqual([x.id, y.id].sort());
    const byMail = await list(a, 'queue=pending&author=OLGA%40example.org');
    expect(byMail.json.items.map((i: { commentId: string }) => i.commentId).sort()).toEqual([x.id, z.id].sort());
    expect(byMail.text.toLowerCase()).not.toContain('olga@example.org');
    expect(await ids('author=olga%20petrova')).toEqual([x.id, z.id].sort());
    expect(await ids('author=olga%40example.org&article=tram-line')).toEqual([z.id]);
    expect(await ids('text=HARBOUR')).toEqual([x.id, z.id].sort());
    expect(await ids('text=harbour&article=budget-2027')).toEqual([x.id]);
    expect(await ids('author=nobody%40example.org')).toEqual([]);
    const reason = (await api(t.url, 'GET', `/v1/comments/${y.id}`, { key: site.secretKey })).json.reasons[0] as string;
    expect(await ids(`reason=${reason}`)).toContain(y.id);
    expect(await ids('reason=no_such_reason')).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    expect(await ids(`from=${today}&to=${today}`)).toEqual([x.id, y.id, z.id].sort());
    expect(await ids('to=2001-01-01')).toEqual([]);
    expect((await all(a, 'queue=pending&order=score&author=olga%20petrova', 1)).sort()).toEqual([x.id, z.id].sort());
  });

  it('when a moderator of another site searches for this site\'s article, author or words, then nothing is found, and asking for the site is refused', async () => {
    const mine = await setup();
    const theirs = await setup();
    await post(mine.site.secretKey, { threadId: 'secret-article', author: { name: 'Vera Secret', email: 'vera@example.net' }, body: 'Only my site may see this unusual zanzibar sentence.' });
    for (const q of ['article=secret-article', 'author=vera%40example.net', 'author=vera%20secret', 'text=zanzibar', '']) {
      expect(await all(theirs.a, `queue=pending&${q}`, 5)).toEqual([]);
    }
    expect(await all(mine.a, 'queue=pending&text=zanzibar')).toHaveLength(1);
    const other = await list(theirs.a, `queue=pending&siteId=${mine.site.siteId}`);
    expect(other.status).toBe(403);
  });

  it('when a search matches rarely in a long list, then a page stops at the scan budget and says so, and the cursor goes on', async () => {
    const { site, a } = await setup();
    const redis = t.redis;
    const { keys } = await import('../../src/infra/keys');
    // A long list is faked in the index alone: ids without comments are pruned as they are read.
    const key = keys.reviewListByTime(site.siteId, 'pending');
    const args: Array<string | number> = [];
    for (let i = 0; i < 2500; i++) args.push(Date.now() - 100_000 + i, `ghost-${i}`);
    await redis.zadd(key, ...args);
    const rare = await post(site.secretKey, { body: 'The quokka paragraph is the only match.' });
    await redis.zadd(key, Date.now() - 200_000, rare.id);
    const first = await list(a, 'queue=pending&text=quokka');
    expect(first.json).toMatchObject({ items: [], partial: true, scanned: 2000 });
    const second = await list(a, `queue=pending&text=quokka&cursor=${encodeURIComponent(first.json.next)}`);
    expect(second.json.items.map((i: { commentId: string }) => i.commentId)).toEqual([rare.id]);
    expect(second.json.partial).toBe(false);
    expect(await redis.zrange(key, 0, -1)).toEqual([rare.id]);
  });

  it('when a reader reports a comment, then it is in its site\'s Reported list with its reasons, and in no other site\'s', async () => {
    const origin = 'https://news.example';
    const site = await t.site({ ...lenient, reports: { approvedThreshold: 1 } }, [origin]);
    const a = (await createModerator(t.redis, { name: 'Ann', role: 'moderator', siteIds: [site.siteId] })).token;
    const theirs = await setup();
    const c = await post(site.secretKey);
    const r = await api(t.url, 'POST', `/v1/comments/${c.id}/reports`, { key: site.siteKey, body: { reason: 'spam', reader: 'reader-token-aaaaaaaa' }, headers: { origin } });
    expect(r.status).toBe(201);
    const mine = await list(a, 'queue=reported');
    expect(mine.json.items).toMatchObject([{ commentId: c.id, reports: 1, reportReasons: { spam: 1 } }]);
    expect((await api(t.url, 'GET', '/v1/review/counts', { key: a })).json.lists.reported).toBe(1);
    expect((await list(theirs.a, 'queue=reported')).json.items).toEqual([]);
    expect((await list(theirs.a, `queue=reported&siteId=${site.siteId}`)).status).toBe(403);
  });

  it('when the query is malformed, then one clear 422 comes back', async () => {
    const { a } = await setup();
    for (const q of ['queue=everything', 'order=random', 'cursor=%7B%7D', 'from=yesterday', 'limit=1000', 'reason=a%20b', `text=${'x'.repeat(101)}`]) {
      const r = await list(a, q);
      expect([q, r.status, r.json.code]).toEqual([q, 422, 'validation_failed']);
    }
  });
});

describe('list claims and decided lists', () => {
  it('when a moderator opens a pending item from the list, then the other can neither open nor decide it nor get it from the queue, until it is handed back', async () => {
    const { site, a, b } = await setup();
    const only = await post(site.secretKey);
    const open = await api(t.url, 'POST', `/v1/review/${only.id}/claim`, { key: a });
    expect(open.status).toBe(200);
    expect(open.json.item.commentId).toBe(only.id);
    expect((await api(t.url, 'POST', `/v1/review/${only.id}/claim`, { key: b })).json.code).toBe('review_claimed');
    expect((await api(t.url, 'POST', `/v1/review/${only.id}/decision`, { key: b, body: { decision: 'approve' } })).json.code).toBe('review_claimed');
    expect((await api(t.url, 'POST', '/v1/review/claim', { key: b })).status).toBe(204);
    const rows = (await list(b, 'queue=pending')).json.items;
    expect(rows[0]).toMatchObject({ commentId: only.id, claimed: 'other' });
    expect((await list(a, 'queue=pending')).json.items[0].claimed).toBe('you');
    // Opening again renews the lease; extend works on a list claim too.
    expect((await api(t.url, 'POST', `/v1/review/${only.id}/claim`, { key: a })).status).toBe(200);
    expect((await api(t.url, 'POST', `/v1/review/${only.id}/extend`, { key: a })).status).toBe(200);

    expect((await api(t.url, 'POST', `/v1/review/${only.id}/release`, { key: a })).status).toBe(204);
    const back = await api(t.url, 'POST', '/v1/review/claim', { key: b });
    expect(back.status).toBe(200);
    expect(back.json.item.commentId).toBe(only.id);
    expect((await api(t.url, 'POST', `/v1/review/${only.id}/decision`, { key: b, body: { decision: 'approve' } })).status).toBe(200);
    expect((await api(t.url, 'POST', `/v1/review/${only.id}/claim`, { key: a })).json.code).toBe('already_decided');
  });

  it('when an approved comment is rejected from the Approved list, then it moves lists, and undo puts it back as approved, out of the queue', async () => {
    const { site, a } = await setup({ ...lenient, moderation: 'auto' });
    const c = await post(site.secretKey);
    expect(c.status).toBe('approved');
    expect(await all(a, 'queue=approved')).toEqual([c.id]);
    const view = await api(t.url, 'GET', `/v1/review/${c.id}/item`, { key: a });
    expect(view.json.item).toMatchObject({ commentId: c.id, status: 'approved' });
    expect(view.json.item.explanation).toBeDefined();

    // Without saying which status they saw, a decision on a decided comment is refused.
    expect((await api(t.url, 'POST', `/v1/review/${c.id}/decision`, { key: a, body: { decision: 'reject' } })).json.code).toBe('already_decided');
    expect((await api(t.url, 'POST', `/v1/review/${c.id}/decision`, { key: a, body: { decision: 'reject', from: 'rejected' } })).json.code).toBe('already_decided');
    const r = await api(t.url, 'POST', `/v1/review/${c.id}/decision`, { key: a, body: { decision: 'reject', from: 'approved', note: 'spotted late' } });
    expect(r.json.status).toBe('rejected');
    expect(await all(a, 'queue=approved')).toEqual([]);
    expect(await all(a, 'queue=rejected')).toEqual([c.id]);
    expect((await api(t.url, 'GET', `/v1/comments/${c.id}`, { key: site.secretKey })).json.status).toBe('rejected');

    expect((await api(t.url, 'POST', `/v1/review/${c.id}/undo`, { key: a })).status).toBe(200);
    expect((await api(t.url, 'GET', `/v1/comments/${c.id}`, { key: site.secretKey })).json.status).toBe('approved');
    expect(await all(a, 'queue=approved')).toEqual([c.id]);
    expect(await all(a, 'queue=pending')).toEqual([]);
    expect((await api(t.url, 'POST', '/v1/review/claim', { key: a })).status).toBe(204);

    const bulk = await api(t.url, 'POST', '/v1/review/decisions', { key: a, body: { decision: 'spam', from: 'approved', items: [{ commentId: c.id }] } });
    expect(bulk.json.results).toEqual([{ commentId: c.id, status: 'rejected' }]);
  });
});
