import { CaptchaChallenge, issueCaptcha } from '../../src/captcha/issue';
import { captchaStats } from '../../src/captcha/captcha-store';
import { solvePow } from '../../src/captcha/pow';
import { prepareCaptcha } from '../../src/captcha/prepared';
import { keys } from '../../src/infra/keys';
import { getSite } from '../../src/sites/site-store';
import { runVigil } from '../helpers/cli';
import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  process.env.REDIS_URL = process.env.TEST_REDIS_URL;
  t = await startTestApp({}, { workers: false });
});
afterAll(() => t.close());

const post = (siteKey: string, captcha?: { id: string; answer: string; pow?: string }) =>
  api(t.url, 'POST', '/v1/comments', { key: siteKey, body: serverComment({ captcha, renderedAt: new Date(Date.now() - 60000).toISOString() }) });

/** A pow+svg challenge issued in-process with the real renderer, keeping the image's answer the test needs. */
async function bothWithAnswer(siteId: string) {
  let answer = '';
  const deps = { redis: t.redis, secret: t.service.ctx.moderation.secret, ttlSeconds: 300, prepare: () => { const p = prepareCaptcha(); answer = p.answer; return p; } };
  const c = JSON.parse((await issueCaptcha(deps, (await getSite(t.redis, siteId))!)).toString()) as CaptchaChallenge;
  if (c.type !== 'pow+svg') throw new Error(`expected pow+svg, got ${c.type}`);
  return { c, answer, work: solvePow(c.pow.salt, c.pow.difficulty) };
}

describe('the captcha mode of a site', () => {
  it('when a site is created without naming a mode, then it asks for proof of work', async () => {
    const site = await t.site();
    expect((await getSite(t.redis, site.siteId))!.policy.captcha).toBe('pow');
    expect((await api(t.url, 'POST', '/v1/captchas', { key: site.siteKey })).json.type).toBe('pow');
  });

  it('when the CLI creates sites, then --captcha takes each mode and leaving it out gives pow', async () => {
    const create = async (...extra: string[]) => {
      const r = await runVigil(['sites', 'create', '--name', 'M', '--origin', 'https://m.example', ...extra, '--json']);
      expect(r.code).toBe(0);
      return (await getSite(t.redis, JSON.parse(r.out).siteId))!.policy.captcha;
    };
    expect(await create()).toBe('pow');
    for (const mode of ['pow+svg', 'svg', 'off', 'pow']) expect(await create('--captcha', mode)).toBe(mode);
    expect((await runVigil(['sites', 'create', '--name', 'M', '--origin', 'https://m.example', '--captcha', 'svg+pow'])).code).toBe(2);
  });

  it('when a site was stored before the new modes and fields existed, then it still reads and serves as before', async () => {
    const site = await t.site({ captcha: 'svg' });
    const stored = JSON.parse((await t.redis.hget(keys.site(site.siteId), 'policy'))!);
    // The policy as versions before proof-of-work defaults wrote it: the same fields, none of the new ones.
    const old = Object.fromEntries(Object.entries(stored).filter(([k]) => !k.startsWith('powAdaptive')));
    await t.redis.hset(keys.site(site.siteId), 'policy', JSON.stringify({ ...old, powDifficulty: 19 }));
    const read = (await getSite(t.redis, site.siteId))!.policy;
    expect(read).toMatchObject({ captcha: 'svg', powDifficulty: 19 });
    expect((await api(t.url, 'POST', '/v1/captchas', { key: site.siteKey })).json.type).toBe('svg');
    const { captcha: _dropped, ...noMode } = old;
    await t.redis.hset(keys.site(site.siteId), 'policy', JSON.stringify(noMode));
    expect((await getSite(t.redis, site.siteId))!.policy.captcha).toBe('svg');
  });
});

describe('pow+svg: both answers required', () => {
  it('when both the image and the proof of work are right, then the comment passes, once', async () => {
    const site = await t.site({ captcha: 'pow+svg', powDifficulty: 10 });
    const { c, answer, work } = await bothWithAnswer(site.siteId);
    expect(c.svg).toMatch(/^<svg /);
    expect(c.pow).toMatchObject({ algorithm: 'SHA-256', difficulty: 10 });
    expect((await post(site.siteKey, { id: c.id, answer: answer.toUpperCase(), pow: work })).status).toBe(201);
    expect((await post(site.siteKey, { id: c.id, answer, pow: work })).json.code).toBe('captcha_invalid');
    const stats = (await captchaStats(t.redis, site.siteId))['pow+svg'];
    expect(stats).toMatchObject({ issued: 1, solved: 1, failed: 1 });
  });

  it('when only one of the two answers is right, then captcha_invalid and the challenge is spent', async () => {
    const site = await t.site({ captcha: 'pow+svg', powDifficulty: 10 });
    const a = await bothWithAnswer(site.siteId);
    expect((await post(site.siteKey, { id: a.c.id, answer: a.answer })).json.code).toBe('captcha_invalid');
    expect((await post(site.siteKey, { id: a.c.id, answer: a.answer, pow: a.work })).json.code).toBe('captcha_invalid');
    const b = await bothWithAnswer(site.siteId);
    expect((await post(site.siteKey, { id: b.c.id, answer: 'xxxxx', pow: b.work })).json.code).toBe('captcha_invalid');
    const c = await bothWithAnswer(site.siteId);
    const wrong = String(Number(c.work) + 1);
    expect((await post(site.siteKey, { id: c.c.id, answer: c.answer, pow: wrong })).json.code).toBe('captcha_invalid');
  });

  it('when the token comes from another site or its difficulty is lowered, then captcha_invalid', async () => {
    const a = await t.site({ captcha: 'pow+svg', powDifficulty: 14 });
    const b = await t.site({ captcha: 'pow+svg', powDifficulty: 8 });
    const fromB = await bothWithAnswer(b.siteId);
    expect((await post(a.siteKey, { id: fromB.c.id, answer: fromB.answer, pow: fromB.work })).json.code).toBe('captcha_invalid');
    // Lowering the difficulty in the token breaks its signature.
    const own = await bothWithAnswer(b.siteId);
    const onA = await bothWithAnswer(a.siteId);
    const [prefix, body, sig] = onA.c.id.split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    claims[2] = 1;
    const forged = `${prefix}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`;
    expect((await post(a.siteKey, { id: forged, answer: onA.answer, pow: solvePow(onA.c.pow.salt, 1) })).json.code).toBe('captcha_invalid');
    expect((await post(b.siteKey, { id: own.c.id, answer: own.answer, pow: own.work })).status).toBe(201);
  });

  it('when the pow field is not a number, then the request is refused as invalid input', async () => {
    const site = await t.site({ captcha: 'pow+svg', powDifficulty: 8 });
    const res = await post(site.siteKey, { id: 'x', answer: 'abcde', pow: '1e5' });
    expect(res.status).toBe(422);
    expect(res.json.errors.map((e: { path: string }) => e.path)).toContain('captcha.pow');
  });
});
