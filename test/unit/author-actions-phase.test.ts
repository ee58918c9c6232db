import { authorActionsPhase } from '../../src/moderation/phases/author-actions';
import { keys } from '../../src/infra/keys';
import { applyPolicyPatch, defaultPolicy } from '../../src/sites/policy';
import type { ModerationContext } from '../../src/moderation/types';
import type { AuthorAction } from '../../src/review/author-action-record';

const NOW = new Date('2026-06-01T12:00:00Z');
const action = (over: Partial<AuthorAction>): string => JSON.stringify({
  id: 'x', action: 'ban', subject: 'email', reason: 'r', at: '2026-05-01T00:00:00Z', by: { id: 'm', name: 'M' }, commentId: 'c', ...over,
});

/** A context whose Redis answers MGET from `stored` and counts the calls. */
function ctx(stored: Record<string, string>, over: Partial<ModerationContext> = {}) {
  const calls: string[][] = [];
  const redis = { mget: async (...k: string[]) => { calls.push(k); return k.map((key) => stored[key] ?? null); } };
  const c: ModerationContext = {
    deps: { redis, secret: Buffer.from('secret'), settings: {} } as unknown as ModerationContext['deps'],
    site: { id: 's1', name: 's', createdAt: '', policy: applyPolicyPatch(defaultPolicy(), {}) },
    via: 'server',
    input: { threadId: 't', body: 'hello', author: { name: 'A', email: 'a@example.com' } },
    client: { ip: '203.0.113.5', userAgent: '', referrer: '' },
    now: NOW, explain: false, reasons: [], meta: {},
    identities: { email: 'e'.repeat(32), ip: 'f'.repeat(32), body: 'b' },
    ...over,
  };
  return { c, calls };
}

describe('author actions phase', () => {
  it('when the standing read brought the records, then the phase decides without calling Redis', async () => {
    const { c, calls } = ctx({}, { authorActions: { email: action({ action: 'ban' }), ip: null } });
    await authorActionsPhase(c);
    expect(c).toMatchObject({ verdict: 'rejected', reasons: ['author_banned'] });
    expect(calls).toEqual([]);
  });

  it('when nothing brought the records, then the phase reads both in one call, on the comment\'s own site', async () => {
    const { c, calls } = ctx({ [keys.authorAction('s1', 'ip', 'f'.repeat(32))]: action({ subject: 'ip', action: 'suspend', until: '2026-06-02T00:00:00Z' }) });
    await authorActionsPhase(c);
    expect(calls).toEqual([[keys.authorAction('s1', 'email', 'e'.repeat(32)), keys.authorAction('s1', 'ip', 'f'.repeat(32))]]);
    expect(c).toMatchObject({ verdict: 'rejected', reasons: ['author_suspended'] });
  });

  it('when a suspension has ended by the pipeline clock, then it no longer rejects', async () => {
    const { c } = ctx({}, { authorActions: { email: action({ action: 'suspend', until: '2026-06-01T11:59:59Z' }), ip: null } });
    await authorActionsPhase(c);
    expect(c.verdict).toBeUndefined();
    expect(c.reasons).toEqual([]);
  });

  it('when the e-mail is trusted but the IP banned, then the ban wins', async () => {
    const { c } = ctx({}, { authorActions: { email: action({ action: 'trust' }), ip: action({ subject: 'ip', action: 'ban' }) } });
    await authorActionsPhase(c);
    expect(c).toMatchObject({ verdict: 'rejected', reasons: ['author_banned'] });
    expect(c.trustedByModerator).toBeUndefined();
  });

  it('when the e-mail is trusted, then the author is trusted by a moderator, even if history made them a suspect', async () => {
    const { c } = ctx({}, { authorStanding: 'suspect', authorActions: { email: action({ action: 'trust' }), ip: null } });
    await authorActionsPhase(c);
    expect(c).toMatchObject({ authorStanding: 'trusted', trustedByModerator: true, reasons: [] });
  });

  it('when a stored record does not parse, then it counts as no action rather than failing the comment', async () => {
    const { c } = ctx({}, { authorActions: { email: '{broken', ip: null } });
    await authorActionsPhase(c);
    expect(c.verdict).toBeUndefined();
  });
});
