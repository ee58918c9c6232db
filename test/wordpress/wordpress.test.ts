import { execFile } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { promisify } from 'node:util';
import { api, startTestApp, TestApp } from '../helpers/test-app';
import { issueAkismetKey } from '../../src/akismet/akismet-key';

/**
 * WordPress 6.1 and its bundled Akismet plugin against Vigil, end to end: `npm run test:wordpress` (scripts/
 * wordpress-test.sh) sets up WordPress, MariaDB, a throwaway CA and the hosts entry, then runs this file. Vigil is
 * served here over HTTPS on 127.0.0.1:443 with the CA's certificate for rest.akismet.com. Skipped without that setup.
 */
const WP_DIR = process.env.VIGIL_WP_DIR;
const WP_URL = process.env.VIGIL_WP_URL ?? '';
const maybe = WP_DIR ? describe : describe.skip;
const run = promisify(execFile);

async function wp(...args: string[]): Promise<Record<string, any>> {
  const { stdout } = await run('php', [path.join(__dirname, 'wp.php'), ...args], { env: { ...process.env }, timeout: 60000 });
  return JSON.parse(stdout.slice(stdout.indexOf('{')));
}

/** Posts WordPress's own comment form, as a reader's browser does; returns the new comment's id. */
async function postComment(author: string, email: string, comment: string): Promise<number> {
  const res = await fetch(`${WP_URL}/wp-comments-post.php`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0' },
    body: new URLSearchParams({ comment, author, email, url: '', comment_post_ID: '1', comment_parent: '0', submit: 'Post Comment' }),
  });
  const location = res.headers.get('location') ?? '';
  const id = /#comment-(\d+)/.exec(location)?.[1];
  if (!id) throw new Error(`WordPress did not take the comment: ${res.status} ${location} ${(await res.text()).slice(0, 300)}`);
  return Number(id);
}

const HAM = 'Thanks for the thorough reporting on the council budget; the figures on school funding were useful.';
const SPAM = 'Make $5000 a week working from home!!! Click here http://money.example.biz to earn fast cash casino bonus';

maybe('WordPress with its Akismet plugin, pointed at Vigil', () => {
  let t: TestApp;
  let tls: https.Server | undefined;
  let site: { siteId: string; secretKey: string };
  let permalink: string;
  const vigilComments = async (status: string) =>
    (await api(t.url, 'GET', `/v1/threads/${encodeURIComponent(permalink)}/comments?status=${status}`, { key: site.secretKey })).json
      .comments as Array<Record<string, any>>;

  beforeAll(async () => {
    t = await startTestApp({}, { workers: false });
    const server = https.createServer(
      { cert: fs.readFileSync(process.env.VIGIL_WP_TLS_CERT!), key: fs.readFileSync(process.env.VIGIL_WP_TLS_KEY!) }, t.service.app,
    );
    await new Promise<void>((r) => server.listen(443, '127.0.0.1', r));
    tls = server;
    site = await t.site();
    const { akismetKey } = await issueAkismetKey(t.redis, t.service.ctx.moderation.secret, site.siteId);
    const installed = await wp('install', akismetKey);
    expect(installed.activated).toBe(true);
    permalink = installed.post;
  }, 120000);
  afterAll(async () => {
    const server = tls;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
    await t?.close();
  });

  it('when the settings page checks the connection and the key, then it is connected, the key valid and the subscription active', async () => {
    const s = await wp('connectivity');
    expect(s).toMatchObject({ connected: true, key: 'valid', subscription: { status: 'active', account_type: 'vigil' } });
  });

  it('when a reader posts a clean comment, then Vigil checks it and WordPress publishes it', async () => {
    const id = await postComment('Jane Reader', 'jane@example.com', HAM);
    expect(await wp('status', String(id))).toMatchObject({ status: 'approved', akismet_result: 'false', akismet_error: '' });
    expect((await vigilComments('approved')).map((c) => c.body)).toContain(HAM);
  });

  it('when a reader posts spam, then Vigil rejects it and WordPress puts it in its spam folder', async () => {
    const id = await postComment('Rich', 'cash@money.example.biz', SPAM);
    expect(await wp('status', String(id))).toMatchObject({ status: 'spam', akismet_result: 'true' });
    expect((await vigilComments('rejected')).map((c) => c.body)).toContain(SPAM);
  });

  it('when a moderator clicks "Not Spam" and "Spam" in wp-admin, then Vigil\'s copies follow', async () => {
    const spamId = await postComment('Rich Again', 'rich@money.example.biz', `${SPAM} now`);
    const hamId = await postComment('Joan Reader', 'joan@example.com', `${HAM} Also the maps.`);
    expect((await wp('unspam', String(spamId))).done).toBe(true);
    expect((await wp('spam', String(hamId))).done).toBe(true);
    const approved = (await vigilComments('approved')).find((c) => c.body === `${SPAM} now`);
    const rejected = (await vigilComments('rejected')).find((c) => c.body === `${HAM} Also the maps.`);
    expect(approved?.reasons).toContain('reported_ham');
    expect(rejected?.reasons).toContain('reported_spam');
    // The settings page's figures: Vigil's own answers, and the two it got wrong by the moderator's account.
    const stats = await wp('stats');
    for (const interval of ['6-months', 'all']) {
      expect(stats[interval]).toMatchObject({ spam: 2, ham: 2, missed_spam: 1, false_positives: 1, accuracy: '50.00' });
    }
  });
});
