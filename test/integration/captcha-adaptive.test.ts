import { CaptchaChallenge, issueCaptcha } from '../../src/captcha/issue';
import { solvePow } from '../../src/captcha/pow';
import { getSite } from '../../src/sites/site-store';
import type { PolicyPatch } from '../../src/sites/policy';
import { api, keysMatching, serverComment, startTestApp, TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  // Loopback is trusted as a proxy so that each request can come from the network its X-Forwarded-For names.
  t = await startTestApp({ TRUST_PROXY: 'loopback' }, { workers: false });
});
afterAll(() => t.close());

/** A pow site whose levels are low enough to reach in a few requests: base 8, then 10 from 4 events, 12 from 8. */
const adaptiveSite = (over: PolicyPatch = {}) => t.site({
  captcha: 'pow', powDifficulty: 8, minFillTimeMs: 0,
  rateLimits: { captchasPerIpPerMinute: 1000, commentsPerIpPerMinute: 1000, commentsPerEmailPerHour: 1000 },
  powAdaptive: { network: [{ from: 4, difficulty: 10 }, { from: 8, difficulty: 12 }], site: [], ...over.powAdaptive },
  ...over,
});

async function challenge(siteKey: string, ip: string) {
  const res = await api(t.url, 'POST', '/v1/captchas', { key: siteKey, headers: { 'x-forwarded-for': ip } });
  expect(res.status).toBe(201);
  return res.json as { id: string; pow: { salt: string; difficulty: number } };
}

const difficulties = async (siteKey: string, ip: string, n: number) => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await challenge(siteKey, ip)).pow.difficulty);
  return out;
};

const comment = (siteKey: string, ip: string, captcha: { id: string; answer: string }, body?: string) =>
  api(t.url, 'POST', '/v1/comments', { key: siteKey, headers: { 'x-forwarded-for': ip }, body: serverComment({ captcha, ...(body ? { body } : {}) }) });

describe('adaptive proof-of-work difficulty', () => {
  it('when one network asks for challenge after challenge, then its difficulty climbs the levels and another network is not affected', async () => {
    const site = await adaptiveSite();
    expect(await difficulties(site.siteKey, '203.0.113.5', 9)).toEqual([8, 8, 8, 10, 10, 10, 10, 12, 12]);
    expect(await difficulties(site.siteKey, '198.51.100.9', 1)).toEqual([8]);
  });

  it('when addresses share an IPv6 /64 or are one IPv4 address written as mapped IPv6, then they count as one network', async () => {
    const site = await adaptiveSite();
    await difficulties(site.siteKey, '2001:db8:1:2::1', 2);
    expect(await difficulties(site.siteKey, '2001:db8:1:2:ffff:eeee:dddd:9', 2)).toEqual([8, 10]);
    expect(await difficulties(site.siteKey, '2001:db8:1:3::1', 1)).toEqual([8]);
    await difficulties(site.siteKey, '203.0.113.77', 3);
    expect(await difficulties(site.siteKey, '::ffff:203.0.113.77', 1)).toEqual([10]);
  });

  it('when the site as a whole gets many challenges, then every network gets the site level', async () => {
    const site = await adaptiveSite({ powAdaptive: { network: [], site: [{ from: 6, difficulty: 14 }] } });
    const seen: number[] = [];
    for (let i = 1; i <= 7; i++) seen.push(...(await difficulties(site.siteKey, `192.0.2.${i}`, 1)));
    expect(seen).toEqual([8, 8, 8, 8, 8, 14, 14]);
  });

  it('when the flood stops, then the difficulty decays back to the base within two windows', async () => {
    const site = await adaptiveSite({ powAdaptive: { windowSeconds: 60, network: [{ from: 4, difficulty: 10 }, { from: 8, difficulty: 12 }], site: [] } });
    const record = (await getSite(t.redis, site.siteId))!;
    const deps = { redis: t.redis, secret: t.service.ctx.moderation.secret, ttlSeconds: 300 };
    const at = async (now: number) => {
      const c = JSON.parse((await issueCaptcha(deps, record, 'client-a', now)).toString()) as CaptchaChallenge;
      if (c.type !== 'pow') throw new Error('expected pow');
      return c.pow.difficulty;
    };
    // The start of a window, so that the sliding share of the previous bucket is easy to follow.
    const t0 = Math.ceil(Date.now() / 60000) * 60000;
    for (let i = 0; i < 9; i++) await at(t0 + i);
    expect(await at(t0 + 10)).toBe(12);
    // Half a window into the next bucket: half of the last window's 10 still counts, plus this one.
    expect(await at(t0 + 90_000)).toBe(10);
    expect(await at(t0 + 125_000)).toBe(8);
  });

  it('when a network gives wrong answers, then each weighs like several challenges on its next difficulty', async () => {
    const site = await adaptiveSite({ powAdaptive: { failureWeight: 5, network: [{ from: 4, difficulty: 10 }, { from: 8, difficulty: 12 }], site: [] } });
    const c = await challenge(site.siteKey, '203.0.113.20');
    expect(c.pow.difficulty).toBe(8);
    const wrong = String(Number(solvePow(c.pow.salt, 8)) + 1);
    expect((await comment(site.siteKey, '203.0.113.20', { id: c.id, answer: wrong })).json.code).toBe('captcha_invalid');
    // 1 challenge + 5 for the failure + this one: 7, the first level.
    expect((await challenge(site.siteKey, '203.0.113.20')).pow.difficulty).toBe(10);
  });

  it('when a network\'s comment is rejected, then its next challenge is harder; an approved one changes nothing', async () => {
    const site = await adaptiveSite({ blocked: { words: ['casino'] }, powAdaptive: { failureWeight: 5, network: [{ from: 4, difficulty: 10 }], site: [] } });
    const ok = await challenge(site.siteKey, '203.0.113.30');
    const okRes = await comment(site.siteKey, '203.0.113.30', { id: ok.id, answer: solvePow(ok.pow.salt, ok.pow.difficulty) });
    expect(okRes.status).toBe(201);
    expect(okRes.json.status).not.toBe('rejected');
    const c = await challenge(site.siteKey, '203.0.113.30');
    expect(c.pow.difficulty).toBe(8);
    const res = await comment(site.siteKey, '203.0.113.30', { id: c.id, answer: solvePow(c.pow.salt, c.pow.difficulty) }, 'Play casino games at my site tonight, every night of the week.');
    expect(res.json.status).toBe('rejected');
    expect((await challenge(site.siteKey, '203.0.113.30')).pow.difficulty).toBe(10);
  });

  it('when networks are counted, then Redis holds only keyed hashes of them, never an address', async () => {
    const site = await adaptiveSite();
    await difficulties(site.siteKey, '203.0.113.99', 2);
    await difficulties(site.siteKey, '2001:db8:99::1', 2);
    const found = await keysMatching(t.redis, `vigil:{${site.siteId}}:pow-pressure:*`);
    expect(found.length).toBeGreaterThanOrEqual(3);
    for (const k of found) {
      expect(k).not.toMatch(/203\.0\.113|2001:db8/);
      expect(await t.redis.ttl(k)).toBeGreaterThan(0);
    }
  });
});
