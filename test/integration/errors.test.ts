import { keys } from '../../src/infra/keys';
import { api, serverComment, startTestApp, TestApp, keysMatching } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

function expectProblem(res: { status: number; headers: Headers; json: any }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.json).toMatchObject({ status, code, type: `urn:vigil:error:${code}` });
  expect(typeof res.json.detail).toBe('string');
}

async function countComments(siteId: string): Promise<number> {
  return (await keysMatching(t.redis, `vigil:{${siteId}}:comment:*`)).length;
}

describe('every documented error code', () => {
  it('when the body is not JSON, then invalid_json and nothing is stored', async () => {
    const site = await t.site();
    const res = await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, raw: '{"threadId": ', headers: { 'content-type': 'application/json' } });
    expectProblem(res, 400, 'invalid_json');
    expect(await countComments(site.siteId)).toBe(0);
  });

  it('when fields are wrong, then validation_failed lists each field', async () => {
    const site = await t.site();
    const res = await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment({ body: '   ', author: { name: 'x', email: 'not-an-email' } }) });
    expectProblem(res, 422, 'validation_failed');
    const paths = res.json.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body', 'author.email']));
    expect(await countComments(site.siteId)).toBe(0);
  });

  it('when a body is over 10,000 characters, then validation_failed', async () => {
    const site = await t.site();
    const res = await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment({ body: 'a'.repeat(10001) }) });
    expectProblem(res, 422, 'validation_failed');
  });

  it('when a browser posts without a captcha, then captcha_required', async () => {
    const site = await t.site({ captcha: 'svg' });
    const res = await api(t.url, 'POST', '/v1/comments', { key: site.siteKey, body: serverComment() });
    expectProblem(res, 403, 'captcha_required');
  });

  it('when the captcha answer is wrong, then captcha_invalid, and the captcha is spent', async () => {
    const site = await t.site({ captcha: 'svg' });
    const cap = await api(t.url, 'POST', '/v1/captchas', { key: site.siteKey });
    expect(cap.status).toBe(201);
    const wrong = await api(t.url, 'POST', '/v1/comments', { key: site.siteKey, body: serverComment({ captcha: { id: cap.json.id, answer: 'nope!' } }) });
    expectProblem(wrong, 403, 'captcha_invalid');
    expect(await t.redis.exists(keys.captcha(site.siteId, cap.json.id))).toBe(0);
    expect(await countComments(site.siteId)).toBe(0);
  });

  it('when the captcha has expired, then captcha_expired', async () => {
    const site = await t.site({ captcha: 'svg' });
    const cap = await api(t.url, 'POST', '/v1/captchas', { key: site.siteKey });
    // Age the stored captcha instead of waiting out its lifetime.
    const key = keys.captcha(site.siteId, cap.json.id);
    const stored = (await t.redis.get(key))!;
    await t.redis.set(key, stored.replace(/^\d+/, String(Date.now() - 1000)), 'KEEPTTL');
    const res = await api(t.url, 'POST', '/v1/comments', { key: site.siteKey, body: serverComment({ captcha: { id: cap.json.id, answer: 'abcde' } }) });
    expectProblem(res, 403, 'captcha_expired');
  });

  it('when one IP posts past the limit, then rate_limited with Retry-After', async () => {
    const site = await t.site({ rateLimits: { commentsPerIpPerMinute: 2 } });
    for (let i = 0; i < 2; i++) {
      const ok = await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment({ body: `Comment number ${i} about the park plan.` }) });
      expect(ok.status).toBe(201);
    }
    const res = await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment({ body: 'One more comment about the park.' }) });
    expectProblem(res, 429, 'rate_limited');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await countComments(site.siteId)).toBe(2);
  });

  it('when no key or a bad key is sent, then unauthorized', async () => {
    expectProblem(await api(t.url, 'POST', '/v1/comments', { body: serverComment() }), 401, 'unauthorized');
    expectProblem(await api(t.url, 'POST', '/v1/comments', { key: 'sk_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', body: serverComment() }), 401, 'unauthorized');
  });

  it('when a site key reads comments or comes from a foreign origin, then forbidden', async () => {
    const site = await t.site({ captcha: 'off' });
    expectProblem(await api(t.url, 'GET', '/v1/threads/a/comments', { key: site.siteKey }), 403, 'forbidden');
    const foreign = await api(t.url, 'POST', '/v1/comments', { key: site.siteKey, body: serverComment(), headers: { origin: 'https://evil.example' } });
    expectProblem(foreign, 403, 'forbidden');
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('when a site uses another site\'s comment id, then not_found', async () => {
    const a = await t.site();
    const b = await t.site();
    const made = await api(t.url, 'POST', '/v1/comments', { key: a.secretKey, body: serverComment() });
    expectProblem(await api(t.url, 'GET', `/v1/comments/${made.json.id}`, { key: b.secretKey }), 404, 'not_found');
    expectProblem(await api(t.url, 'GET', '/v1/nothing-here'), 404, 'not_found');
  });

  it('when the body is over 64 KB, then payload_too_large', async () => {
    const site = await t.site();
    const res = await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, raw: JSON.stringify({ body: 'x'.repeat(70 * 1024) }), headers: { 'content-type': 'application/json' } });
    expectProblem(res, 413, 'payload_too_large');
  });

  it('when the body is not JSON by content type, then unsupported_media_type', async () => {
    const site = await t.site();
    const res = await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, raw: 'body=hello', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expectProblem(res, 415, 'unsupported_media_type');
  });

  it('when an Idempotency-Key is reused with another body, then conflict', async () => {
    const site = await t.site();
    const headers = { 'idempotency-key': 'same-key' };
    expect((await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment(), headers })).status).toBe(201);
    const res = await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment({ body: 'A different comment.' }), headers });
    expectProblem(res, 409, 'conflict');
  });
});
