import { CaptchaChallenge, issueCaptcha } from '../../src/captcha/issue';
import { prepareCaptcha } from '../../src/captcha/prepared';
import { getSite, type CreatedSite } from '../../src/sites/site-store';
import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';

/**
 * Hostile input at the HTTP edge: bodies in other charsets, bodies whose Content-Encoding lies, author URLs that
 * would run script, Idempotency-Keys shared between a browser and the site's server, and explanations asked for
 * on the browser path.
 */
let t: TestApp;
let site: CreatedSite;
const ORIGIN = 'https://hostile.example';

beforeAll(async () => {
  t = await startTestApp({ VIGIL_WEBHOOK_QUEUE: `webhooks-hostile-${process.pid}` }, { workers: false });
  site = await t.site({ captcha: 'off', rateLimits: { commentsPerIpPerMinute: 1000, commentsPerEmailPerHour: 1000 } }, [ORIGIN]);
});
afterAll(async () => {
  await t.close();
});

const browserComment = (over: Record<string, unknown> = {}) => ({ ...serverComment(over), client: undefined });

describe('JSON charsets', () => {
  it.each(['utf-7', 'UTF-16', 'utf-16le', 'utf-32', 'latin1'])('when a JSON body declares charset=%s, then 415 naming UTF-8 and nothing is stored', async (charset) => {
    const body = JSON.stringify(serverComment({ threadId: `cs-${charset}`, body: '+ADw-script+AD4-alert(1)+ADw-/script+AD4-' }));
    const r = await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, raw: body, headers: { 'content-type': `application/json; charset=${charset}` } });
    expect(r.status).toBe(415);
    expect(r.json.code).toBe('unsupported_media_type');
    expect(r.json.detail).toMatch(/UTF-8/);
    const list = await api(t.url, 'GET', `/v1/threads/cs-${charset}/comments`, { key: site.secretKey });
    expect(list.json.comments).toEqual([]);
  });

  it('when a JSON body declares charset=utf-8 or none, then it is accepted', async () => {
    for (const type of ['application/json; charset=utf-8', 'application/json; charset="UTF-8"', 'application/json']) {
      const r = await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, raw: JSON.stringify(serverComment()), headers: { 'content-type': type } });
      expect(r.status).toBe(201);
    }
  });
});

describe('content encodings', () => {
  it.each(['br', 'gzip', 'deflate'])('when a %s body is corrupt, then 400 invalid_json, not 500', async (encoding) => {
    for (const path of ['/healthz', '/v1/comments']) {
      const r = await api(t.url, 'POST', path, { key: site.secretKey, raw: 'xx', headers: { 'content-type': 'application/json', 'content-encoding': encoding } });
      expect({ path, status: r.status, code: r.json?.code }).toEqual({ path, status: 400, code: 'invalid_json' });
    }
  });
});

describe('author URLs', () => {
  it.each(['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'ftp://files.example/x', 'vbscript:msgbox(1)'])(
    'when author.url is %s, then 422 and nothing is stored',
    async (url) => {
      const threadId = `url-${url.slice(0, 4)}`;
      const r = await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment({ threadId, author: { name: 'X', email: 'x@example.com', url } }) });
      expect(r.status).toBe(422);
      expect(r.json.errors[0].path).toBe('author.url');
      const list = await api(t.url, 'GET', `/v1/threads/${threadId}/comments?status=approved`, { key: site.secretKey });
      expect(list.json.comments).toEqual([]);
    },
  );

  it('when author.url is an http(s) URL, then it is stored and read back', async () => {
    const r = await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment({ author: { name: 'X', email: 'x@example.com', url: 'https://blog.example/me' } }) });
    expect(r.status).toBe(201);
    const back = await api(t.url, 'GET', `/v1/comments/${r.json.id}`, { key: site.secretKey });
    expect(back.json.author.url).toBe('https://blog.example/me');
  });
});

describe('Idempotency-Keys', () => {
  it("when a browser has used an Idempotency-Key, then the site's server using the same key gets its own answer", async () => {
    const key = `shared-${Date.now()}`;
    const fromBrowser = await api(t.url, 'POST', '/v1/comments', {
      key: site.siteKey, headers: { origin: ORIGIN, 'idempotency-key': key }, body: browserComment({ threadId: 'idem-a', body: 'Browser text that claims the key first.' }),
    });
    expect(fromBrowser.status).toBe(201);
    const fromServer = await api(t.url, 'POST', '/v1/comments', {
      key: site.secretKey, headers: { 'idempotency-key': key }, body: serverComment({ threadId: 'idem-b', body: 'The server comment with the same key.' }),
    });
    expect(fromServer.status).toBe(201);
    expect(fromServer.headers.get('idempotent-replayed')).toBeNull();
    expect(fromServer.json.id).not.toBe(fromBrowser.json.id);
    // Within one key space a key still replays.
    const again = await api(t.url, 'POST', '/v1/comments', {
      key: site.secretKey, headers: { 'idempotency-key': key }, body: serverComment({ threadId: 'idem-b', body: 'The server comment with the same key.' }),
    });
    expect(again.json.id).toBe(fromServer.json.id);
  });
});

describe('explanations', () => {
  it('when a browser asks for ?explain=true, then no explanation is returned; the secret key still gets one', async () => {
    const fromBrowser = await api(t.url, 'POST', '/v1/comments?explain=true', { key: site.siteKey, headers: { origin: ORIGIN }, body: browserComment({ threadId: 'explain' }) });
    expect(fromBrowser.status).toBe(201);
    expect(fromBrowser.json.explanation).toBeUndefined();
    const fromServer = await api(t.url, 'POST', '/v1/comments?explain=true', { key: site.secretKey, body: serverComment({ threadId: 'explain' }) });
    expect(fromServer.json.explanation).toBeDefined();
  });
});

describe('per-e-mail limit', () => {
  /** An svg captcha issued in-process with the real renderer, keeping its answer. */
  async function solvedCaptcha(siteId: string) {
    let answer = '';
    const deps = { redis: t.redis, secret: t.service.ctx.moderation.secret, ttlSeconds: 300, prepare: () => { const p = prepareCaptcha(); answer = p.answer; return p; } };
    const c = JSON.parse((await issueCaptcha(deps, (await getSite(t.redis, siteId))!, '', Date.now())).toString()) as CaptchaChallenge;
    if (c.type !== 'svg') throw new Error('expected an svg captcha');
    return { id: c.id, answer };
  }

  it("when a browser sends many comments with a victim's e-mail and bogus captchas, then neither the server path nor a solved captcha is locked out", async () => {
    const s = await t.site({ captcha: 'svg', rateLimits: { commentsPerIpPerMinute: 1000, commentsPerEmailPerHour: 3 } }, [ORIGIN]);
    const victim = { name: 'Victim', email: 'victim@example.com' };
    for (let i = 0; i < 10; i++) {
      const r = await api(t.url, 'POST', '/v1/comments', { key: s.siteKey, headers: { origin: ORIGIN }, body: browserComment({ author: victim, captcha: { id: `bogus-${i}`, answer: 'xxxxx' } }) });
      expect(r.json.code).toBe('captcha_invalid');
    }
    const server = await api(t.url, 'POST', '/v1/comments', { key: s.secretKey, body: serverComment({ author: victim }) });
    expect(server.status).toBe(201);
    const browser = await api(t.url, 'POST', '/v1/comments', { key: s.siteKey, headers: { origin: ORIGIN }, body: browserComment({ author: victim, captcha: await solvedCaptcha(s.siteId), renderedAt: new Date(Date.now() - 60000).toISOString() }) });
    expect(browser.status).toBe(201);
  });

  it('when comments with solved captchas exceed the per-e-mail limit, then the browser path is limited and the server path is not', async () => {
    const s = await t.site({ captcha: 'svg', rateLimits: { commentsPerIpPerMinute: 1000, commentsPerEmailPerHour: 2 } }, [ORIGIN]);
    const author = { name: 'Busy', email: 'busy@example.com' };
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await api(t.url, 'POST', '/v1/comments', { key: s.siteKey, headers: { origin: ORIGIN }, body: browserComment({ author, body: `Solved comment number ${i} about the budget.`, captcha: await solvedCaptcha(s.siteId), renderedAt: new Date(Date.now() - 60000).toISOString() }) });
      codes.push(r.status);
    }
    expect(codes).toEqual([201, 201, 429]);
    const server = await api(t.url, 'POST', '/v1/comments', { key: s.secretKey, body: serverComment({ author }) });
    expect(server.status).toBe(201);
  });
});

describe('per-IP limits', () => {
  it('when comments come from 12 addresses of one IPv6 /64, then they share one per-IP limit', async () => {
    const s = await t.site({ captcha: 'off', rateLimits: { commentsPerIpPerMinute: 3, commentsPerEmailPerHour: 1000 } });
    const codes: number[] = [];
    for (let i = 1; i <= 12; i++) {
      const r = await api(t.url, 'POST', '/v1/comments', { key: s.secretKey, body: serverComment({ body: `Comment ${i} from one household.`, client: { ip: `2001:db8:77:1::${i.toString(16)}` } }) });
      codes.push(r.status);
    }
    expect(codes.filter((c) => c === 201)).toHaveLength(3);
    expect(codes.filter((c) => c === 429)).toHaveLength(9);
    // Another /64 has its own limit.
    const other = await api(t.url, 'POST', '/v1/comments', { key: s.secretKey, body: serverComment({ client: { ip: '2001:db8:77:2::1' } }) });
    expect(other.status).toBe(201);
  });

  it('when a limited IPv4 address comes back in its ::ffff: form, then it is still limited', async () => {
    const s = await t.site({ captcha: 'off', rateLimits: { commentsPerIpPerMinute: 2, commentsPerEmailPerHour: 1000 } });
    for (let i = 0; i < 2; i++) {
      expect((await api(t.url, 'POST', '/v1/comments', { key: s.secretKey, body: serverComment({ client: { ip: '192.0.2.44' } }) })).status).toBe(201);
    }
    for (const ip of ['::ffff:192.0.2.44', '::ffff:c000:22c']) {
      const r = await api(t.url, 'POST', '/v1/comments', { key: s.secretKey, body: serverComment({ client: { ip } }) });
      expect({ ip, status: r.status }).toEqual({ ip, status: 429 });
    }
  });

  it('when no proxy is configured, then X-Forwarded-For from a loopback peer is not believed', async () => {
    const s = await t.site({ captcha: 'off', rateLimits: { commentsPerIpPerMinute: 2, commentsPerEmailPerHour: 1000 } }, [ORIGIN]);
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await api(t.url, 'POST', '/v1/comments', { key: s.siteKey, headers: { origin: ORIGIN, 'x-forwarded-for': `198.51.100.${i + 1}` }, body: browserComment({ body: `Spoofed comment ${i}.` }) });
      codes.push(r.status);
    }
    expect(codes).toEqual([201, 201, 429, 429]);
  });
});
