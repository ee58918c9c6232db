import http from 'node:http';
import fc from 'fast-check';
import { keys } from '../../src/infra/keys';
import { policySchema } from '../../src/sites/policy';
import type { CreatedSite } from '../../src/sites/site-store';
import { serverComment, startTestApp, TestApp } from '../helpers/test-app';

/**
 * Property-based hostile input on every public endpoint, over 10,000 generated requests in all: malformed
 * JSON, wrong types, huge strings, invalid UTF-8, control and bidi characters, deep nesting, `__proto__` keys, odd
 * keys and paths. Vigil may only answer with the documented 4xx codes (or 2xx where the input happens to be valid and
 * the endpoint stores nothing), never 5xx, never crash, and no hostile comment is stored. Requests go over
 * keep-alive connections, several at a time, so the whole suite stays well under a minute.
 */
let t: TestApp;
let site: CreatedSite;
let other: CreatedSite;
let host: { hostname: string; port: number };
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
let sent = 0;

/** Every problem code the README documents for a 4xx, by status. */
const DOCUMENTED: Record<number, string[]> = {
  400: ['invalid_json'], 401: ['unauthorized'], 403: ['forbidden', 'captcha_required', 'captcha_invalid', 'captcha_expired'],
  404: ['not_found'], 409: ['conflict'], 413: ['payload_too_large'], 415: ['unsupported_media_type'],
  422: ['validation_failed'], 429: ['rate_limited'],
};

beforeAll(async () => {
  t = await startTestApp({ VIGIL_WEBHOOK_QUEUE: `webhooks-fuzz-${process.pid}` }, { workers: false });
  const u = new URL(t.url);
  host = { hostname: u.hostname, port: Number(u.port) };
  const limits = { commentsPerIpPerMinute: 100000, commentsPerEmailPerHour: 100000, captchasPerIpPerMinute: 100000 };
  site = await t.site({ rateLimits: limits, captcha: 'svg' }, ['https://news.example']);
  other = await t.site({ rateLimits: limits }, ['https://other.example']);
});
afterAll(async () => {
  agent.destroy();
  await t.close();
});

interface Answer { status: number; body: string; type: string }

function send(method: string, path: string, body: Buffer | string | undefined, headers: Record<string, string> = {}): Promise<Answer> {
  sent++;
  return new Promise((resolve, reject) => {
    const req = http.request({ ...host, method, path, agent, headers: { ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), type: String(res.headers['content-type'] ?? '') }));
    });
    req.setTimeout(15000, () => req.destroy(new Error(`no answer to ${method} ${path}`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** A 4xx must be problem+json with one of the documented codes; 5xx never; 2xx only where `ok` allows it. */
function expectDocumented(a: Answer, ok: number[], what: string): void {
  if (a.status < 400) {
    if (!ok.includes(a.status)) throw new Error(`${what}: unexpected ${a.status} ${a.body.slice(0, 300)}`);
    return;
  }
  const codes = DOCUMENTED[a.status];
  if (!codes) throw new Error(`${what}: undocumented status ${a.status} ${a.body.slice(0, 300)}`);
  if (!a.type.startsWith('application/problem+json')) throw new Error(`${what}: ${a.status} is not problem+json (${a.type})`);
  const code = JSON.parse(a.body).code;
  if (!codes.includes(code)) throw new Error(`${what}: ${a.status} with undocumented code ${code}`);
}

/** Runs `check` over batches of inputs sent concurrently; fast-check still shrinks a failing batch. */
async function fuzz<T>(arb: fc.Arbitrary<T>, runs: number, check: (input: T) => Promise<void>): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.array(arb, { minLength: 12, maxLength: 24 }), async (batch) => {
      await Promise.all(batch.map(check));
    }),
    { numRuns: runs, endOnFailure: false },
  );
}

const bidi = fc.constantFrom('\u202e', '\u202d', '\u2066', '\u2067', '\u2068', '\u2069', '\u200f', '\u061c', '\ufeff', '\u0000', '\u0007', '\u001b[31m', '\r\n', '\u2028');
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.oneof(fc.string({ maxLength: 8 }), bidi), { maxLength: 12 }).map((a) => a.join('')),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '<script>alert(1)</script>', "' OR 1=1 --", '../../etc/passwd', '%00', '\ud800', '\udfff'),
  fc.integer({ min: 1, max: 70000 }).map((n) => 'x'.repeat(n)),
);
const weird = fc.oneof(nasty, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(nasty, { maxLength: 4 }), fc.dictionary(nasty, nasty, { maxKeys: 4 }));
const pollution = fc.constantFrom(
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '{"threadId":"a","author":{"name":"x","email":"a@b.co","__proto__":{"polluted":1}},"body":["hi"],"client":{"ip":"1.2.3.4"},"__proto__":{"isAdmin":true}}',
  '{"body":"x","author":{"__proto__":{"polluted":1}}}',
  '{"rateLimits":{"__proto__":{"polluted":1}},"blocked":{"constructor":{"prototype":{"polluted":1}}}}',
);
const deep = fc.integer({ min: 100, max: 30000 }).map((n) => (n % 2 ? '['.repeat(n) + ']'.repeat(n) : '{"a":'.repeat(n) + '1' + '}'.repeat(n)));

/** A JSON body as text: wrong shapes, broken syntax, deep nesting, pollution attempts, or a comment with one bad field. */
const jsonText = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.dictionary(nasty, weird, { maxKeys: 6 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 60 }).map((s) => `{"body": ${s}`),
  fc.constantFrom('', '{', '[', 'nul', '{"a":1,}', "{'a':1}", '{"a":NaN}', '"\\ud800"', '1e999999', '{"a":1}{"b":2}'),
  pollution,
  deep,
);

/** A comment body that is always invalid: one field of a valid comment replaced by something of the wrong kind. */
const badComment = fc
  .record({
    field: fc.constantFrom('threadId', 'author', 'body', 'client', 'parentId', 'captcha', 'renderedAt', 'honeypot', 'author.email', 'author.name', 'author.url', 'client.ip'),
    value: fc.oneof(fc.integer(), fc.constant(null), fc.array(weird, { maxLength: 3 }), fc.dictionary(nasty, weird, { maxKeys: 3 }), fc.integer({ min: 70000, max: 90000 }).map((n) => 'y'.repeat(n)), fc.constant(''), fc.constant(true)),
    extra: fc.dictionary(nasty, weird, { maxKeys: 3 }),
  })
  // An empty honeypot is the one replacement that is still a valid comment.
  .filter(({ field, value }) => !(field === 'honeypot' && value === ''))
  .map(({ field, value, extra }) => {
    const c: any = { ...serverComment(), ...extra };
    const [a, b] = field.split('.');
    if (b) c[a] = { ...(c[a] ?? {}), [b]: value };
    else c[a] = value;
    return c;
  });

const invalidUtf8 = fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => Buffer.concat([Buffer.from('{"body":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from(b), Buffer.from('"}')]));

/** encodeURIComponent throws on a lone surrogate; send its (invalid) UTF-8 spelling instead. */
function safeEncode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
}

const json = (key: string) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });

describe('hostile input', () => {

  it('when POST /v1/comments gets hostile JSON with the secret key, then only documented 4xx and nothing stored', async () => {
    await fuzz(fc.oneof(jsonText, badComment.map((c) => JSON.stringify(c))), 150, async (body) => {
      const a = await send('POST', '/v1/comments', body, json(site.secretKey));
      if (a.status < 400) throw new Error(`accepted hostile comment: ${body.slice(0, 200)} -> ${a.body.slice(0, 200)}`);
      expectDocumented(a, [], 'POST /v1/comments');
    });
  });

  it('when POST /v1/comments gets hostile JSON with the site key from an allowed origin, then only documented 4xx', async () => {
    await fuzz(fc.oneof(jsonText, badComment.map((c) => JSON.stringify({ ...c, client: undefined }))), 90, async (body) => {
      const a = await send('POST', '/v1/comments', body, { ...json(site.siteKey), origin: 'https://news.example' });
      expectDocumented(a, [], 'POST /v1/comments (site key)');
    });
  });

  it('when raw bytes, invalid UTF-8 or odd content types are posted, then only documented 4xx', async () => {
    const ct = fc.constantFrom('application/json', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/merge-patch+json', '');
    const path = fc.constantFrom('/v1/comments', '/v1/check', '/v1/site/policy', '/v1/webhooks', '/v1/review/claim');
    const bytes = fc.oneof(invalidUtf8, fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)));
    await fuzz(fc.record({ ct, path, bytes }), 80, async ({ ct, path, bytes }) => {
      const method = path === '/v1/site/policy' ? 'PATCH' : 'POST';
      const headers: Record<string, string> = { authorization: `Bearer ${site.secretKey}` };
      if (ct) headers['content-type'] = ct;
      const a = await send(method, path, bytes, headers);
      // Bytes that decode to nothing are an empty patch, which is valid and changes nothing.
      expectDocumented(a, method === 'PATCH' ? [200] : [], `${method} ${path} (${ct})`);
    });
  });

  it('when POST /v1/check gets hostile text, then it answers 200 or documented 4xx', async () => {
    const checkBody = fc.oneof(
      jsonText,
      fc.record({ body: nasty, author: fc.option(fc.record({ name: nasty, email: nasty, url: nasty }), { nil: undefined }) }).map((v) => JSON.stringify(v)),
    );
    await fuzz(checkBody, 80, async (body) => {
      const a = await send('POST', '/v1/check?explain=true', body, json(site.secretKey));
      expectDocumented(a, [200], 'POST /v1/check');
    });
  });

  it('when PATCH /v1/site/policy gets hostile patches, then 200 or documented 4xx, and the stored policy stays valid', async () => {
    const patch = fc.oneof(jsonText, fc.record({ rateLimits: weird, blocked: weird, captcha: weird, thresholds: weird, allowedOrigins: weird, moderation: weird }, { requiredKeys: [] }).map((v) => JSON.stringify(v)));
    await fuzz(patch, 40, async (body) => {
      const a = await send('PATCH', '/v1/site/policy', body, json(other.secretKey));
      expectDocumented(a, [200], 'PATCH /v1/site/policy');
    });
    const raw = await t.redis.hget(keys.site(other.siteId), 'policy');
    expect(() => policySchema.parse(JSON.parse(raw!))).not.toThrow();
  });

  it('when webhooks and review endpoints get hostile bodies, then only documented 4xx', async () => {
    const target = fc.constantFrom<[string, string]>(
      ['POST', '/v1/webhooks'], ['PATCH', '/v1/webhooks/nope'], ['POST', '/v1/review/claim'], ['POST', '/v1/review/decisions'],
      ['POST', '/v1/review/abc/decision'], ['POST', '/v1/captchas'],
    );
    await fuzz(fc.record({ target, body: jsonText, key: fc.constantFrom(site.secretKey, site.siteKey, 'mt_0000000000000000_nope', 'garbage') }), 60, async ({ target: [m, p], body, key }) => {
      const a = await send(m, p, body, json(key));
      // A well-formed webhook could be created with the secret key, and a captcha is issued for any body.
      expectDocumented(a, p === '/v1/captchas' ? [201] : p === '/v1/webhooks' ? [201] : [], `${m} ${p}`);
    });
  });

  it('when paths, queries and keys are hostile, then only documented 4xx (or an empty answer)', async () => {
    const seg = fc.oneof(nasty, fc.constantFrom('..', '%2e%2e', '%00', '%ff', '%', '%%', ' ', '\u202e')).map((s) => safeEncode(s).slice(0, 2000));
    const rawSeg = fc.constantFrom('%', '%zz', '%ff%fe', '..%2f..', '%c0%ae');
    const query = fc.dictionary(fc.constantFrom('status', 'limit', 'after', 'explain', '__proto__', 'constructor'), fc.oneof(nasty, fc.integer()).map(String), { maxKeys: 4 });
    const key = fc.oneof(fc.constant(site.secretKey), fc.constant(other.siteKey), fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz_0123456789-'.split('')), maxLength: 80 }), fc.constant(`sk_${site.siteId}_${'A'.repeat(32)}`));
    const route = fc.constantFrom('/v1/comments/', '/v1/threads/', '/v1/review/', '/v1/webhooks/', '/v1/site/', '/1.1/', '/demo/', '/moderate/');
    await fuzz(fc.record({ route, s: fc.oneof(seg, rawSeg), query, key }), 80, async ({ route, s, query, key }) => {
      const qs = new URLSearchParams(query).toString();
      const path = `${route}${s}${route === '/v1/threads/' ? '/comments' : ''}${qs ? `?${qs}` : ''}`;
      const a = await send('GET', path, undefined, { authorization: `Bearer ${key}` });
      if (a.status >= 500) throw new Error(`GET ${path}: ${a.status} ${a.body.slice(0, 200)}`);
      if (a.status >= 400 && a.type.startsWith('application/problem+json')) expectDocumented(a, [], `GET ${path}`);
    });
  });

  it('when Akismet endpoints get hostile forms, then they answer as Akismet does and never 5xx', async () => {
    const form = fc.dictionary(fc.oneof(fc.constantFrom('api_key', 'blog', 'user_ip', 'comment_content', 'comment_author', 'comment_type', '__proto__', 'is_test'), nasty), nasty, { maxKeys: 8 });
    const path = fc.constantFrom('/1.1/verify-key', '/1.1/comment-check', '/1.1/submit-spam', '/1.1/submit-ham');
    await fuzz(fc.record({ form, path }), 40, async ({ form, path }) => {
      const body = new URLSearchParams(form).toString();
      const a = await send('POST', path, body, { 'content-type': 'application/x-www-form-urlencoded' });
      if (a.status >= 500) throw new Error(`POST ${path}: ${a.status} ${a.body.slice(0, 200)}`);
      expect([200, 400, 401, 403, 413, 415, 422]).toContain(a.status);
    });
  });

  it('when the suite is over, then no prototype was polluted and no hostile comment was stored', async () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    for (const s of [site, other]) {
      const [, found] = await t.redis.scan('0', 'MATCH', `vigil:{${s.siteId}}:comment:*`, 'COUNT', 100000);
      expect(found).toEqual([]);
    }
    const health = await send('GET', '/healthz', undefined);
    expect(health.status).toBe(200);
    // The suite's promise: more than 10,000 generated requests in all.
    expect(sent).toBeGreaterThan(10000);
  });
});
