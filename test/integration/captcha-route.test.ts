import { metrics } from '../../src/infra/metrics';
import { startTestApp, TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

// POST /v1/captchas runs ahead of the app's middleware chain and sets what that chain sets itself (routes/captchas.ts):
// these tests hold it to the headers, CORS grants, request ids and timing every other route gets.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { workers: false });
});
afterAll(() => t.close());

const ORIGIN = 'http://localhost:3000';
/** Headers that differ per answer or per route, left out when comparing against another route's. */
const OWN = new Set(['date', 'connection', 'keep-alive', 'content-length', 'content-type', 'cache-control', 'x-request-id', 'retry-after',
  'access-control-allow-origin', 'vary', 'ratelimit', 'ratelimit-policy']);
const common = (h: Headers) => {
  const out: Array<[string, string]> = [];
  h.forEach((v, k) => {
    if (!OWN.has(k) && !k.startsWith('ratelimit')) out.push([k, v]);
  });
  return out.sort();
};

async function challenge(opts: { key?: string; origin?: string; query?: string; requestId?: string } = {}) {
  const headers: Record<string, string> = {};
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  if (opts.origin) headers.origin = opts.origin;
  if (opts.requestId) headers['x-request-id'] = opts.requestId;
  const res = await fetch(`${t.url}/v1/captchas${opts.query ?? ''}`, { method: 'POST', headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

/** The security headers of a route that goes through the whole chain. */
async function chainHeaders(): Promise<Array<[string, string]>> {
  const res = await fetch(`${t.url}/healthz`);
  await res.arrayBuffer();
  return common(res.headers);
}

describe('POST /v1/captchas, mounted ahead of the middleware chain', () => {
  it('when a challenge is issued to an allowed origin, then it carries the chain\'s security headers, the caller\'s request id and the CORS grant', async () => {
    const site = await t.site();
    const r = await challenge({ key: site.siteKey, origin: ORIGIN, requestId: 'bench-request-0001' });
    expect(r.status).toBe(201);
    expect(r.body.type).toBe('pow');
    const security = await chainHeaders();
    expect(security.map(([k]) => k)).toEqual(expect.arrayContaining(['content-security-policy', 'x-content-type-options', 'strict-transport-security']));
    expect(common(r.headers)).toEqual(security);
    expect(r.headers.get('x-request-id')).toBe('bench-request-0001');
    expect(r.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(r.headers.get('vary')).toBe('Origin');
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('when a challenge is asked without an Origin, then it has no CORS grant and a request id of its own', async () => {
    const site = await t.site();
    const r = await challenge({ key: site.siteKey, requestId: 'not a safe id' });
    expect(r.status).toBe(201);
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when a challenge is refused (no key, a bad key, a secret key, another origin, a bad query, the limit), then the answer has the chain\'s headers, and a CORS grant only for an allowed origin', async () => {
    const site = await t.site({ rateLimits: { captchasPerIpPerMinute: 1 } });
    const security = await chainHeaders();
    const cases = [
      { opts: {}, status: 401, cors: false },
      { opts: { key: 'pk_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, status: 401, cors: false },
      { opts: { key: site.secretKey }, status: 403, cors: false },
      { opts: { key: site.siteKey, origin: 'https://evil.example' }, status: 403, cors: false },
      { opts: { key: site.siteKey, origin: ORIGIN, query: '?alternative=audio' }, status: 422, cors: true },
    ];
    for (const c of cases) {
      const r = await challenge({ ...c.opts, requestId: 'refused-request-01' });
      expect({ ...c, status: r.status }).toEqual(c);
      expect(common(r.headers)).toEqual(security);
      expect(r.headers.get('x-request-id')).toBe('refused-request-01');
      expect(r.body.requestId ?? 'refused-request-01').toBe('refused-request-01');
      expect(r.headers.get('access-control-allow-origin')).toBe(c.cors ? ORIGIN : null);
    }
    expect((await challenge({ key: site.siteKey, origin: ORIGIN })).status).toBe(201);
    const limited = await challenge({ key: site.siteKey, origin: ORIGIN });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(common(limited.headers)).toEqual(security);
    expect(limited.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  it('when challenges are answered or refused, then each is timed under the route\'s pattern', async () => {
    const count = async (status: string) => {
      const m = (await metrics.httpDuration.get()).values.find((v) => v.metricName === 'vigil_http_request_duration_seconds_count'
        && v.labels.route === '/v1/captchas' && v.labels.method === 'POST' && v.labels.status === status);
      return m?.value ?? 0;
    };
    const site = await t.site();
    const [ok, refused] = [await count('201'), await count('401')];
    await challenge({ key: site.siteKey });
    await challenge({ key: 'nonsense' });
    // Written on 'finish', which may follow the client's read of the answer by a moment.
    await until('both requests timed', async () => (await count('201')) === ok + 1 && (await count('401')) === refused + 1);
  });
});
