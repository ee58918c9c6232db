import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';
import { keys } from '../../src/infra/keys';

/** The readers' view of a thread (GET /v1/threads/:threadId/published) with the site key. */
let t: TestApp;
const ORIGIN = 'https://news.example';
beforeAll(async () => {
  t = await startTestApp({}, { workers: false });
});
afterAll(() => t.close());

const read = (key: string, thread: string, query = '', origin = ORIGIN) =>
  api(t.url, 'GET', `/v1/threads/${encodeURIComponent(thread)}/published${query}`, { key, headers: { origin } });

async function post(secretKey: string, over: Record<string, unknown> = {}) {
  const res = await api(t.url, 'POST', '/v1/comments', { key: secretKey, body: serverComment({ threadId: 'park', ...over }) });
  expect(res.status).toBe(201);
  return res.json as { id: string; status: string };
}

describe('published thread for readers', () => {
  it('when a thread has approved, held and rejected comments, then readers get only the approved ones, oldest first, with public fields only', async () => {
    const site = await t.site({ captcha: 'off', blocked: { words: ['freight'] } }, [ORIGIN]);
    const first = await post(site.secretKey, { author: { name: 'Ann', email: 'ann@example.com', url: 'https://ann.example' } });
    const reply = await post(site.secretKey, { parentId: first.id, author: { name: 'Bo', email: 'bo@example.com' }, body: 'Agreed, and the library hours matter just as much to families here.' });
    // The same text again soon after is held for review.
    const held = await post(site.secretKey, { author: { name: 'Cy', email: 'cy@example.com' } });
    expect(held.status).toBe('pending');
    const rejected = await post(site.secretKey, { body: 'The freight yard should have been sold.' });
    expect(rejected.status).toBe('rejected');
    const res = await read(site.siteKey, 'park');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.json).toEqual({
      comments: [
        { id: first.id, author: { name: 'Ann' }, body: expect.stringContaining('council budget'), createdAt: expect.any(String) },
        { id: reply.id, parentId: first.id, author: { name: 'Bo' }, body: expect.any(String), createdAt: expect.any(String) },
      ],
    });
    expect(res.text).not.toMatch(/example\.com|\*\*\*|198\.51|scores|reasons|ann\.example|Mozilla/);
  });

  it('when the thread is read a page at a time, then every comment comes once, including ones created in the same millisecond', async () => {
    const site = await t.site({ captcha: 'off', rateLimits: { commentsPerIpPerMinute: 100 } }, [ORIGIN]);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await post(site.secretKey, { body: `Comment ${i} on the park plan and the cycle path along the river.` })).id);
    // Two comments with the same creation time in the index: a cursor of time alone would skip one.
    await t.redis.zadd(keys.thread(site.siteId, 'park', 'approved'), 7, ids[3], 7, ids[4]);
    const seen: string[] = [];
    let cursor = '';
    for (let i = 0; i < 10; i++) {
      const res = await read(site.siteKey, 'park', `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.json.comments.map((c: { id: string }) => c.id));
      if (!res.json.next) break;
      cursor = res.json.next;
    }
    expect(seen.slice(0, 2).sort()).toEqual([ids[3], ids[4]].sort());
    expect(seen.slice(2)).toEqual(ids.slice(0, 3));
  });

  it("when another site's key or an origin the site does not allow asks, then it sees nothing of the thread", async () => {
    const a = await t.site({ captcha: 'off' }, [ORIGIN]);
    const b = await t.site({ captcha: 'off' }, [ORIGIN]);
    await post(a.secretKey);
    expect((await read(b.siteKey, 'park')).json).toEqual({ comments: [] });
    const wrong = await read(a.siteKey, 'park', '', 'https://evil.example');
    expect(wrong.status).toBe(403);
    expect(wrong.text).not.toMatch(/council/);
    expect((await read(a.siteKey, 'park', '?cursor=nope')).status).toBe(422);
    expect((await read(a.siteKey, 'park', '?limit=1000')).status).toBe(422);
  });
});
