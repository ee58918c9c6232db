import { createRequire } from 'node:module';
import path from 'node:path';
import Perspective from 'perspective-api-client';
import { api, keysMatching, startTestApp, TestApp } from '../helpers/test-app';
import { discoverySchemaErrors } from '../helpers/discovery-schema';
import { readFeedback } from '../../src/learning/feedback';
import { MAX_TEXT_BYTES } from '../../src/perspective/request';

/**
 * The Perspective-compatible API against Google's published contract: requests are built the way Coral and the npm
 * perspective-api-client build them, and every answer is checked against the discovery document's schemas.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { workers: false });
});
afterAll(async () => {
  await t.close();
});

const TOXIC = 'You are a stupid idiot and a disgrace, shut up you moron.';
const CIVIL = 'Thanks for the thorough reporting on the council budget; the figures on school funding were useful.';

async function analyze(key: string | undefined, body: unknown, opts: { header?: boolean; raw?: string } = {}) {
  const q = key !== undefined && !opts.header ? `?key=${encodeURIComponent(key)}` : '';
  return api(t.url, 'POST', `/v1alpha1/comments:analyze${q}`, {
    ...(opts.raw !== undefined ? { raw: opts.raw, headers: { 'content-type': 'application/json' } } : { body }),
    ...(opts.header && key ? { headers: { 'x-goog-api-key': key, ...(opts.raw !== undefined ? { 'content-type': 'application/json' } : {}) } } : {}),
  });
}

/** Everything a site's Perspective calls could have left behind, apart from its rate-limit counter. */
async function storedFor(siteId: string): Promise<string[]> {
  return (await keysMatching(t.redis, `vigil:{${siteId}}:*`)).filter((k) => !k.includes(':rl:') && !k.endsWith(':site'));
}

function expectGoogleError(r: { status: number; json: any }, status: number, name: string) {
  expect(r.status).toBe(status);
  expect(r.json).toEqual({ error: { code: status, message: expect.any(String), status: name } });
}

describe('comments:analyze', () => {
  it("when Coral sends its analyze request, then TOXICITY's summary score is where Coral reads it and nothing is stored", async () => {
    const s = await t.site();
    // Coral's services/perspective formatBody for comments:analyze, with the tenant's defaults (doNotStore: true).
    const body = { comment: { text: TOXIC }, doNotStore: true, requestedAttributes: { TOXICITY: {} }, languages: ['en'] };
    const r = await analyze(s.secretKey, body);
    expect(r.status).toBe(200);
    expect(discoverySchemaErrors('AnalyzeCommentResponse', r.json)).toEqual([]);
    const toxic = r.json.attributeScores.TOXICITY.summaryScore.value as number;
    const civil = (await analyze(s.secretKey, { ...body, comment: { text: CIVIL } })).json.attributeScores.TOXICITY.summaryScore.value as number;
    expect(toxic).toBeGreaterThan(0.8);
    expect(civil).toBeLessThan(0.2);
    expect(r.json.languages).toEqual(['en']);
    expect(await storedFor(s.siteId)).toEqual([]);
  });

  it('when every production attribute and SPAM are asked for with spans, then each span is a run of the marked words, scored alone', async () => {
    const s = await t.site();
    const text = 'I will find you and hurt you.  Have a nice day!\nYou are a stupid idiot';
    const requestedAttributes = Object.fromEntries(['TOXICITY', 'IDENTITY_ATTACK', 'INSULT', 'PROFANITY', 'THREAT', 'SPAM'].map((a) => [a, {}]));
    const r = await analyze(s.secretKey, { comment: { text }, requestedAttributes, spanAnnotations: true, clientToken: 'tok-1' });
    expect(r.status).toBe(200);
    expect(discoverySchemaErrors('AnalyzeCommentResponse', r.json)).toEqual([]);
    expect(r.json.clientToken).toBe('tok-1');
    expect(r.json.detectedLanguages[0]).toBe('en');
    const values = Object.values(r.json.attributeScores).map((a: any) => a.summaryScore.value);
    expect(new Set(values).size).toBe(values.length);
    // The toxicity model's span rule marks the words, the same runs /moderate highlights ("stupid idiot" as one).
    const runs = (a: string) => r.json.attributeScores[a].spanScores.map((x: any) => text.slice(x.begin, x.end));
    expect(runs('TOXICITY')).toContain('stupid idiot');
    expect(runs('TOXICITY')).not.toContain('Have a nice day!');
    expect(runs('INSULT')).toEqual(runs('TOXICITY'));
    const insult = r.json.attributeScores.INSULT.spanScores.find((x: any) => text.slice(x.begin, x.end) === 'stupid idiot').score.value;
    expect(insult).toBeGreaterThan(0.5);
    // The spam score is far under review: nothing of it is marked, so its one span is the whole text at its summary.
    expect(r.json.attributeScores.SPAM.spanScores).toEqual([{ begin: 0, end: text.length, score: r.json.attributeScores.SPAM.summaryScore }]);
  });

  it('when a threat in plain words scores under the toxicity review threshold but over its own, then its marked words are the spans', async () => {
    const s = await t.site();
    const text = 'Somebody needs to put a bullet in that mayor.';
    const r = await analyze(s.secretKey, { comment: { text }, requestedAttributes: { TOXICITY: {}, THREAT: {} }, spanAnnotations: true });
    expect(r.status).toBe(200);
    const spans = r.json.attributeScores.THREAT.spanScores.map((x: any) => text.slice(x.begin, x.end));
    expect(spans).toContain('bullet');
    expect(spans).not.toContain(text);
  });

  it('when a civil comment is asked with spans, then no word is marked and its one span carries the summary score', async () => {
    const s = await t.site();
    const r = await analyze(s.secretKey, { comment: { text: CIVIL }, requestedAttributes: { TOXICITY: {}, THREAT: {} }, spanAnnotations: true });
    expect(r.status).toBe(200);
    for (const a of ['TOXICITY', 'THREAT']) {
      expect(r.json.attributeScores[a].spanScores).toEqual([{ begin: 0, end: CIVIL.length, score: r.json.attributeScores[a].summaryScore }]);
    }
  });

  it('when the key comes in X-Goog-Api-Key, then it is accepted like ?key=', async () => {
    const s = await t.site();
    const r = await analyze(s.secretKey, { comment: { text: CIVIL }, requestedAttributes: { INSULT: {} } }, { header: true });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json.attributeScores)).toEqual(['INSULT']);
  });

  it('when scoreThreshold is above the score, then the attribute is left out', async () => {
    const s = await t.site();
    const r = await analyze(s.secretKey, { comment: { text: CIVIL }, requestedAttributes: { TOXICITY: { scoreThreshold: 0.9 }, INSULT: { scoreType: 'PROBABILITY' } } });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json.attributeScores)).toEqual(['INSULT']);
  });

  it('when no language is declared, then the detected one decides, and an unsupported one is refused unless dropUnsupportedAttributes', async () => {
    const s = await t.site();
    // Italian has no model (its only data is non-commercial), so it is refused as on Perspective.
    const italian = "Grazie mille per l'articolo, mi è sembrato molto interessante e scritto bene.";
    const refused = await analyze(s.secretKey, { comment: { text: italian }, requestedAttributes: { TOXICITY: {} } });
    expectGoogleError(refused, 400, 'INVALID_ARGUMENT');
    expect(refused.json.error.message).toMatch(/does not support request languages: it/);
    const dropped = await analyze(s.secretKey, { comment: { text: italian }, requestedAttributes: { TOXICITY: {} }, dropUnsupportedAttributes: true });
    expect(dropped.status).toBe(200);
    expect(dropped.json.attributeScores).toEqual({});
    expect(dropped.json.detectedLanguages[0]).toBe('it');
    const persian = await analyze(s.secretKey, { comment: { text: 'خیلی ممنون از این گزارش خوب' }, requestedAttributes: { TOXICITY: {} } });
    expect(persian.status).toBe(200);
    expect(persian.json.languages).toEqual(['fa']);
    const declared = await analyze(s.secretKey, { comment: { text: italian }, requestedAttributes: { TOXICITY: {} }, languages: ['en-US'] });
    expect(declared.status).toBe(200);
    expect(declared.json.languages).toEqual(['en']);
    // As on Perspective, every declared language must be supported.
    const mixed = await analyze(s.secretKey, { comment: { text: italian }, requestedAttributes: { TOXICITY: {} }, languages: ['en', 'it'] });
    expect(mixed.json.error.message).toMatch(/does not support request languages: it\./);
  });

  it('when the npm perspective-api-client calls it, then it gets the scores it asked for', async () => {
    const s = await t.site();
    // The client posts to a constant Google URL; its own axios instance is sent to the test server instead, so the
    // request body and the ?key= parameter are exactly what the client builds.
    const clientRequire = createRequire(path.join(path.dirname(require.resolve('perspective-api-client')), 'index.js'));
    const axios = clientRequire('axios');
    const id = axios.interceptors.request.use((c: { url: string }) => ({ ...c, url: c.url.replace('https://commentanalyzer.googleapis.com', t.url) }));
    try {
      const client = new Perspective({ apiKey: s.secretKey });
      const r = await client.analyze('<p>You are a stupid idiot</p>', { attributes: ['toxicity', 'insult'] });
      expect(discoverySchemaErrors('AnalyzeCommentResponse', r)).toEqual([]);
      expect(r.attributeScores.TOXICITY.summaryScore.value).toBeGreaterThan(0.5);
      expect(r.attributeScores.INSULT.summaryScore.type).toBe('PROBABILITY');
      const bad = new Perspective({ apiKey: 'not-a-key' });
      await expect(bad.analyze('hello there')).rejects.toThrow('API key not valid. Please pass a valid API key.');
    } finally {
      axios.interceptors.request.eject(id);
    }
  });
});

describe('comments:suggestscore', () => {
  it("when Coral sends a moderator's rejection, then it becomes the site's toxicity feedback and the answer echoes the token", async () => {
    const s = await t.site();
    // Coral's formatBody for comments:suggestscore after a moderator rejected a comment.
    const body = {
      comment: { text: 'what a load of garbage, you people are clowns' },
      context: { entries: [{ text: JSON.stringify({ url: 'https://news.example/a?commentID=c1', Coral_comment_id: 'c1' }) }] },
      attributeScores: { TOXICITY: { summaryScore: { value: 1 } } },
      languages: ['en'],
      communityId: 'Coral:https://talk.news.example',
      clientToken: 'comment:c1',
    };
    const r = await api(t.url, 'POST', `/v1alpha1/comments:suggestscore?key=${s.secretKey}`, { body });
    expect(r.status).toBe(200);
    expect(discoverySchemaErrors('SuggestCommentScoreResponse', r.json)).toEqual([]);
    expect(r.json).toEqual({ clientToken: 'comment:c1', detectedLanguages: expect.any(Array), requestedLanguages: ['en'] });
    const approved = { ...body, attributeScores: { TOXICITY: { summaryScore: { value: 0 } } }, clientToken: 'comment:c2' };
    expect((await api(t.url, 'POST', `/v1alpha1/comments:suggestscore?key=${s.secretKey}`, { body: approved })).status).toBe(200);
    const stream = await readFeedback(t.redis, s.siteId);
    expect(stream.map((x) => [x.feedback.task, x.feedback.positive, x.feedback.source, x.feedback.commentId])).toEqual([
      ['toxicity', true, 'site', undefined], ['toxicity', false, 'site', undefined],
    ]);
  });

  it("when a site sends more suggestions than LEARN_FEEDBACK_PER_HOUR, then 429 RESOURCE_EXHAUSTED and nothing more is recorded", async () => {
    const limited = await startTestApp({ LEARN_FEEDBACK_PER_HOUR: '1' }, { workers: false });
    try {
      const s = await limited.site();
      const body = { comment: { text: 'you are all clowns' }, attributeScores: { TOXICITY: { summaryScore: { value: 1 } } }, languages: ['en'] };
      expect((await api(limited.url, 'POST', `/v1alpha1/comments:suggestscore?key=${s.secretKey}`, { body })).status).toBe(200);
      const r = await api(limited.url, 'POST', `/v1alpha1/comments:suggestscore?key=${s.secretKey}`, { body });
      expectGoogleError(r, 429, 'RESOURCE_EXHAUSTED');
      expect(await readFeedback(limited.redis, s.siteId)).toHaveLength(1);
    } finally {
      await limited.close();
    }
  });

  it('when SPAM is suggested, then the spam model gets the example', async () => {
    const s = await t.site();
    const r = await api(t.url, 'POST', `/v1alpha1/comments:suggestscore?key=${s.secretKey}`, {
      body: { comment: { text: 'cheap pills at pharmacy dot example' }, attributeScores: { SPAM: { summaryScore: { value: 0.9 } } }, languages: ['en'] },
    });
    expect(r.status).toBe(200);
    expect((await readFeedback(t.redis, s.siteId)).map((x) => [x.feedback.task, x.feedback.positive])).toEqual([['spam', true]]);
  });
});

describe('/openapi.json', () => {
  it('when the description is fetched, then it documents both v1alpha1 methods and the Coral phase', async () => {
    const r = await api(t.url, 'GET', '/openapi.json');
    expect(r.status).toBe(200);
    const analyze = r.json.paths['/v1alpha1/comments:analyze'].post;
    expect(analyze.parameters.map((p: { name: string }) => p.name)).toEqual(['key']);
    expect(Object.keys(analyze.requestBody.content['application/json'].schema.properties)).toEqual(
      expect.arrayContaining(['comment', 'requestedAttributes', 'languages', 'spanAnnotations', 'dropUnsupportedAttributes']),
    );
    expect(Object.keys(analyze.responses)).toEqual(expect.arrayContaining(['200', '400', '403', '429']));
    expect(r.json.paths['/v1alpha1/comments:suggestscore'].post.responses['200']).toBeDefined();
    expect(r.json.paths['/v1/integrations/coral/{siteId}'].post.responses['401']).toBeDefined();
  });
});

describe('the key in the query string', () => {
  it('when requests carry ?key=, good or bad, then no log line holds the key', async () => {
    const s = await t.site();
    const logger = t.service.ctx.logger as unknown as Record<string, (...a: unknown[]) => void>;
    const lines: string[] = [];
    const saved = { info: logger.info, warn: logger.warn, error: logger.error };
    for (const level of ['info', 'warn', 'error'] as const) logger[level] = (...a: unknown[]) => void lines.push(JSON.stringify(a));
    try {
      await analyze(s.secretKey, { comment: { text: CIVIL }, requestedAttributes: { TOXICITY: {} } });
      await analyze(s.secretKey, { comment: { text: '' }, requestedAttributes: { TOXICITY: {} } });
      await analyze(`${s.secretKey}x`, { comment: { text: CIVIL }, requestedAttributes: { TOXICITY: {} } });
      await analyze(s.secretKey, undefined, { raw: '{' });
    } finally {
      Object.assign(logger, saved);
    }
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(lines.filter((l) => l.includes(s.secretKey.slice(-16)) || l.includes('key='))).toEqual([]);
  });
});

describe('bad input on /v1alpha1', () => {
  const good = { comment: { text: CIVIL }, requestedAttributes: { TOXICITY: {} }, languages: ['en'] };

  it.each([
    ['no key', undefined, 400, 'INVALID_ARGUMENT'],
    ['an unknown key', 'sk_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 400, 'INVALID_ARGUMENT'],
  ])('when the request has %s, then it is refused as Google refuses it', async (_what, key, status, name) => {
    const r = await analyze(key, good);
    expectGoogleError(r, status, name);
    expect(r.json.error.message).toBe('API key not valid. Please pass a valid API key.');
  });

  it('when the public site key is used, then 403 PERMISSION_DENIED and nothing is stored', async () => {
    const s = await t.site();
    expectGoogleError(await analyze(s.siteKey, good), 403, 'PERMISSION_DENIED');
    const sug = await api(t.url, 'POST', `/v1alpha1/comments:suggestscore?key=${s.siteKey}`, { body: { ...good, attributeScores: { TOXICITY: { summaryScore: { value: 1 } } } } });
    expectGoogleError(sug, 403, 'PERMISSION_DENIED');
    expect(await storedFor(s.siteId)).toEqual([]);
  });

  it.each([
    ['an unknown attribute', { ...good, requestedAttributes: { TOXICITY: {}, NASTINESS: {} } }, /Unknown attribute: NASTINESS/],
    ['an attribute Vigil has no model for', { ...good, requestedAttributes: { FLIRTATION: {} } }, /FLIRTATION is not supported/],
    ['a score type other than PROBABILITY', { ...good, requestedAttributes: { TOXICITY: { scoreType: 'PERCENTILE' } } }, /only PROBABILITY/],
    ['empty text', { ...good, comment: { text: '  ' } }, /empty/],
    ['no comment', { requestedAttributes: { TOXICITY: {} } }, /comment/],
    ['text over 20,480 bytes', { ...good, comment: { text: 'é'.repeat(MAX_TEXT_BYTES / 2 + 1) } }, /too long/],
    ['no attributes', { ...good, requestedAttributes: {} }, /at least one attribute/],
    ['a language tag that is not one', { ...good, languages: ['<script>'] }, /language code/],
    ['a JSON array', [good], /JSON object/],
  ])('when analyze gets %s, then 400 INVALID_ARGUMENT says why and nothing is stored', async (_what, body, message) => {
    const s = await t.site();
    const r = await analyze(s.secretKey, body);
    expectGoogleError(r, 400, 'INVALID_ARGUMENT');
    expect(r.json.error.message).toMatch(message);
    expect(await storedFor(s.siteId)).toEqual([]);
  });

  it('when the text is exactly 20,480 bytes, then it is scored', async () => {
    const s = await t.site();
    const r = await analyze(s.secretKey, { ...good, comment: { text: 'é'.repeat(MAX_TEXT_BYTES / 2) } });
    expect(r.status).toBe(200);
  });

  it('when the body is malformed JSON, then 400 INVALID_ARGUMENT in Google\'s shape, not problem+json', async () => {
    const s = await t.site();
    const r = await analyze(s.secretKey, undefined, { raw: '{"comment": {"text": "hi"' });
    expectGoogleError(r, 400, 'INVALID_ARGUMENT');
    expect(r.json.error.message).toMatch(/Invalid JSON payload/);
  });

  it.each([
    ['an unknown attribute', { NASTINESS: { summaryScore: { value: 1 } } }, /Unknown attribute/],
    ['a served attribute with no summary score', { TOXICITY: {} }, /summaryScore/],
    ['a value outside 0..1', { TOXICITY: { summaryScore: { value: 7 } } }, /./],
  ])('when suggestscore gets %s, then 400 and no feedback is recorded', async (_what, attributeScores, message) => {
    const s = await t.site();
    const r = await api(t.url, 'POST', `/v1alpha1/comments:suggestscore?key=${s.secretKey}`, { body: { comment: { text: CIVIL }, attributeScores, languages: ['en'] } });
    expectGoogleError(r, 400, 'INVALID_ARGUMENT');
    expect(r.json.error.message).toMatch(message);
    expect(await readFeedback(t.redis, s.siteId)).toEqual([]);
  });

  it("when a site goes over its perspectivePerMinute, then 429 RESOURCE_EXHAUSTED with Retry-After, and other sites are not limited", async () => {
    const s = await t.site({ rateLimits: { perspectivePerMinute: 2 } });
    const other = await t.site();
    expect((await analyze(s.secretKey, good)).status).toBe(200);
    expect((await analyze(s.secretKey, good)).status).toBe(200);
    const r = await analyze(s.secretKey, good);
    expectGoogleError(r, 429, 'RESOURCE_EXHAUSTED');
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await analyze(other.secretKey, good)).status).toBe(200);
  });
});
