import { loadBundledModels } from '../../src/classifier';
import { keys } from '../../src/infra/keys';
import { recordFeedback, withdrawFeedback } from '../../src/learning/feedback';
import { compactorOf, learnerOf } from '../../src/learning/plug';
import type { CreatedSite } from '../../src/sites/site-store';
import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

// Learning reads every site in its Redis, so this file uses a database of its own: what other files' sites send
// cannot agree with these sites or move their scores. (A cluster has one database; there the file shares it.)
const shared = process.env.TEST_REDIS_URL!;
const own = /cluster=true/.test(shared) ? shared : `${shared.replace(/\/\d*$/, '')}/7`;
/** On a cluster this file shares its Redis with the others, so the tests that need to be alone there are skipped. */
const alone = own !== shared ? it : it.skip;
// Snapshots only when a test asks (compactor.run), so every step below is deterministic.
const env = { LEARN_FROM_FEEDBACK: 'true', LEARN_FEEDBACK_PER_HOUR: '100000', LEARN_SNAPSHOT_SECONDS: '86400' };
const apps: TestApp[] = [];
/** An instance with its own copy of the models, as a separate process has. */
async function instance(extra: Record<string, string> = {}): Promise<TestApp> {
  const app = await startTestApp({ ...env, ...extra }, { models: loadBundledModels() });
  apps.push(app);
  return app;
}

let t: TestApp;
beforeAll(async () => {
  process.env.TEST_REDIS_URL = own;
  t = await instance();
  if (own !== shared) await t.redis.flushdb();
});
afterAll(async () => {
  for (const a of apps) await a.close();
  process.env.TEST_REDIS_URL = shared;
});

const SPAM = 'WIN a FREE iPhone now!!! Click http://win-prizes.example to claim your gift card, limited offer';
const HAM = 'Thanks for the article, the photos of the harbour at dawn are lovely and the council figures were useful';
const tag = () => Math.random().toString(36).slice(2, 8).replace(/[0-9]/g, 'x');

async function score(app: TestApp, site: CreatedSite, body: string): Promise<number> {
  const r = await api(app.url, 'POST', '/v1/check', { key: site.secretKey, body: { body } });
  expect(r.status).toBe(200);
  return r.json.scores.spam as number;
}

/** One snapshot pass (agreement included), then the instance learns what is new. */
async function settle(app: TestApp, now?: number): Promise<void> {
  expect(await compactorOf(app.service.ctx)!.run({ wait: true, ...(now ? { now } : {}) })).toBe(true);
  await learnerOf(app.service.ctx)!.catchUp();
}

let ip = 1;
async function store(app: TestApp, site: CreatedSite, body: string): Promise<string> {
  const n = ip++;
  const r = await api(app.url, 'POST', '/v1/comments', {
    key: site.secretKey,
    body: serverComment({ body, author: { name: `Reader ${n}`, email: `r${n}@example.com` }, client: { ip: `198.51.${n >> 8}.${n & 255}`, userAgent: 'Mozilla/5.0' } }),
  });
  expect(r.status).toBe(201);
  return r.json.id as string;
}

async function label(app: TestApp, site: CreatedSite, id: string, l: 'spam' | 'ham' | 'toxic' | 'ok') {
  return api(app.url, 'POST', `/v1/comments/${id}/feedback`, { key: site.secretKey, body: { label: l } });
}

async function akismet(app: TestApp, site: CreatedSite, kind: 'spam' | 'ham', text: string) {
  const res = await fetch(`${app.url}/1.1/submit-${kind}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ api_key: site.secretKey, blog: 'https://news.example', user_ip: '203.0.113.9', comment_type: 'comment', comment_content: text }),
  });
  return { status: res.status, text: await res.text(), help: res.headers.get('x-akismet-debug-help') };
}

describe('learning across tenants', () => {
  alone("when one site sends 1,000 feedback calls of every kind, then another site's scores of a spam and a ham text move by less than 0.02, and the sender's own scores move", async () => {
    const attacker = await t.site();
    const victim = await t.site();
    await settle(t);
    const before = { vSpam: await score(t, victim, SPAM), vHam: await score(t, victim, HAM), aSpam: await score(t, attacker, SPAM), aHam: await score(t, attacker, HAM) };
    const spamIds = [await store(t, attacker, SPAM), await store(t, attacker, SPAM)];
    const hamIds = [await store(t, attacker, HAM), await store(t, attacker, HAM)];
    const calls: Array<() => Promise<{ status: number }>> = [];
    for (let i = 0; i < 250; i++) {
      calls.push(() => label(t, attacker, spamIds[i % 2], 'ham'));
      calls.push(() => label(t, attacker, hamIds[i % 2], i % 5 ? 'spam' : 'toxic'));
      calls.push(() => akismet(t, attacker, 'ham', i % 3 ? SPAM : `${SPAM} ${tag()}`));
      calls.push(() => akismet(t, attacker, 'spam', i % 3 ? HAM : `${HAM} ${tag()}`));
    }
    expect(calls).toHaveLength(1000);
    for (let i = 0; i < calls.length; i += 10) {
      for (const r of await Promise.all(calls.slice(i, i + 10).map((c) => c()))) expect([200, 202]).toContain(r.status);
    }
    await settle(t);
    await settle(t);
    expect(Math.abs((await score(t, victim, SPAM)) - before.vSpam)).toBeLessThan(0.02);
    expect(Math.abs((await score(t, victim, HAM)) - before.vHam)).toBeLessThan(0.02);
    // The sender's own scores move as they always did: its feedback counts three times for itself.
    expect(before.aSpam).toBeGreaterThan(0.9);
    expect(await score(t, attacker, SPAM)).toBeLessThan(0.1);
    expect(before.aHam).toBeLessThan(0.2);
    expect(await score(t, attacker, HAM)).toBeGreaterThan(0.9);
  });

  alone('when three sites label the same stored comments, then the shared model learns them; two sites, or three sending unstored text, move nothing', async () => {
    const words = `${tag()}zor ${tag()}vel`;
    const text = `Cheap ${words} watches, order today at our store`;
    const unstored = `Cheap ${tag()}qua ${tag()}mip watches, order today at our store`;
    // Starts from an empty database: a site of another test that labelled a stored comment sharing a bucket with
    // this text (a common word) would be a third site agreeing on that bucket, by design.
    await t.redis.flushdb();
    const probe = await t.site();
    const sites = [await t.site(), await t.site(), await t.site()];
    await settle(t);
    const before = await score(t, probe, text);
    const beforeUnstored = await score(t, probe, unstored);
    const agreeOn = async (s: CreatedSite) => {
      const id = await store(t, s, text);
      for (let i = 0; i < 3; i++) expect((await label(t, s, id, 'spam')).status).toBe(202);
    };
    await agreeOn(sites[0]);
    await agreeOn(sites[1]);
    // Three sites agree on text that Vigil never stored for them: not enough for the shared model either.
    for (const s of sites) for (let i = 0; i < 3; i++) expect((await akismet(t, s, 'spam', unstored)).status).toBe(200);
    await settle(t);
    expect(await score(t, probe, text)).toBeCloseTo(before, 6);
    expect(await score(t, probe, unstored)).toBeCloseTo(beforeUnstored, 6);
    // The labelling sites themselves see their own feedback.
    expect(await score(t, sites[0], text)).toBeGreaterThan(before + 0.1);
    await agreeOn(sites[2]);
    await settle(t);
    const agreed = await score(t, probe, text);
    expect(agreed).toBeGreaterThan(before + 0.1);
    // Another instance reads the same agreement from Redis.
    const other = await instance();
    await learnerOf(other.service.ctx)!.catchUp();
    expect(await score(other, probe, text)).toBeCloseTo(agreed, 6);
  });

  it('when withdrawals arrive for examples that were never learnt, then no count goes below the trained model, for the site or anyone else', async () => {
    const site = await t.site();
    const probe = await t.site();
    await settle(t);
    // A ham text, withdrawn as ham: scores near 0 show a lost ham count, where a spam text's near 1 would hide one.
    const own = await score(t, site, HAM);
    const other = await score(t, probe, HAM);
    for (let i = 0; i < 50; i++) await recordFeedback(t.redis, site.siteId, { task: 'spam', positive: false, text: HAM, source: 'moderator', withdraw: true, stored: true });
    await settle(t);
    expect(await score(t, site, HAM)).toBeCloseTo(own, 9);
    expect(await score(t, probe, HAM)).toBeCloseTo(other, 9);
    // Learnt afterwards, an example counts in full: the withdrawals left no debt behind.
    const id = await store(t, site, HAM);
    await label(t, site, id, 'ham');
    await settle(t);
    expect(await score(t, site, HAM)).toBeLessThan(own);
  });

  it('when feedback older than the retention is trimmed, then no text is kept, and a restarted instance scores like a running one, a withdrawal of a trimmed example included', async () => {
    const site = await t.site();
    const plainSite = await t.site();
    const text = `Lovely ${tag()}ish photos of the harbour at dawn`;
    const plain = await score(t, plainSite, text);
    const kept = `Great ${tag()}ous reporting on the council budget`;
    const first = await recordFeedback(t.redis, site.siteId, { task: 'spam', positive: true, text, source: 'moderator' });
    await recordFeedback(t.redis, site.siteId, { task: 'spam', positive: true, text: kept, source: 'moderator' });
    const firstMs = Number(first.split('-')[0]);
    await until('a later millisecond', () => Date.now() > firstMs + 2);
    await withdrawFeedback(t.redis, site.siteId, [first]);
    const stream = await t.redis.xrange(keys.feedback(site.siteId), '-', '+');
    expect(stream).toHaveLength(3);
    const withdrawalMs = Number(stream[2][0].split('-')[0]);
    await settle(t);
    // Retention passes for the two examples but not for the withdrawal: the stream keeps only the withdrawal.
    await settle(t, withdrawalMs + 30 * 86400 * 1000);
    const left = await t.redis.xrange(keys.feedback(site.siteId), '-', '+');
    expect(left.map(([id]) => id)).toEqual([stream[2][0]]);
    expect(await t.redis.ttl(keys.feedback(site.siteId))).toBeGreaterThan(0);
    const snapshot = (await t.redis.get(keys.learnSnapshot(site.siteId)))!;
    expect(snapshot).not.toContain('harbour');
    expect(snapshot).not.toContain('council');
    expect(await t.redis.ttl(keys.learnSnapshot(site.siteId))).toBeGreaterThan(0);
    // More feedback after the trim: a restarted instance needs the snapshot and the tail.
    await recordFeedback(t.redis, site.siteId, { task: 'spam', positive: true, text: kept, source: 'moderator' });
    await learnerOf(t.service.ctx)!.catchUp();
    const restarted = await instance();
    await learnerOf(restarted.service.ctx)!.catchUp();
    expect(learnerOf(restarted.service.ctx)!.learnt(site.siteId)).toBe(learnerOf(t.service.ctx)!.learnt(site.siteId));
    for (const body of [text, kept, SPAM, HAM]) expect(await score(restarted, site, body)).toBeCloseTo(await score(t, site, body), 9);
    // The withdrawn example took nothing from the shared counts, and nothing below them for the site (its other
    // examples share a few buckets with it, so its score may sit a little above a site without feedback).
    expect(await score(restarted, plainSite, text)).toBeCloseTo(plain, 9);
    expect(await score(restarted, site, text)).toBeGreaterThanOrEqual(plain - 1e-9);
    expect(await score(restarted, site, text)).toBeLessThan(plain + 0.01);
    expect(await score(restarted, site, kept)).toBeGreaterThan((await score(restarted, plainSite, kept)) + 0.1);
  });

  it("when a site sends more feedback than its hourly limit, then the API answers 429 and Akismet its usual thanks, nothing more is recorded, and other sites' limits are untouched", async () => {
    const limited = await instance({ LEARN_FEEDBACK_PER_HOUR: '3' });
    const site = await limited.site();
    const other = await limited.site();
    const id = await store(limited, site, HAM);
    for (let i = 0; i < 3; i++) expect((await label(limited, site, id, 'spam')).status).toBe(202);
    const refused = await label(limited, site, id, 'spam');
    expect(refused.status).toBe(429);
    expect(refused.json.code).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const submit = await akismet(limited, site, 'spam', SPAM);
    expect([submit.status, submit.text]).toEqual([200, 'Thanks for making the web a better place.']);
    expect(submit.help).toMatch(/limit/);
    expect(await limited.redis.xlen(keys.feedback(site.siteId))).toBe(3);
    const otherId = await store(limited, other, HAM);
    expect((await label(limited, other, otherId, 'ham')).status).toBe(202);
  });
});
