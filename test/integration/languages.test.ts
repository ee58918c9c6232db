import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';
import { loadBundledModels } from '../../src/classifier';

/**
 * Comments in German and Spanish are scored by their language's own toxicity model (models/toxicity-<lang>.json):
 * picked by the declared language, else the detected one, in /v1/comments, /v1/check and the Perspective API.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { workers: false });
});
afterAll(async () => t?.close());

const GERMAN = 'Du bist ein dummer Idiot und ein widerlicher Vollpfosten, halt endlich die Klappe!';
const SPANISH = 'Eres un imbécil y un payaso asqueroso, cállate de una vez, idiota.';
const models = loadBundledModels();
const own = (lang: string, text: string) => models.languages.get(lang)!.score({ text }).score;

async function check(key: string, body: Record<string, unknown>) {
  const r = await api(t.url, 'POST', '/v1/check', { key, body });
  expect(r.status).toBe(200);
  return r.json as { status: string; scores: { toxicity: number }; reasons: string[]; language?: string };
}

describe('toxicity in the comment\'s language', () => {
  it('when a German insult is checked without a declared language, then the German model scores it and sends it to review', async () => {
    const s = await t.site();
    const r = await check(s.secretKey, { body: GERMAN });
    expect(r.language).toBe('de');
    expect(r.scores.toxicity).toBeCloseTo(own('de', GERMAN), 6);
    expect(r.scores.toxicity).toBeGreaterThanOrEqual(models.languages.get('de')!.thresholds.review);
    expect(r.status === 'rejected' || r.reasons.includes('possibly_toxic')).toBe(true);
  });

  it('when a comment declares its language, then the declared language wins over the detected one', async () => {
    const s = await t.site();
    const asEnglish = await check(s.secretKey, { body: GERMAN, language: 'en' });
    expect(asEnglish.language).toBe('en');
    expect(asEnglish.scores.toxicity).toBeCloseTo(models.toxicity.score({ text: GERMAN }).score, 6);
    const asSpanish = await check(s.secretKey, { body: SPANISH, language: 'es-MX' });
    expect(asSpanish.scores.toxicity).toBeCloseTo(own('es', SPANISH), 6);
  });

  it('when the site\'s policy names its language, then comments that declare none are scored in it, and null returns to detection', async () => {
    const s = await t.site({ language: 'en' });
    const asSite = await check(s.secretKey, { body: GERMAN });
    expect(asSite.language).toBe('en');
    expect(asSite.scores.toxicity).toBeCloseTo(models.toxicity.score({ text: GERMAN }).score, 6);
    // The comment's own declaration still wins over the site's.
    expect((await check(s.secretKey, { body: GERMAN, language: 'de' })).language).toBe('de');
    const patched = await api(t.url, 'PATCH', '/v1/site/policy', { key: s.secretKey, body: { language: null } });
    expect(patched.status).toBe(200);
    expect((await check(s.secretKey, { body: GERMAN })).language).toBe('de');
    const bad = await api(t.url, 'PATCH', '/v1/site/policy', { key: s.secretKey, body: { language: 'de;drop' } });
    expect(bad.status).toBe(422);
  });

  it('when a declared language is not a language tag, then the request is refused as invalid (422)', async () => {
    const s = await t.site();
    const r = await api(t.url, 'POST', '/v1/check', { key: s.secretKey, body: { body: GERMAN, language: 'x'.repeat(36) } });
    expect(r.status).toBe(422);
    const r2 = await api(t.url, 'POST', '/v1/check', { key: s.secretKey, body: { body: GERMAN, language: 'de;rm -rf' } });
    expect(r2.status).toBe(422);
  });

  it('when a Spanish comment is posted, then the stored scores are the Spanish model\'s', async () => {
    const s = await t.site();
    const r = await api(t.url, 'POST', '/v1/comments', { key: s.secretKey, body: serverComment({ body: SPANISH, language: 'es' }) });
    expect(r.status).toBeLessThan(300);
    expect(r.json.scores.toxicity).toBeCloseTo(own('es', SPANISH), 3);
  });

  it('when Perspective is asked for TOXICITY in German, then it answers from the German model, and INSULT in German is still refused', async () => {
    const s = await t.site();
    const ok = await api(t.url, 'POST', `/v1alpha1/comments:analyze?key=${s.secretKey}`, { body: { comment: { text: GERMAN }, requestedAttributes: { TOXICITY: {} }, languages: ['de'] } });
    expect(ok.status).toBe(200);
    expect(ok.json.languages).toEqual(['de']);
    expect(ok.json.attributeScores.TOXICITY.summaryScore.value).toBeCloseTo(own('de', GERMAN), 5);
    const insult = await api(t.url, 'POST', `/v1alpha1/comments:analyze?key=${s.secretKey}`, { body: { comment: { text: GERMAN }, requestedAttributes: { INSULT: {} }, languages: ['de'] } });
    expect(insult.status).toBe(400);
    expect(insult.json.error.message).toMatch(/INSULT does not support request languages: de/);
  });
});
