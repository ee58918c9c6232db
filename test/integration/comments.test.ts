import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('POST /v1/comments', () => {
  it('when a server posts a clean comment, then it is approved, stored and readable', async () => {
    const site = await t.site({ captcha: 'off' });
    const res = await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment() });
    expect(res.status).toBe(201);
    expect(res.json.status).toBe('approved');
    expect(typeof res.json.scores.spam).toBe('number');
    // Every score in the answer, the toxicity attributes included, has the same 4 decimals.
    const all = [res.json.scores.spam, res.json.scores.toxicity, ...Object.values(res.json.scores.attributes ?? {})] as number[];
    expect(all.length).toBeGreaterThan(2);
    for (const v of all) expect(Math.round(v * 10000) / 10000).toBe(v);
    const back = await api(t.url, 'GET', `/v1/comments/${res.json.id}`, { key: site.secretKey });
    expect(back.status).toBe(200);
    expect(back.json.body).toContain('council budget');
    expect(back.json.author.email).toBe('j***@example.com');
    const thread = await api(t.url, 'GET', '/v1/threads/article-1/comments?status=approved', { key: site.secretKey });
    expect(thread.json.comments.map((c: { id: string }) => c.id)).toEqual([res.json.id]);
  });

  it('when a comment is obvious spam, then it is not approved and the reasons say why', async () => {
    const site = await t.site();
    const body = 'WINNER!! You have won a FREE prize, claim your cash now, call 09061701461, text WIN to 80086 http://freeprize.example';
    const res = await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment({ body }) });
    expect(res.status).toBe(201);
    expect(res.json.status).not.toBe('approved');
    expect(res.json.reasons.join(' ')).toMatch(/spam/);
  });

  it('when the same Idempotency-Key is retried, then the first answer comes back and only one comment exists', async () => {
    const site = await t.site();
    const headers = { 'idempotency-key': 'retry-123' };
    const a = await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment({ threadId: 'idem' }), headers });
    const b = await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment({ threadId: 'idem' }), headers });
    expect(b.status).toBe(201);
    expect(b.json.id).toBe(a.json.id);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    const thread = await api(t.url, 'GET', `/v1/threads/idem/comments?status=${a.json.status}`, { key: site.secretKey });
    expect(thread.json.comments).toHaveLength(1);
  });
});
