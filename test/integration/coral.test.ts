import crypto from 'node:crypto';
import { getComment } from '../../src/comments/comment-store';
import { coralSignature } from '../../src/integrations/coral/signature';
import { keys } from '../../src/infra/keys';
import { keysMatching, startTestApp, TEST_SECRET, TestApp } from '../helpers/test-app';
import { runVigil } from '../helpers/cli';

/**
 * Coral's external moderation phase against a running Vigil, with requests built the way Coral builds them
 * (server/src/core/server/services/fetch generateFetchOptions): the ExternalModerationRequest pretty-printed with two
 * spaces, signed with every active secret as `sha256=<hex>` joined by commas.
 */
let t: TestApp;
beforeAll(async () => {
  process.env.REDIS_URL = process.env.TEST_REDIS_URL;
  // The CLI encrypts with the service's secret, as an operator's shell has the service's VIGIL_SECRET.
  process.env.VIGIL_SECRET = TEST_SECRET;
  t = await startTestApp({}, { workers: false });
});
afterAll(() => t.close());

const vigil = (...argv: string[]) => runVigil(argv);

/** Coral's generateSigningSecret: a prefix, "_", then 32 to 36 random bytes in hex. */
const coralSecret = () => `ems_${crypto.randomBytes(32).toString('hex')}`;

function coralRequest(body: string, over: { role?: string; authorId?: string; action?: 'NEW' | 'EDIT' } = {}) {
  return {
    action: over.action ?? 'NEW',
    comment: { body, parentID: null },
    author: { id: over.authorId ?? crypto.randomUUID(), role: over.role ?? 'COMMENTER' },
    story: { id: '245b3856-b0a0-4d2f-a6bb-58c71f18d6a6', url: 'http://localhost:1313/posts/a-story-url/' },
    site: { id: 'a4bede88-2d2c-4424-bc18-4322a9e285a6' },
    tenantID: '19ba5794-7eeb-4d46-a81b-c00c61672501',
    tenantDomain: 'localhost',
  };
}

async function send(url: string, payload: unknown, secrets: string[], opts: { raw?: Buffer; signature?: string } = {}) {
  const body = opts.raw ?? Buffer.from(JSON.stringify(payload, null, 2));
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'User-Agent': 'Coral Moderation/9.0.0', 'X-Coral-Signature': opts.signature ?? coralSignature(body, secrets) },
    body: new Uint8Array(body),
    redirect: 'manual',
  });
  const text = await res.text();
  return { status: res.status, text, json: text ? JSON.parse(text) : undefined, commentId: res.headers.get('x-vigil-comment-id') };
}

/** A site with a signing secret set through the CLI, and the Callback URL the CLI printed. */
async function coralSite(policy = {}) {
  const s = await t.site(policy);
  const secret = coralSecret();
  const r = await vigil('integrations', 'coral', '--site', s.siteId, '--signing-secret', secret, '--base-url', t.url, '--json');
  expect(r.code).toBe(0);
  const { url } = JSON.parse(r.out);
  return { ...s, secret, url: url as string };
}

async function storedComments(siteId: string): Promise<string[]> {
  return keysMatching(t.redis, keys.comment(siteId, '*'));
}

const CIVIL = 'Thanks for the thorough reporting on the council budget; the figures on school funding were useful.';
const TOXIC = 'You are a stupid idiot and a disgrace, shut up you moron, nobody wants your garbage here.';

describe('vigil integrations coral', () => {
  it('when the signing secret is set, then it is stored encrypted and the printed URL is the site\'s Callback URL', async () => {
    const s = await coralSite();
    expect(s.url).toBe(`${t.url}/v1/integrations/coral/${s.siteId}`);
    const stored = (await t.redis.get(keys.integration(s.siteId, 'coral')))!;
    expect(stored).not.toContain(s.secret);
    expect(stored).not.toContain(s.secret.slice(4, 20));
  });

  it('when the arguments are missing or the site does not exist, then it fails saying why', async () => {
    expect((await vigil('integrations', 'coral', '--site', '0123456789abcdef')).code).toBe(2);
    const r = await vigil('integrations', 'coral', '--site', '0123456789abcdef', '--signing-secret', coralSecret());
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Site 0123456789abcdef was not found/);
  });
});

describe('POST /v1/integrations/coral/:siteId', () => {
  it("when Coral sends a comment, then the story's URL is kept once as its thread's link", async () => {
    const s = await coralSite();
    expect((await send(s.url, coralRequest(CIVIL), [s.secret])).status).toBe(204);
    const story = coralRequest(CIVIL).story;
    expect(await t.redis.hgetall(keys.threadInfo(s.siteId, story.id))).toEqual({ server: JSON.stringify({ url: story.url }) });
  });

  it('when a civil comment comes from Coral, then 204 with no body, and Vigil keeps a copy that is not waiting for review', async () => {
    const s = await coralSite();
    const r = await send(s.url, coralRequest(CIVIL), [s.secret]);
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
    const c = await getComment(t.redis, s.siteId, r.commentId!);
    expect(c).toMatchObject({ status: 'approved', body: CIVIL, decidedElsewhere: 'coral', threadId: '245b3856-b0a0-4d2f-a6bb-58c71f18d6a6' });
  });

  it('when a toxic comment comes in Coral\'s HTML format, then REJECTED with a toxic FLAG, stored, expiring, and never in the pending index', async () => {
    const s = await coralSite();
    const r = await send(s.url, coralRequest(`<p>${TOXIC.replace(', shut', ',<br>shut')}</p>`), [s.secret]);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ status: 'REJECTED', actions: [{ actionType: 'FLAG', reason: 'COMMENT_DETECTED_TOXIC' }] });
    const c = await getComment(t.redis, s.siteId, r.commentId!);
    expect(c?.body).toBe(TOXIC.replace(', shut', ',\nshut'));
    expect(await t.redis.ttl(keys.comment(s.siteId, r.commentId!))).toBeGreaterThan(0);
    expect(await t.redis.zcard(keys.pending(s.siteId))).toBe(0);
  });

  it('when the site pre-moderates, then a borderline comment is withheld in Coral and not queued in Vigil', async () => {
    const s = await coralSite({ moderation: 'pre' });
    const r = await send(s.url, coralRequest(CIVIL), [s.secret]);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ status: 'PREMOD' });
    const c = await getComment(t.redis, s.siteId, r.commentId!);
    expect(c).toMatchObject({ status: 'pending', decidedElsewhere: 'coral' });
    expect(c?.needsReview).toBeUndefined();
    expect(await t.redis.zcard(keys.pending(s.siteId))).toBe(0);
    expect(await t.redis.ttl(keys.comment(s.siteId, r.commentId!))).toBeGreaterThan(0);
  });

  it("when the site's blocklist names a word, then the comment is rejected as toxic, as POST /v1/comments would", async () => {
    const s = await coralSite({ blocked: { words: ['flibbertigibbet'] } });
    const r = await send(s.url, coralRequest('What a flibbertigibbet of an article.'), [s.secret]);
    expect(r.json).toEqual({ status: 'REJECTED', actions: [{ actionType: 'FLAG', reason: 'COMMENT_DETECTED_TOXIC' }] });
  });

  it('when the same Coral author posts the same text again, then it is seen as a repeat (history keyed by the author id)', async () => {
    const s = await coralSite();
    const authorId = crypto.randomUUID();
    const spam = 'Visit my site for great deals on watches and shoes, best prices online today.';
    await send(s.url, coralRequest(spam, { authorId }), [s.secret]);
    const again = await send(s.url, coralRequest(spam, { authorId }), [s.secret]);
    const c = await getComment(t.redis, s.siteId, again.commentId!);
    expect(c?.reasons).toContain('duplicate_body');
    expect(again.json?.actions).toContainEqual({ actionType: 'FLAG', reason: 'COMMENT_DETECTED_SPAM' });
  });

  it.each(['ADMIN', 'MODERATOR', 'STAFF'])('when the author is Coral %s, then 204 and nothing is scored or stored', async (role) => {
    const s = await coralSite();
    const r = await send(s.url, coralRequest(TOXIC, { role }), [s.secret]);
    expect(r.status).toBe(204);
    expect(await storedComments(s.siteId)).toEqual([]);
  });

  it('when Coral signs with two secrets during a rotation, then either one matching is enough', async () => {
    const s = await coralSite();
    const r = await send(s.url, coralRequest(CIVIL, { action: 'EDIT' }), [coralSecret(), s.secret]);
    expect(r.status).toBe(204);
  });
});

describe('refused Coral requests', () => {
  it.each([
    ['no signature', (_b: Buffer, _s: string) => ''],
    ['a signature made with another secret', (b: Buffer) => coralSignature(b, [coralSecret()])],
    ['a signature in the wrong format', (b: Buffer, s: string) => coralSignature(b, [s]).replace('sha256=', 'sha1=')],
    ['a truncated signature', (b: Buffer, s: string) => coralSignature(b, [s]).slice(0, -2)],
    ['fifty signatures, the good one last', (b: Buffer, s: string) => `${Array(49).fill(coralSignature(b, [coralSecret()])).join(',')},${coralSignature(b, [s])}`],
  ])('when the request has %s, then 401 signature_invalid and nothing is stored', async (_what, sign) => {
    const s = await coralSite();
    const body = Buffer.from(JSON.stringify(coralRequest(TOXIC), null, 2));
    const r = await send(s.url, undefined, [], { raw: body, signature: sign(body, s.secret) });
    expect(r.status).toBe(401);
    expect(r.json.code).toBe('signature_invalid');
    expect(await storedComments(s.siteId)).toEqual([]);
  });

  it('when a signed body is replayed with one byte changed, then 401 and nothing is stored', async () => {
    const s = await coralSite();
    const body = Buffer.from(JSON.stringify(coralRequest(TOXIC), null, 2));
    const signature = coralSignature(body, [s.secret]);
    const tampered = Buffer.from(body);
    const at = tampered.indexOf('stupid');
    tampered[at] = 'S'.charCodeAt(0);
    const r = await send(s.url, undefined, [], { raw: tampered, signature });
    expect(r.status).toBe(401);
    // Re-serialising the same JSON differently is a different body too: the signature covers the bytes as sent.
    const compact = Buffer.from(JSON.stringify(coralRequest(TOXIC)));
    expect((await send(s.url, undefined, [], { raw: compact, signature })).status).toBe(401);
    expect(await storedComments(s.siteId)).toEqual([]);
  });

  it('when the site has no signing secret or does not exist, then 401 like a bad signature', async () => {
    const s = await t.site();
    const secret = coralSecret();
    expect((await send(`${t.url}/v1/integrations/coral/${s.siteId}`, coralRequest(CIVIL), [secret])).status).toBe(401);
    expect((await send(`${t.url}/v1/integrations/coral/ffffffffffffffff`, coralRequest(CIVIL), [secret])).status).toBe(401);
    expect((await send(`${t.url}/v1/integrations/coral/..%2F..`, coralRequest(CIVIL), [secret])).status).toBe(401);
  });

  it('when another site\'s secret signs the request, then 401: one site cannot post as another', async () => {
    const a = await coralSite();
    const b = await coralSite();
    expect((await send(b.url, coralRequest(CIVIL), [a.secret])).status).toBe(401);
    expect(await storedComments(b.siteId)).toEqual([]);
  });

  it.each([
    ['malformed JSON', Buffer.from('{"action": "NEW", '), 400, 'invalid_json'],
    ['an unknown action', Buffer.from(JSON.stringify({ ...coralRequest(CIVIL), action: 'DELETE' }, null, 2)), 422, 'validation_failed'],
    ['no author', Buffer.from(JSON.stringify({ ...coralRequest(CIVIL), author: undefined }, null, 2)), 422, 'validation_failed'],
    ['a text over 10,000 characters', Buffer.from(JSON.stringify(coralRequest('word '.repeat(2500)), null, 2)), 422, 'validation_failed'],
    ['a body over 64 KB', Buffer.from(JSON.stringify(coralRequest('x'.repeat(70000)), null, 2)), 413, 'payload_too_large'],
  ])('when a correctly signed request has %s, then a clear 4xx and nothing is stored', async (_what, body, status, code) => {
    const s = await coralSite();
    const r = await send(s.url, undefined, [], { raw: body, signature: coralSignature(body, [s.secret]) });
    expect(r.status).toBe(status);
    expect(r.json.code).toBe(code);
    expect(await storedComments(s.siteId)).toEqual([]);
  });
});
