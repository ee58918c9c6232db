import { blocklistPhase } from '../../src/moderation/phases/blocklist';
import { formSignalsPhase } from '../../src/moderation/phases/form-signals';
import { applyPolicyPatch, defaultPolicy } from '../../src/sites/policy';
import type { ModerationContext } from '../../src/moderation/types';

function ctx(over: { blocked?: Record<string, string[]>; body?: string; email?: string; url?: string; ip?: string; honeypot?: string; renderedAt?: string } = {}): ModerationContext {
  const policy = applyPolicyPatch(defaultPolicy(), { blocked: over.blocked ?? {} });
  return {
    deps: {} as ModerationContext['deps'],
    site: { id: 's', name: 's', createdAt: '', policy },
    via: 'server',
    input: {
      threadId: 't', body: over.body ?? 'hello there', honeypot: over.honeypot, renderedAt: over.renderedAt,
      author: { name: 'A', email: over.email ?? 'a@example.com', url: over.url },
    },
    client: { ip: over.ip ?? '203.0.113.5', userAgent: '', referrer: '' },
    now: new Date('2026-01-01T00:00:10Z'),
    explain: false,
    reasons: [],
    meta: {},
  };
}

describe('blocklist phase', () => {
  it('when a blocked word appears as a whole word, then rejected; inside another word, not', () => {
    const hit = ctx({ blocked: { words: ['casino'] }, body: 'Best Casino in town' });
    blocklistPhase(hit);
    expect(hit).toMatchObject({ verdict: 'rejected', reasons: ['blocked_word'] });
    const miss = ctx({ blocked: { words: ['ass'] }, body: 'a classic assessment' });
    blocklistPhase(miss);
    expect(miss.verdict).toBeUndefined();
  });
  it('when a link, the author url or the e-mail is on a blocked domain or subdomain, then rejected', () => {
    for (const c of [ctx({ blocked: { domains: ['spam.example'] }, body: 'see https://www.spam.example/x' }), ctx({ blocked: { domains: ['spam.example'] }, email: 'x@spam.example' })]) {
      blocklistPhase(c);
      expect(c.reasons).toEqual(['blocked_domain']);
    }
  });
  it('when the e-mail or IP is blocked (CIDR too), then rejected', () => {
    const e = ctx({ blocked: { emails: ['Bad@Example.com'] }, email: 'bad@example.com' });
    blocklistPhase(e);
    expect(e.reasons).toEqual(['blocked_email']);
    const ip = ctx({ blocked: { ips: ['203.0.113.0/24'] } });
    blocklistPhase(ip);
    expect(ip.reasons).toEqual(['blocked_ip']);
    const other = ctx({ blocked: { ips: ['198.51.100.0/24'] } });
    blocklistPhase(other);
    expect(other.reasons).toEqual([]);
  });
});

describe('form signals phase', () => {
  it('when the honeypot is filled, then rejected', () => {
    const c = ctx({ honeypot: 'http://bot' });
    formSignalsPhase(c);
    expect(c).toMatchObject({ verdict: 'rejected', reasons: ['honeypot'] });
  });
  it('when the form was sent faster than the minimum fill time, then too_fast and the fill time is a feature', () => {
    const c = ctx({ renderedAt: '2026-01-01T00:00:09Z' });
    formSignalsPhase(c);
    expect(c.reasons).toEqual(['too_fast']);
    expect(c.meta.fillTimeMs).toBe(1000);
  });
});
