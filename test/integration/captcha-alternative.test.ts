import { POW_SVG_ALTERNATIVE_EXTRA_BITS } from '../../src/captcha/alternative';
import { captchaStats } from '../../src/captcha/captcha-store';
import { solvePow } from '../../src/captcha/pow';
import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';

/**
 * The accessible alternative to the image (POST /v1/captchas?alternative=pow): a reader who cannot read it verifies
 * with proof of work instead, on sites in svg and pow+svg mode, and nothing else gets past the image that way.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { workers: false });
});
afterAll(() => t.close());

interface PowAnswer { id: string; type: string; pow: { salt: string; difficulty: number }; alternative?: boolean }
const ask = async (siteKey: string, query = '?alternative=pow') => api(t.url, 'POST', `/v1/captchas${query}`, { key: siteKey });
const post = (siteKey: string, captcha: { id: string; answer: string; pow?: string }) =>
  api(t.url, 'POST', '/v1/comments', { key: siteKey, body: serverComment({ captcha }) });

describe('verifying without the image', () => {
  it.each(['svg', 'pow+svg'] as const)('when a %s site is asked for the alternative, then a solved proof of work alone lets the comment in, once', async (mode) => {
    const site = await t.site({ captcha: mode, powDifficulty: 8, minFillTimeMs: 0 });
    const res = await ask(site.siteKey);
    expect(res.status).toBe(201);
    const c = res.json as PowAnswer;
    // On pow+svg the image is a second factor the site chose: skipping it costs more work (captcha/alternative.ts).
    expect(c).toMatchObject({ type: 'pow', alternative: true, pow: { difficulty: mode === 'pow+svg' ? 8 + POW_SVG_ALTERNATIVE_EXTRA_BITS : 8 } });
    expect(c.pow.salt.startsWith('~')).toBe(true);
    const answer = { id: c.id, answer: solvePow(c.pow.salt, c.pow.difficulty) };
    expect((await post(site.siteKey, answer)).status).toBe(201);
    const again = await post(site.siteKey, answer);
    expect(again.status).toBe(403);
    expect(again.json.code).toBe('captcha_invalid');
    expect((await captchaStats(t.redis, site.siteId)).pow).toMatchObject({ issued: 1, solved: 1 });
  });

  it('when a pow+svg challenge is answered with its proof of work but not its image, then it is refused, also after the image was burnt', async () => {
    const site = await t.site({ captcha: 'pow+svg', powDifficulty: 8, minFillTimeMs: 0 });
    const c = (await ask(site.siteKey, '')).json as PowAnswer;
    expect(c.type).toBe('pow+svg');
    const work = solvePow(c.pow.salt, c.pow.difficulty);
    expect((await post(site.siteKey, { id: c.id, answer: 'WRONG1', pow: work })).json.code).toBe('captcha_invalid');
    // The image is gone now; the token must not pass as if it were an alternative challenge.
    expect((await post(site.siteKey, { id: c.id, answer: work })).json.code).toMatch(/^captcha_(invalid|expired)$/);
    expect((await post(site.siteKey, { id: c.id, answer: work, pow: work })).json.code).toMatch(/^captcha_(invalid|expired)$/);
  });

  it("when another site's alternative challenge is answered, or the query asks for something else, then it is refused", async () => {
    const a = await t.site({ captcha: 'svg', powDifficulty: 8, minFillTimeMs: 0 });
    const b = await t.site({ captcha: 'svg', powDifficulty: 8, minFillTimeMs: 0 });
    const c = (await ask(a.siteKey)).json as PowAnswer;
    const res = await post(b.siteKey, { id: c.id, answer: solvePow(c.pow.salt, c.pow.difficulty) });
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('captcha_invalid');
    const odd = await ask(a.siteKey, '?alternative=audio');
    expect(odd.status).toBe(422);
    expect(odd.json.errors).toEqual([{ path: 'alternative', message: 'must be pow' }]);
  });

  it('when a site already uses proof of work or no captcha, then the alternative is simply its usual challenge', async () => {
    const pow = await t.site({ captcha: 'pow', powDifficulty: 8 });
    expect((await ask(pow.siteKey)).json).toMatchObject({ type: 'pow' });
    expect((await ask(pow.siteKey)).json.alternative).toBeUndefined();
    const off = await t.site({ captcha: 'off' });
    expect((await ask(off.siteKey)).json).toEqual({ type: 'off' });
  });
});
