import type { CreatedSite } from '../../src/sites/site-store';
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
