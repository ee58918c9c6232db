import http from 'node:http';
import { AkismetClient } from 'akismet-api';
import { AKISMET_HOST, BLOG, HAM, ipSequence, SPAM, useAkismetApp } from '../helpers/akismet-app';
import { api, keysMatching } from '../helpers/test-app';
import { akismetKeyFor } from '../../src/akismet/key';
import { THANKS } from '../../src/akismet/routes';
import { readFeedback } from '../../src/learning/feedback';

const app = useAkismetApp();
const nextIp = ipSequence();

function client(key: string): AkismetClient {
  return new AkismetClient({ key, blog: BLOG, host: `${AKISMET_HOST}:${app.port}`, protocol: 'http' });
}

/** A raw form post the way WordPress's Akismet plugin sends one (its user agent, charset and extra server fields). */
function wpPost(
  path: string, fields: Record<string, string>, host = `${AKISMET_HOST}:${app.port}`,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  const body = new URLSearchParams(fields).toString();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1', port: app.port, path, method: 'POST',
        headers: {
          host,
          'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'WordPress/6.4.2 | Akismet/5.3',
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function wpComment(over: Record<string, string> = {}): Record<string, string> {
  return {
    blog: BLOG, user_ip: nextIp(), user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0', referrer: `${BLOG}/council-budget`,
    permalink: `${BLOG}/council-budget`, comment_type: 'comment', comment_author: 'Jane Reader',
    comment_author_email: 'jane@example.com', comment_author_url: '', comment_content: HAM, comment_date_gmt: '2026-11-26 22:00:00',
    comment_post_modified_gmt: '2026-11-26 08:00:00', blog_lang: 'en_US', blog_charset: 'UTF-8',
    // WordPress also sends server variables; they are not Akismet fields and are ignored.
    HTTP_ACCEPT: 'text/html', REQUEST_URI: '/wp-comments-post.php', comment_as_submitted_comment_content: HAM,
    ...over,
  };
}

async function comment(secretKey: string, id: string) {
  return api(app.t.url, 'GET', `/v1/comments/${id}`, { key: secretKey });
}

describe('Akismet API with the npm akismet-api client', () => {
  it('when verifying keys, then the secret key in either spelling is valid and anything else is invalid', async () => {
    const site = await app.t.site();
    const dnsKey = akismetKeyFor(site.secretKey)!;
    expect(await client(site.secretKey).verifyKey()).toBe(true);
    expect(await client(dnsKey).verifyKey()).toBe(true);
    expect(await client(site.siteKey).verifyKey()).toBe(false);
    expect(await client(`${site.secretKey.slice(0, -4)}AAAA`).verifyKey()).toBe(false);
    expect(await client('0123456789ab').verifyKey()).toBe(false);
  });

  it('when a clean comment is checked, then the answer is false and the comment is stored as from a server', async () => {
    const site = await app.t.site();
    const c = client(akismetKeyFor(site.secretKey)!);
    const permalink = `${BLOG}/client-ham`;
    const isSpam = await c.checkSpam({ ip: nextIp(), useragent: 'Mozilla/5.0', name: 'Jane', email: 'jane@example.com', content: HAM, permalink });
    expect(isSpam).toBe(false);
    const thread = await api(app.t.url, 'GET', `/v1/threads/${encodeURIComponent(permalink)}/comments?status=approved`, { key: site.secretKey });
    expect(thread.json.comments).toHaveLength(1);
    expect(thread.json.comments[0]).toMatchObject({ body: HAM, via: 'server' });
  });

  it('when spam is checked, then the answer is true and it is stored rejected', async () => {
    const site = await app.t.site();
    const c = client(akismetKeyFor(site.secretKey)!);
    const permalink = `${BLOG}/client-spam`;
    expect(await c.checkSpam({ ip: nextIp(), name: 'Rich', email: 'cash@money.example.biz', content: SPAM, permalink })).toBe(true);
    const thread = await api(app.t.url, 'GET', `/v1/threads/${encodeURIComponent(permalink)}/comments?status=rejected`, { key: site.secretKey });
    expect(thread.json.comments).toHaveLength(1);
    expect(thread.json.comments[0].reasons).toContain('spam');
  });

  it('when spam and ham are submitted, then both feed the learning stream, e-mail masked', async () => {
    const site = await app.t.site();
    const c = client(akismetKeyFor(site.secretKey)!);
    await c.submitSpam({ ip: nextIp(), name: 'Rich', email: 'cash@money.example.biz', content: SPAM });
    await c.submitHam({ ip: nextIp(), name: 'Jane', email: 'jane@example.com', content: HAM });
    const fb = (await readFeedback(app.t.redis, site.siteId)).map((f) => f.feedback);
    expect(fb).toEqual([
      { task: 'spam', positive: true, text: SPAM, author: 'Rich', email: 'c***@money.example.biz', source: 'akismet' },
      { task: 'spam', positive: false, text: HAM, author: 'Jane', email: 'j***@example.com', source: 'akismet' },
    ]);
  });

  it('when is_test is set, then the comment is scored but nothing is stored, counted or learnt', async () => {
    const site = await app.t.site();
    const c = client(akismetKeyFor(site.secretKey)!);
    const permalink = `${BLOG}/client-test`;
    expect(await c.checkSpam({ ip: nextIp(), content: SPAM, permalink, is_test: true })).toBe(true);
    expect(await c.checkSpam({ ip: nextIp(), content: HAM, permalink, is_test: true })).toBe(false);
    await c.submitSpam({ ip: nextIp(), content: SPAM, is_test: true });
    for (const status of ['approved', 'pending', 'rejected']) {
      const thread = await api(app.t.url, 'GET', `/v1/threads/${encodeURIComponent(permalink)}/comments?status=${status}`, { key: site.secretKey });
      expect(thread.json.comments).toEqual([]);
    }
    expect(await readFeedback(app.t.redis, site.siteId)).toEqual([]);
    expect(await keysMatching(app.t.redis, `vigil:{${site.siteId}}:*`)).toEqual([`vigil:{${site.siteId}}:site`]);
  });

  it('when is_test meets the site\'s blocklist, then the verdict is the one a real comment would get', async () => {
    const site = await app.t.site({ blocked: { domains: ['spam-links.example'] } });
    const res = await wpPost('/1.1/comment-check', wpComment({ api_key: site.secretKey, is_test: '1', comment_content: 'See http://spam-links.example/x' }));
    expect([res.text, res.headers['x-akismet-pro-tip'], res.headers['x-vigil-reasons']]).toEqual(['true', 'discard', 'blocked_domain']);
    expect(await keysMatching(app.t.redis, `vigil:{${site.siteId}}:*`)).toEqual([`vigil:{${site.siteId}}:site`]);
  });

  it('when the client is given the exact sk_ key, then its lowercased host name cannot carry it: the DNS-safe spelling is needed', async () => {
    const site = await app.t.site();
    // The client lowercases the host name (Node's url.parse), and the sk_ key is case-sensitive.
    await expect(client(site.secretKey).checkSpam({ ip: nextIp(), content: HAM })).rejects.toThrow('Invalid API key');
    await expect(client(akismetKeyFor(site.secretKey)!).checkSpam({ ip: nextIp(), content: HAM })).resolves.toBe(false);
  });

  it('when the key is wrong, then the client reports an invalid key', async () => {
    const site = await app.t.site();
    const wrong = akismetKeyFor(site.secretKey)!.replace(/.$/, (ch) => (ch === 'a' ? 'q' : 'a'));
    await expect(client(wrong).checkSpam({ ip: nextIp(), content: HAM })).rejects.toThrow('Invalid API key');
    await expect(client(akismetKeyFor(site.secretKey)!).checkSpam({ ip: nextIp(), content: HAM })).resolves.toBe(false);
  });
});

describe('Akismet API with raw form posts as WordPress sends them', () => {
  it('when verify-key is posted, then the answer is valid or invalid in text/plain', async () => {
    const site = await app.t.site();
    const ok = await wpPost('/1.1/verify-key', { key: site.secretKey, blog: BLOG }, AKISMET_HOST);
    expect(ok).toMatchObject({ status: 200, text: 'valid' });
    expect(ok.headers['content-type']).toBe('text/plain; charset=utf-8');
    const bad = await wpPost('/1.1/verify-key', { key: 'abcdef123456', blog: BLOG }, AKISMET_HOST);
    expect(bad).toMatchObject({ status: 200, text: 'invalid' });
    expect(bad.headers['x-akismet-debug-help']).toMatch(/Invalid API key/);
    const noBlog = await wpPost('/1.1/verify-key', { api_key: site.secretKey }, AKISMET_HOST);
    expect(noBlog.text).toBe('invalid');
    expect(noBlog.headers['x-akismet-debug-help']).toMatch(/blog/);
  });

  it('when a refused field name holds control or non-Latin characters, then the help header is sent with them replaced, not a 500', async () => {
    const long = await wpPost('/1.1/verify-key', { ['\u202e\u0007name']: 'x'.repeat(20000) }, AKISMET_HOST);
    expect(long.status).toBe(413);
    expect(long.headers['x-akismet-debug-help']).toMatch(/^Field too long: "\?\?name"/);
  });

  it('when a ham comment is checked, then false comes back with a guid that is the stored comment', async () => {
    const site = await app.t.site();
    const res = await wpPost('/1.1/comment-check', wpComment({ api_key: site.secretKey }));
    expect(res).toMatchObject({ status: 200, text: 'false' });
    expect(res.headers['x-akismet-pro-tip']).toBeUndefined();
    const guid = String(res.headers['x-akismet-guid']);
    const stored = await comment(site.secretKey, guid);
    expect(stored.json).toMatchObject({ id: guid, status: 'approved', threadId: `${BLOG}/council-budget`, body: HAM, via: 'server' });
  });

  it('when a reader cites a source through comment-check, then it is not spam, and the author URL reaches the spam model', async () => {
    const cite = 'The full budget is here: https://www.cityofportland.gov/budget/2026-adopted.pdf and page 14 shows the cut.';
    const res = await wpPost('/1.1/comment-check', wpComment({ api_key: (await app.t.site()).secretKey, comment_content: cite }));
    expect(res).toMatchObject({ status: 200, text: 'false' });
    const plainSite = await app.t.site();
    // With a website in the author URL field, a site that denies that domain scores the comment higher than one that
    // does not: the field is read as on /v1/comments, with the site's lists.
    const url = 'https://cheap-watches.example/';
    const denying = await app.t.site({ links: { deny: ['cheap-watches.example'] } });
    const a = await wpPost('/1.1/comment-check', wpComment({ api_key: plainSite.secretKey, comment_content: cite, comment_author_url: url }));
    const b = await wpPost('/1.1/comment-check', wpComment({ api_key: denying.secretKey, comment_content: cite, comment_author_url: url }));
    const plain = await comment(plainSite.secretKey, String(a.headers['x-akismet-guid']));
    const denied = await comment(denying.secretKey, String(b.headers['x-akismet-guid']));
    expect(denied.json.scores.spam).toBeGreaterThan(plain.json.scores.spam);
  });

  it('when blatant spam is checked, then true comes back with X-akismet-pro-tip: discard', async () => {
    const site = await app.t.site();
    const res = await wpPost('/1.1/comment-check', wpComment({ comment_content: SPAM, comment_author_url: 'http://money.example.biz' }), `${akismetKeyFor(site.secretKey)}.${AKISMET_HOST}:${app.port}`);
    expect(res.text).toBe('true');
    expect(res.headers['x-akismet-pro-tip']).toBe('discard');
    expect((await comment(site.secretKey, String(res.headers['x-akismet-guid']))).json.status).toBe('rejected');
  });

  it('when the honeypot field is filled, then it is spam to discard whatever the text', async () => {
    const site = await app.t.site();
    const res = await wpPost('/1.1/comment-check', wpComment({ api_key: site.secretKey, honeypot_field_name: 'hidden_url', hidden_url: 'http://x.example' }));
    expect(res.text).toBe('true');
    expect(res.headers['x-akismet-pro-tip']).toBe('discard');
    expect(res.headers['x-vigil-reasons']).toContain('honeypot');
  });

  it('when the commenter is the site administrator, then the answer is false even for spam text, and nothing is stored', async () => {
    const site = await app.t.site();
    const res = await wpPost('/1.1/comment-check', wpComment({ api_key: site.secretKey, comment_content: SPAM, user_role: 'administrator' }));
    expect(res.text).toBe('false');
    expect(res.headers['x-akismet-guid']).toBeTruthy();
    expect((await comment(site.secretKey, String(res.headers['x-akismet-guid']))).status).toBe(404);
  });

  it('when a spam verdict is reported as ham with its guid, then the comment is approved and the example learnt', async () => {
    const site = await app.t.site();
    const events: string[] = [];
    app.t.service.ctx.events.subscribe(async (e) => {
      if (e.siteId === site.siteId) events.push(e.type);
    });
    const check = await wpPost('/1.1/comment-check', wpComment({ api_key: site.secretKey, comment_content: SPAM }));
    expect(check.text).toBe('true');
    const guid = String(check.headers['x-akismet-guid']);
    const ham = await wpPost('/1.1/submit-ham', wpComment({ api_key: site.secretKey, comment_content: SPAM, guid }));
    expect(ham).toMatchObject({ status: 200, text: THANKS });
    const after = (await comment(site.secretKey, guid)).json;
    expect(after.status).toBe('approved');
    expect(after.reasons).toContain('reported_ham');
    expect((await readFeedback(app.t.redis, site.siteId)).map((f) => f.feedback)).toEqual([
      expect.objectContaining({ positive: false, text: SPAM, commentId: guid, source: 'akismet' }),
    ]);
    expect(events).toEqual(['comment.created', 'comment.rejected', 'comment.approved']);
    // Reported spam again: the same comment goes back to rejected.
    expect((await wpPost('/1.1/submit-spam', wpComment({ api_key: site.secretKey, comment_content: '', guid }))).text).toBe(THANKS);
    expect((await comment(site.secretKey, guid)).json.status).toBe('rejected');
    expect((await readFeedback(app.t.redis, site.siteId)).at(-1)!.feedback).toMatchObject({ positive: true, text: SPAM, commentId: guid });
  });

  it('when a comment waits for review because of its spam score, then it is spam (held by the client) but not discarded', async () => {
    const site = await app.t.site({ thresholds: { spam: { review: 0, reject: 0.9999 } } });
    const res = await wpPost('/1.1/comment-check', wpComment({ api_key: site.secretKey }));
    expect(res.text).toBe('true');
    expect(res.headers['x-akismet-pro-tip']).toBeUndefined();
    expect(res.headers['x-vigil-status']).toBe('pending');
    expect((await comment(site.secretKey, String(res.headers['x-akismet-guid']))).json.status).toBe('pending');
  });

  it('when a comment waits only for pre-moderation, or the site runs in shadow mode, then it is not spam', async () => {
    const pre = await app.t.site({ moderation: 'pre' });
    const held = await wpPost('/1.1/comment-check', wpComment({ api_key: pre.secretKey }));
    expect([held.text, held.headers['x-vigil-status']]).toEqual(['false', 'pending']);
    const shadow = await app.t.site({ shadowMode: true });
    const spam = await wpPost('/1.1/comment-check', wpComment({ api_key: shadow.secretKey, comment_content: SPAM }));
    expect([spam.text, spam.headers['x-vigil-status'], spam.headers['x-akismet-pro-tip']]).toEqual(['false', 'approved', undefined]);
  });

  it('when a comment waiting in the review queue is reported as ham, then it is learnt but left to the moderators', async () => {
    const site = await app.t.site({ thresholds: { spam: { review: 0, reject: 0.9999 } } });
    const check = await wpPost('/1.1/comment-check', wpComment({ api_key: site.secretKey }));
    const guid = String(check.headers['x-akismet-guid']);
    expect((await comment(site.secretKey, guid)).json.status).toBe('pending');
    const ham = await wpPost('/1.1/submit-ham', wpComment({ api_key: site.secretKey, guid }));
    expect([ham.text, ham.headers['x-vigil-status']]).toEqual([THANKS, undefined]);
    expect((await comment(site.secretKey, guid)).json.status).toBe('pending');
    expect((await readFeedback(app.t.redis, site.siteId)).map((f) => f.feedback)).toEqual([
      expect.objectContaining({ positive: false, text: HAM, commentId: guid }),
    ]);
  });

  it('when a re-check of an existing comment comes in, then it is answered without storing a second copy', async () => {
    const site = await app.t.site();
    const permalink = `${BLOG}/recheck`;
    await wpPost('/1.1/comment-check', wpComment({ api_key: site.secretKey, permalink }));
    const again = await wpPost('/1.1/comment-check', wpComment({ api_key: site.secretKey, permalink, recheck_reason: 'edit' }));
    expect(again.text).toBe('false');
    const thread = await api(app.t.url, 'GET', `/v1/threads/${encodeURIComponent(permalink)}/comments?status=approved`, { key: site.secretKey });
    expect(thread.json.comments).toHaveLength(1);
  });

  it('when the key is bad or missing, or a required field is missing, then Akismet\'s answer comes back with the reason', async () => {
    const site = await app.t.site();
    const cases: Array<[Record<string, string>, string, RegExp]> = [
      [wpComment(), 'invalid', /api_key/],
      [wpComment({ api_key: 'sk_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }), 'invalid', /Invalid API key/],
      [wpComment({ api_key: site.siteKey }), 'invalid', /secret key/],
      [wpComment({ api_key: site.secretKey, blog: '' }), 'Missing required field: blog.', /blog/],
      [wpComment({ api_key: site.secretKey, user_ip: '' }), 'Missing required field: user_ip.', /user_ip/],
      [wpComment({ api_key: site.secretKey, user_ip: 'not-an-ip' }), 'Invalid value for field: user_ip.', /user_ip/],
    ];
    for (const path of ['/1.1/comment-check', '/1.1/submit-spam', '/1.1/submit-ham']) {
      for (const [fields, body, help] of cases) {
        const res = await wpPost(path, fields);
        expect({ path, status: res.status, text: res.text }).toEqual({ path, status: 200, text: body });
        expect(res.headers['x-akismet-debug-help']).toMatch(help);
      }
    }
    expect(await keysMatching(app.t.redis, `vigil:{${site.siteId}}:*`)).toEqual([`vigil:{${site.siteId}}:site`]);
  });

  it('when only the required fields are sent, then the comment is still checked and stored', async () => {
    const site = await app.t.site();
    const res = await wpPost('/1.1/comment-check', { api_key: site.secretKey, blog: BLOG, user_ip: '2001:db8::7' });
    expect(res.status).toBe(200);
    expect(['true', 'false']).toContain(res.text);
    expect((await comment(site.secretKey, String(res.headers['x-akismet-guid']))).json.threadId).toBe(BLOG);
  });

  it('when a client keeps the exact secret key in the Host header, then that works too', async () => {
    const site = await app.t.site();
    const res = await wpPost('/1.1/comment-check', wpComment(), `${site.secretKey}.${AKISMET_HOST}`);
    expect(res.text).toBe('false');
  });

  it('when the DNS-safe key is asked for with the secret key, then it is the spelling the client can use', async () => {
    const site = await app.t.site();
    const res = await api(app.t.url, 'GET', '/v1/akismet', { key: site.secretKey });
    expect(res.status).toBe(200);
    expect(res.json.key).toBe(akismetKeyFor(site.secretKey));
    expect((await api(app.t.url, 'GET', '/v1/akismet', { key: site.siteKey })).status).toBe(403);
    expect(await client(res.json.key).checkSpam({ ip: nextIp(), content: HAM })).toBe(false);
  });

  it('when the form is larger than 64 KB, then it is refused before any work', async () => {
    const site = await app.t.site();
    const res = await wpPost('/1.1/comment-check', wpComment({ api_key: site.secretKey, comment_content: 'a'.repeat(70 * 1024) }));
    expect(res.status).toBe(413);
  });

  it('when /openapi.json is read, then the Akismet endpoints are listed', async () => {
    const doc = await api(app.t.url, 'GET', '/openapi.json');
    for (const p of ['/1.1/verify-key', '/1.1/comment-check', '/1.1/submit-spam', '/1.1/submit-ham', '/1.1/get-subscription', '/1.1/get-stats', '/1.1/deactivate', '/1.1/token']) {
      expect(doc.json.paths[p].post).toBeDefined();
    }
    for (const p of ['/1.1/test', '/1.2/usage-limit', '/1.2/key-sites']) expect(doc.json.paths[p].get).toBeDefined();
  });
});
