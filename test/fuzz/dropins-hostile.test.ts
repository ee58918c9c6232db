import crypto from 'node:crypto';
import fc from 'fast-check';
import { coralSignature } from '../../src/integrations/coral/signature';
import { setCoralSigningSecret } from '../../src/integrations/coral/signing-secret';
import { keys } from '../../src/infra/keys';
import type { CreatedSite } from '../../src/sites/site-store';
import { keysMatching, startTestApp, TestApp } from '../helpers/test-app';

/**
 * Generated hostile input on the drop-in routes: /v1alpha1 answers 200 or a Google-shaped 4xx, never a 5xx and never a
 * problem+json; Coral's phase answers 200, 204 or a documented 4xx even for correctly signed garbage.
 */
let t: TestApp;
let site: CreatedSite;
const secret = `ems_${crypto.randomBytes(32).toString('hex')}`;

beforeAll(async () => {
  t = await startTestApp({}, { workers: false });
  site = await t.site({ rateLimits: { perspectivePerMinute: 100000 } });
  await setCoralSigningSecret(t.redis, t.service.ctx.moderation.secret, site.siteId, secret);
});
afterAll(() => t.close());

/** Values shaped like the requests, with every field now and then replaced by junk. */
const junk = fc.oneof(fc.string({ maxLength: 50 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), fc.object({ maxDepth: 2 }));
const maybe = <T>(a: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: a }, { weight: 1, arbitrary: junk });
const text = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('', ' ', '\u202e\u0000', 'é'.repeat(10241)));
const attribute = fc.oneof(fc.constantFrom('TOXICITY', 'SEVERE_TOXICITY', 'INSULT', 'THREAT', 'PROFANITY', 'IDENTITY_ATTACK', 'SPAM', 'FLIRTATION', '__proto__', 'constructor'), fc.string({ maxLength: 20 }));
const analyzeBody = fc.record({
  comment: maybe(fc.record({ text: maybe(text), type: maybe(fc.constantFrom('PLAIN_TEXT', 'HTML')) })),
  requestedAttributes: maybe(fc.dictionary(attribute, maybe(fc.record({ scoreType: maybe(fc.constantFrom('PROBABILITY', 'RAW')), scoreThreshold: maybe(fc.double()) })), { maxKeys: 4 })),
  languages: maybe(fc.array(fc.oneof(fc.constantFrom('en', 'ar', 'fa', 'es', 'en-US'), fc.string({ maxLength: 10 })), { maxLength: 3 })),
  spanAnnotations: maybe(fc.boolean()),
  dropUnsupportedAttributes: maybe(fc.boolean()),
  clientToken: maybe(fc.string({ maxLength: 30 })),
}, { requiredKeys: [] });

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(t.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

it('when /v1alpha1 gets generated hostile bodies, then it answers 200 or a Google-shaped 4xx, never 5xx', async () => {
  await fc.assert(
    fc.asyncProperty(analyzeBody, fc.constantFrom('comments:analyze', 'comments:suggestscore'), async (body, method) => {
      const payload = method === 'comments:suggestscore' ? { ...body, attributeScores: body.requestedAttributes } : body;
      const r = await post(`/v1alpha1/${method}?key=${site.secretKey}`, JSON.stringify(payload));
      expect(r.status === 200 || r.status === 400 || r.status === 429).toBe(true);
      expect(r.type).toMatch(/^application\/json/);
      if (r.status !== 200) expect(Object.keys(JSON.parse(r.text).error).sort()).toEqual(['code', 'message', 'status']);
    }),
    { numRuns: 300 },
  );
  // Nothing from analyze is ever stored as a comment.
  expect(await keysMatching(t.redis, keys.comment(site.siteId, '*'))).toEqual([]);
});

it('when Coral\'s route gets correctly signed hostile bodies, then 200, 204 or a documented 4xx, never 5xx', async () => {
  const coralBody = fc.record({
    action: maybe(fc.constantFrom('NEW', 'EDIT')),
    comment: maybe(fc.record({ body: maybe(text), parentID: maybe(fc.option(fc.string({ maxLength: 40 }))) })),
    author: maybe(fc.record({ id: maybe(fc.string({ minLength: 1, maxLength: 40 })), role: maybe(fc.constantFrom('COMMENTER', 'ADMIN', 'staff')) })),
    story: maybe(fc.record({ id: maybe(fc.string({ minLength: 1, maxLength: 40 })), url: maybe(fc.webUrl()) })),
  }, { requiredKeys: [] });
  await fc.assert(
    fc.asyncProperty(coralBody, async (body) => {
      const raw = JSON.stringify(body, null, 2);
      const r = await post(`/v1/integrations/coral/${site.siteId}`, raw, { 'x-coral-signature': coralSignature(raw, [secret]) });
      expect([200, 204, 400, 422]).toContain(r.status);
      if (r.status >= 400) expect(JSON.parse(r.text).code).toMatch(/^(invalid_json|validation_failed)$/);
    }),
    { numRuns: 300 },
  );
});
