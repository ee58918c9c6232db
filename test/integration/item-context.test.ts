import { api, keysMatching, serverComment, startTestApp, TestApp } from '../helpers/test-app';
import { createModerator } from '../../src/sites/moderator-store';
import type { PolicyPatch } from '../../src/sites/policy';
import { keys } from '../../src/infra/keys';
import { LAST_TEXT, PARENT_TEXT } from '../../src/review/item-context';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const lenient: PolicyPatch = { captcha: 'off', minFillTimeMs: 0, rateLimits: { commentsPerIpPerMinute: 1000, commentsPerEmailPerHour: 1000 } };
const ORIGIN = 'http://localhost:3000';

async function setup(policy: PolicyPatch = {}) {
  const site = await t.site({ ...lenient, ...policy }, [ORIGIN]);
  const mod = await createModerator(t.redis, { name: 'Ann', role: 'moderator', siteIds: [site.siteId] });
  return { site, token: mod.token };
}

let n = 0;
async function post(key: string, over: Record<string, unknown> = {}, browser = false) {
  n++;
  const body = serverComment({ body: `Comment number ${n} about the council budget and the new library opening hours.`, ...over });
  if (browser) delete (body as { client?: unknown }).client;
  return api(t.url, 'POST', '/v1/comments', { key, body, ...(browser ? { headers: { origin: ORIGIN } } : {}) });
}
async function posted(key: string, over: Record<string, unknown> = {}, browser = false) {
  const res = await post(key, over, browser);
  expect(res.status).toBe(201);
  return res.json as { id: string; status: string };
}
const item = (token: string, id: string) => api(t.url, 'GET', `/v1/review/${id}`, { key: token });

describe('review item context', () => {
  it('when comments of a thread carry its title and url, then they are stored once and the item shows the first ones', async () => {
    const { site, token } = await setup({ moderation: 'pre' });
    await posted(site.secretKey, { threadId: 'budget', thread: { title: 'Council passes the budget', url: 'https://news.example/budget' } });
    const second = await posted(site.secretKey, { threadId: 'budget', thread: { title: 'A later headline', url: 'https://news.example/budget-v2' } });
    const third = await posted(site.secretKey, { threadId: 'budget' });
    expect(await t.redis.hgetall(keys.threadInfo(site.siteId, 'budget'))).toEqual({
      server: JSON.stringify({ title: 'Council passes the budget', url: 'https://news.example/budget' }),
    });
    for (const id of [second.id, third.id]) {
      expect((await item(token, id)).json.thread).toEqual({ title: 'Council passes the budget', url: 'https://news.example/budget', source: 'server' });
    }
    const claimed = await api(t.url, 'POST', '/v1/review/claim', { key: token });
    expect(claimed.json.item.thread).toMatchObject({ title: 'Council passes the budget' });
    // Threads are per site: another site's thread of the same id knows nothing of it.
    const other = await setup({ moderation: 'pre' });
    const elsewhere = await posted(other.site.secretKey, { threadId: 'budget' });
    expect((await item(other.token, elsewhere.id)).json.thread).toBeUndefined();
  });

  it("when a page's script names a thread first, then the site's server still wins, and a url off the site's origins is refused with nothing stored", async () => {
    const { site, token } = await setup({ moderation: 'pre' });
    const bad = await post(site.siteKey, { threadId: 'elections', thread: { title: 'Elections', url: 'https://phish.example/login' } }, true);
    expect(bad.status).toBe(422);
    expect(bad.json).toMatchObject({ code: 'validation_failed', errors: [{ path: 'thread.url' }] });
    expect(await t.redis.exists(keys.threadInfo(site.siteId, 'elections'))).toBe(0);
    expect(await t.redis.zcard(keys.pending(site.siteId))).toBe(0);

    const fromPage = await posted(site.siteKey, { threadId: 'elections', thread: { title: 'Fake title', url: `${ORIGIN}/elections` } }, true);
    expect((await item(token, fromPage.id)).json.thread).toEqual({ title: 'Fake title', url: `${ORIGIN}/elections`, source: 'browser' });
    await posted(site.secretKey, { threadId: 'elections', thread: { title: 'Election results', url: 'https://news.example/elections' } });
    expect((await item(token, fromPage.id)).json.thread).toEqual({ title: 'Election results', url: 'https://news.example/elections', source: 'server' });
  });

  it('when the thread info is malformed, then the comment is refused with a clear 422 and nothing is stored', async () => {
    const { site } = await setup({ moderation: 'pre' });
    const cases = [
      { title: 'x', url: 'javascript:alert(1)' },
      { url: 'ftp://news.example/a' },
      { title: 'x'.repeat(301) },
      { title: '   ' },
      { url: `https://news.example/${'a'.repeat(2000)}` },
      {},
      { title: 'ok', extra: 'field' },
      'a string',
    ];
    for (const thread of cases) {
      const res = await post(site.secretKey, { threadId: 'bad-input', thread });
      expect({ thread, status: res.status, code: res.json.code, path: res.json.errors?.[0]?.path }).toEqual({ thread, status: 422, code: 'validation_failed', path: expect.stringMatching(/^thread/) });
    }
    expect(await keysMatching(t.redis, `vigil:{${site.siteId}}:thread*`)).toEqual([]);
    expect(await t.redis.zcard(keys.pending(site.siteId))).toBe(0);
  });

  it('when a comment is rejected, then its thread info is not kept', async () => {
    const { site } = await setup({ blocked: { words: ['forbiddenword'] } });
    const c = await posted(site.secretKey, { threadId: 'rejected-first', body: 'This says forbiddenword.', thread: { title: 'Bot title' } });
    expect(c.status).toBe('rejected');
    expect(await t.redis.exists(keys.threadInfo(site.siteId, 'rejected-first'))).toBe(0);
  });

  it("when a comment replies to another, then the item shows the parent's author, text (cut) and status, from the same site only", async () => {
    const { site, token } = await setup();
    const longBody = `I think the library should open on Sundays. ${'The reading room is always full. '.repeat(30)}`;
    const parent = await posted(site.secretKey, { author: { name: 'Parent Poster', email: 'parent@example.com' }, body: longBody });
    expect(parent.status).toBe('approved');
    const reply = await posted(site.secretKey, { parentId: parent.id, author: { name: 'Replier', email: 'reply@example.com' } });
    const view = (await item(token, reply.id)).json;
    expect(view.parent).toMatchObject({ commentId: parent.id, author: { name: 'Parent Poster' }, status: 'approved', truncated: true });
    expect(view.parent.body).toHaveLength(PARENT_TEXT);
    expect(longBody.trim().startsWith(view.parent.body)).toBe(true);
    expect(view.parent.author.email).toBeUndefined();

    const other = await setup();
    const crossReply = await posted(other.site.secretKey, { parentId: parent.id });
    expect((await item(other.token, crossReply.id)).json.parent).toBeUndefined();
  });

  it("when an author has earlier comments, then the item lists the last five of this site with their outcome and cut text, never another site's", async () => {
    const { site, token } = await setup();
    const other = await setup();
    const elsewhere = await posted(other.site.secretKey, { author: { name: 'Jane Reader', email: 'regular@example.com' } });
    const earlier: string[] = [];
    for (let i = 0; i < 7; i++) {
      const c = await posted(site.secretKey, {
        author: { name: 'Jane Reader', email: 'regular@example.com' },
        body: `Earlier comment ${i}: ${'The council should publish the full budget tables online. '.repeat(8)}`,
      });
      expect(c.status).toBe('approved');
      earlier.push(c.id);
    }
    const policy = await api(t.url, 'PATCH', '/v1/site/policy', { key: site.secretKey, body: { moderation: 'pre' } });
    expect(policy.status).toBe(200);
    const held = await posted(site.secretKey, { author: { name: 'Jane Reader', email: 'regular@example.com' } });
    const claimed = await api(t.url, 'POST', '/v1/review/claim', { key: token });
    expect(claimed.json.item.commentId).toBe(held.id);
    const last = claimed.json.item.author.lastComments as Array<Record<string, unknown>>;
    expect(last.map((c) => c.commentId)).toEqual(earlier.slice(2).reverse());
    for (const c of last) {
      expect(c).toMatchObject({ outcome: 'auto_approved', status: 'approved', truncated: true, by: 'vigil' });
      expect((c.body as string).length).toBe(LAST_TEXT);
    }
    expect(last.map((c) => c.commentId)).not.toContain(elsewhere.id);
    expect(claimed.json.item.author.actions).toEqual({});
  });
});
