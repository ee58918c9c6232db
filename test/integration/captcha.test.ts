import { CaptchaChallenge, issueCaptcha } from '../../src/captcha/issue';
import { MAX_FAILURES } from '../../src/captcha/captcha-store';
import { readPowToken, signPowToken, solvePow } from '../../src/captcha/pow';
import { prepareCaptcha } from '../../src/captcha/prepared';
import { getSite } from '../../src/sites/site-store';
import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ METRICS_TOKEN: 'metrics-token-0123456789abcdef', METRICS_PER_SITE: 'true' }, { workers: false });
});
afterAll(() => t.close());

/** A browser comment (site key) with this captcha answer. */
const post = (siteKey: string, captcha?: { id: string; answer: string }) =>
  api(t.url, 'POST', '/v1/comments', { key: siteKey, body: serverComment({ captcha, renderedAt: new Date(Date.now() - 60000).toISOString() }) });

/** Issues an svg captcha in-process with the real renderer, keeping the answer the test needs. */
async function svgCaptchaWithAnswer(siteId: string, now = Date.now()) {
  let answer = '';
  const deps = { ...depsOf(), prepare: () => { const p = prepareCaptcha(); answer = p.answer; return p; } };
  const c = JSON.parse((await issueCaptcha(deps, (await getSite(t.redis, siteId))!, '', now)).toString()) as CaptchaChallenge;
  if (c.type !== 'svg') throw new Error('expected svg');
  return { id: c.id, answer };
}

const depsOf = () => ({ redis: t.redis, secret: t.service.ctx.moderation.secret, ttlSeconds: 300 });

async function metric(siteId: string, mode: string, outcome: string): Promise<number> {
  const text = (await api(t.url, 'GET', '/metrics', { key: 'metrics-token-0123456789abcdef' })).text;
  const m = text.match(new RegExp(`vigil_captcha_total\\{site="${siteId}",mode="${mode}",outcome="${outcome}"\\} (\\d+)`));
  return m ? Number(m[1]) : 0;
}

describe('svg captchas', () => {
  it('when POST /v1/captchas is called, then it serves a hardened svg with no path per character', async () => {
    const site = await t.site({ captcha: 'svg' });
    const res = await api(t.url, 'POST', '/v1/captchas', { key: site.siteKey });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ type: 'svg', id: expect.any(String), expiresAt: expect.any(String) });
    expect(res.json.svg).toMatch(/^<svg /);
    expect((res.json.svg.match(/<path fill="#/g) ?? []).length).toBeLessThan(5);
  });

  it('when the right answer is given, then the comment passes; when replayed, then captcha_invalid', async () => {
    const site = await t.site({ captcha: 'svg' });
    const c = await svgCaptchaWithAnswer(site.siteId);
    const ok = await post(site.siteKey, { id: c.id, answer: c.answer.toUpperCase() });
    expect(ok.status).toBe(201);
    const replay = await post(site.siteKey, { id: c.id, answer: c.answer });
    expect(replay.json.code).toBe('captcha_invalid');
    expect(await metric(site.siteId, 'svg', 'solved')).toBe(1);
    expect(await metric(site.siteId, 'svg', 'failed')).toBe(1);
  });

  it('when a captcha of one site is answered on another, then captcha_invalid', async () => {
    const a = await t.site({ captcha: 'svg' });
    const b = await t.site({ captcha: 'svg' });
    const c = await svgCaptchaWithAnswer(a.siteId);
    expect((await post(b.siteKey, c)).json.code).toBe('captcha_invalid');
  });

  it('when the captcha has expired, then captcha_expired even with the right answer', async () => {
    const site = await t.site({ captcha: 'svg' });
    const c = await svgCaptchaWithAnswer(site.siteId, Date.now() - 301_000);
    expect((await post(site.siteKey, c)).json.code).toBe('captcha_expired');
    expect(await metric(site.siteId, 'svg', 'expired')).toBe(1);
  });

  it(`when one client gives ${MAX_FAILURES} wrong answers, then it gets no more captchas (brute force)`, async () => {
    const site = await t.site({ captcha: 'svg', rateLimits: { captchasPerIpPerMinute: 1000, commentsPerIpPerMinute: 1000 } });
    for (let i = 0; i < MAX_FAILURES; i++) {
      const c = await api(t.url, 'POST', '/v1/captchas', { key: site.siteKey });
      expect(c.status).toBe(201);
      expect((await post(site.siteKey, { id: c.json.id, answer: 'xxxxx' })).json.code).toBe('captcha_invalid');
    }
    const refused = await api(t.url, 'POST', '/v1/captchas', { key: site.siteKey });
    expect(refused.status).toBe(429);
    expect(refused.json.code).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('proof-of-work captchas', () => {
  async function powChallenge(siteKey: string) {
    const res = await api(t.url, 'POST', '/v1/captchas', { key: siteKey });
    expect(res.status).toBe(201);
    return res.json as { id: string; type: 'pow'; pow: { algorithm: string; salt: string; difficulty: number } };
  }

  it('when the browser sends a solution, then the comment passes, once', async () => {
    const site = await t.site({ captcha: 'pow', powDifficulty: 10 });
    const c = await powChallenge(site.siteKey);
    expect(c).toMatchObject({ type: 'pow', pow: { algorithm: 'SHA-256', difficulty: 10 } });
    const answer = solvePow(c.pow.salt, c.pow.difficulty);
    expect((await post(site.siteKey, { id: c.id, answer })).status).toBe(201);
    expect((await post(site.siteKey, { id: c.id, answer })).json.code).toBe('captcha_invalid');
    expect(await metric(site.siteId, 'pow', 'issued')).toBe(1);
    expect(await metric(site.siteId, 'pow', 'solved')).toBe(1);
    expect(await metric(site.siteId, 'pow', 'failed')).toBe(1);
  });

  it('when one solved challenge is sent with several comments at once, then exactly one passes and the rest count as failures', async () => {
    const site = await t.site({ captcha: 'pow', powDifficulty: 8 });
    const c = await powChallenge(site.siteKey);
    const answer = solvePow(c.pow.salt, c.pow.difficulty);
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(site.siteKey, { id: c.id, answer })));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 403, 403, 403, 403, 403]);
    expect(await metric(site.siteId, 'pow', 'solved')).toBe(1);
    expect(await metric(site.siteId, 'pow', 'failed')).toBe(5);
  });

  it('when the solution is wrong, then captcha_invalid and the challenge is spent', async () => {
    const site = await t.site({ captcha: 'pow', powDifficulty: 12 });
    const c = await powChallenge(site.siteKey);
    const good = solvePow(c.pow.salt, c.pow.difficulty);
    expect((await post(site.siteKey, { id: c.id, answer: String(Number(good) + 1) })).json.code).toBe('captcha_invalid');
    expect((await post(site.siteKey, { id: c.id, answer: good })).json.code).toBe('captcha_invalid');
  });

  it('when the token is tampered with (lower difficulty) or from another site, then captcha_invalid', async () => {
    const a = await t.site({ captcha: 'pow', powDifficulty: 20 });
    const b = await t.site({ captcha: 'pow', powDifficulty: 8 });
    const c = await powChallenge(a.siteKey);
    const [prefix, body, sig] = c.id.split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    claims[2] = 1;
    const forged = `${prefix}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`;
    expect((await post(a.siteKey, { id: forged, answer: solvePow(c.pow.salt, 1) })).json.code).toBe('captcha_invalid');
    const other = await powChallenge(b.siteKey);
    expect((await post(a.siteKey, { id: other.id, answer: solvePow(other.pow.salt, 8) })).json.code).toBe('captcha_invalid');
  });

  it('when the challenge has expired, then captcha_expired', async () => {
    const site = await t.site({ captcha: 'pow', powDifficulty: 8 });
    const secret = t.service.ctx.moderation.secret;
    const token = signPowToken(secret, { siteId: site.siteId, id: 'old-challenge', difficulty: 8, expiresAt: Date.now() - 1000, client: '' });
    expect(readPowToken(secret, token)?.siteId).toBe(site.siteId);
    expect((await post(site.siteKey, { id: token, answer: solvePow('old-challenge', 8) })).json.code).toBe('captcha_expired');
    expect(await metric(site.siteId, 'pow', 'expired')).toBe(1);
  });

  it('when the site has captchas off, then POST /v1/captchas says so', async () => {
    const site = await t.site({ captcha: 'off' });
    expect((await api(t.url, 'POST', '/v1/captchas', { key: site.siteKey })).json).toEqual({ type: 'off' });
  });
});
