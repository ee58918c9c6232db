import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadBundledModels } from '../../src/classifier';
import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';

// Hand-written sentences (test/fixtures/classifier/threat-sentences.json), never trained on. The first six
// threats are the newsroom's report: three quoted in it, three more in the same plain style.
const fixture = JSON.parse(readFileSync(path.resolve(__dirname, '../fixtures/classifier/threat-sentences.json'), 'utf8')) as {
  threats: string[];
  newsNonThreats: string[];
};
const SIX = fixture.threats.slice(0, 6);

let app: TestApp;
beforeAll(async () => {
  process.env.REDIS_URL = process.env.TEST_REDIS_URL;
  app = await startTestApp();
});
afterAll(async () => app?.close());

async function post(body: string) {
  const site = await app.site();
  const r = await api(app.url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment({ body }) });
  expect(r.status).toBeLessThan(300);
  return r.json as { status: string; reasons: string[] };
}

describe('threats on a news site', () => {
  it.each(SIX)('when "%s" is posted to a site with default policy, then it waits for review as a threat or as toxic', async (body) => {
    const r = await post(body);
    expect(r.status).toMatch(/^(pending|rejected)$/);
    expect(r.reasons.some((x) => ['threat', 'possibly_toxic', 'toxic'].includes(x))).toBe(true);
  });

  // Everyday words only, so its toxicity stays low: the stalking cues and the gate carry it (MODEL_CARD.md).
  it('when a stalking threat in plain words is posted, then it waits for review with reason threat', async () => {
    const r = await post('I know where you live and I will find you.');
    expect(r.status).toMatch(/^(pending|rejected)$/);
    expect(r.reasons).toContain('threat');
  });

  it('when /v1/check scores a call for violence against a mayor, then the threat attribute and reason are in the answer', async () => {
    const site = await app.site();
    const r = await api(app.url, 'POST', '/v1/check', { key: site.secretKey, body: { body: SIX[1] } });
    expect(r.status).toBe(200);
    expect(r.json.scores.attributes.threat).toBeGreaterThan(0);
    expect(r.json.reasons).toContain('threat');
  });

  it('when the site raises its threat thresholds, then a threat with low toxicity is approved again', async () => {
    const site = await app.site({ thresholds: { threat: { review: 1, reject: 1 }, toxicity: { review: 0.99, reject: 1 } } });
    const r = await api(app.url, 'POST', '/v1/check', { key: site.secretKey, body: { body: SIX[1] } });
    expect(r.json.reasons).not.toContain('threat');
  });
});

describe('strongly worded news comments', () => {
  const flaggedShare = (): number => {
    const tox = loadBundledModels().toxicity;
    const review = tox.attributeThresholds!.threat.review;
    return fixture.newsNonThreats.filter((t) => (tox.score({ text: t }).attributes?.threat ?? 0) >= review).length / fixture.newsNonThreats.length;
  };

  // The shipped model flags 1 of 56 (MODEL_CARD.md; the one before 6 of 56).
  it('when they report violence or use violent figures of speech, then the threat attribute flags at most 5% of them', () => {
    expect(fixture.newsNonThreats.length).toBeGreaterThanOrEqual(50);
    expect(flaggedShare()).toBeLessThanOrEqual(0.05);
  });
});
