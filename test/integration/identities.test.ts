import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';
import { createModerator } from '../../src/sites/moderator-store';
import { getSite } from '../../src/sites/site-store';
import { moderateComment } from '../../src/moderation/moderate-comment';
import { emailIdentity } from '../../src/moderation/identity';
import { keys } from '../../src/infra/keys';
import type { PolicyPatch } from '../../src/sites/policy';

/**
 * Whose reputation a comment touches. An empty e-mail is nobody's (Akismet comments often have none); an address
 * typed into a form may be anyone's, so it weighs little and fades; only an identity the site vouches for (a signed-in
 * user: `author.verified` on a server call) carries trust and suspicion across comments.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { workers: false });
});
afterAll(() => t.close());

const preModerated: PolicyPatch = { captcha: 'off', moderation: 'pre', rateLimits: { commentsPerIpPerMinute: 1000, commentsPerEmailPerHour: 1000 } };

let n = 0;
const ip = () => `198.51.100.${(n++ % 250) + 1}`;

async function post(key: string, author: Record<string, unknown>, body = `Comment ${n} on the council budget and the library opening hours.`) {
  const res = await api(t.url, 'POST', '/v1/comments', { key, body: serverComment({ author, body, client: { ip: ip(), userAgent: 'Mozilla/5.0' } }) });
  expect(res.status).toBe(201);
  return res.json as { id: string; status: string; reasons: string[] };
}

/** A comment with no e-mail at all, as the Akismet path passes it on. */
async function anonymous(siteId: string) {
  const site = (await getSite(t.redis, siteId))!;
  const { result } = await moderateComment(t.service.ctx.moderation, {
    site, via: 'server', explain: false,
    input: { threadId: 'a-1', author: { name: 'A reader', email: '' }, body: `Anonymous comment ${n} about the new bus timetable.` },
    client: { ip: ip(), userAgent: 'Mozilla/5.0', referrer: '' },
  });
  return result;
}

describe('an empty e-mail identifies nobody', () => {
  it('when many comments without an e-mail arrive, then none is limited by an e-mail limit they would share', async () => {
    const site = await t.site({ captcha: 'off', rateLimits: { commentsPerIpPerMinute: 1000, commentsPerEmailPerHour: 5 } });
    for (let i = 0; i < 12; i++) await expect(anonymous(site.siteId)).resolves.toMatchObject({ status: expect.any(String) });
  });

  it('when a moderator blocks the e-mail of a comment without one, then other anonymous readers are not rejected', async () => {
    const site = await t.site(preModerated);
    const mod = await createModerator(t.redis, { name: 'M', role: 'moderator', siteIds: [site.siteId] });
    const first = await anonymous(site.siteId);
    const d = await api(t.url, 'POST', `/v1/review/${first.id}/decision`, { key: mod.token, body: { decision: 'reject', block: { email: true } } });
    expect(d.status).toBe(200);
    const other = await anonymous(site.siteId);
    expect(other.reasons).not.toContain('blocked_email');
    expect(other.status).toBe('pending');
  });
});

describe('verified identities', () => {
  it('when a browser claims its author is verified, then it is refused and nothing is stored', async () => {
    const site = await t.site({ captcha: 'off' });
    const res = await api(t.url, 'POST', '/v1/comments', { key: site.siteKey, body: serverComment({ author: { name: 'X', email: 'x@example.org', verified: true } }) });
    expect(res.status).toBe(403);
    expect(await t.redis.zcard(keys.pending(site.siteId))).toBe(0);
  });

  it("when someone posts rejected comments under a signed-in user's address, then that user's comments are not held", async () => {
    const site = await t.site(preModerated);
    const mod = await createModerator(t.redis, { name: 'M', role: 'moderator', siteIds: [site.siteId] });
    const victim = 'victim@example.org';
    for (let i = 0; i < 3; i++) {
      const { id } = await post(site.secretKey, { name: 'Victim', email: victim });
      await api(t.url, 'POST', `/v1/review/${id}/decision`, { key: mod.token, body: { decision: 'spam' } });
    }
    await api(t.url, 'PATCH', '/v1/site/policy', { key: site.secretKey, body: { moderation: 'auto' } });
    const signedIn = await post(site.secretKey, { name: 'Victim', email: victim, verified: true });
    expect(signedIn.reasons).not.toContain('author_often_rejected');
    expect(signedIn.status).toBe('approved');
    // Three posts in someone's name weigh too little to hold an unverified author either.
    const typed = await post(site.secretKey, { name: 'Victim', email: victim });
    expect(typed.reasons).not.toContain('author_often_rejected');
  });

  it('when an unverified address keeps being rejected, then it becomes a suspect only after twice the evidence, and it fades', async () => {
    const site = await t.site(preModerated);
    const mod = await createModerator(t.redis, { name: 'M', role: 'moderator', siteIds: [site.siteId] });
    const email = 'often.typed@example.org';
    for (let i = 0; i < 6; i++) {
      const { id } = await post(site.secretKey, { name: 'O', email });
      await api(t.url, 'POST', `/v1/review/${id}/decision`, { key: mod.token, body: { decision: 'reject' } });
    }
    await api(t.url, 'PATCH', '/v1/site/policy', { key: site.secretKey, body: { moderation: 'auto' } });
    expect((await post(site.secretKey, { name: 'O', email })).reasons).toContain('author_often_rejected');
    const hash = emailIdentity(t.service.ctx.moderation.secret, email, false);
    const ttl = await t.redis.ttl(keys.reviewAuthor(site.siteId, hash));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30 * 86400);
  });

  it('when an unverified address collects approvals, then it never becomes trusted; a verified one does', async () => {
    const site = await t.site({ ...preModerated, trustedAuthorApprovals: 2, thresholds: { spam: { review: 0, reject: 1 }, toxicity: { review: 0, reject: 1 } } });
    const mod = await createModerator(t.redis, { name: 'M', role: 'moderator', siteIds: [site.siteId] });
    for (const verified of [false, true]) {
      const author = { name: 'Regular', email: 'regular@example.org', ...(verified ? { verified } : {}) };
      for (let i = 0; i < 3; i++) {
        const { id } = await post(site.secretKey, author);
        await api(t.url, 'POST', `/v1/review/${id}/decision`, { key: mod.token, body: { decision: 'approve' } });
      }
      await api(t.url, 'PATCH', '/v1/site/policy', { key: site.secretKey, body: { moderation: 'auto' } });
      const next = await post(site.secretKey, author);
      expect(next.reasons.includes('trusted_author')).toBe(verified);
      await api(t.url, 'PATCH', '/v1/site/policy', { key: site.secretKey, body: { moderation: 'pre' } });
    }
  });
});
