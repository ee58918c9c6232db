import { decide, DecisionInput } from '../../src/moderation/policy';
import { defaultPolicy, applyPolicyPatch } from '../../src/sites/policy';

const base = (over: Partial<DecisionInput> = {}): DecisionInput => ({
  policy: defaultPolicy(),
  scores: { spam: 0.01, toxicity: 0.01 },
  modelThresholds: { spam: { review: 0.5, reject: 0.9 }, toxicity: { review: 0.5, reject: 0.9 } },
  reasons: [],
  ...over,
});

describe('decide', () => {
  it('when scores are low, then approved with no reasons', () => {
    expect(decide(base())).toMatchObject({ status: 'approved', reasons: [], needsReview: false });
  });
  it('when spam is above reject, then rejected for spam', () => {
    expect(decide(base({ scores: { spam: 0.95, toxicity: 0 } }))).toMatchObject({ status: 'rejected', reasons: ['spam'] });
  });
  it('when toxicity is borderline, then pending and queued for review', () => {
    expect(decide(base({ scores: { spam: 0, toxicity: 0.6 } }))).toMatchObject({ status: 'pending', reasons: ['possibly_toxic'], needsReview: true });
  });
  it('when the site sets its own thresholds, then they win over the model defaults', () => {
    const policy = applyPolicyPatch(defaultPolicy(), { thresholds: { toxicity: { review: 0.7, reject: 0.8 } } });
    expect(decide(base({ policy, scores: { spam: 0, toxicity: 0.6 } })).status).toBe('approved');
  });
  it('when a blocklist already rejected, then scores cannot approve it', () => {
    expect(decide(base({ verdict: 'rejected', reasons: ['blocked_word'] }))).toMatchObject({ status: 'rejected', reasons: ['blocked_word'] });
  });
  it('when the site pre-moderates, then a clean comment waits', () => {
    const policy = applyPolicyPatch(defaultPolicy(), { moderation: 'pre' });
    expect(decide(base({ policy }))).toMatchObject({ status: 'pending', reasons: ['pre_moderation'] });
  });
  it('when the site post-moderates, then a borderline comment is published and flagged for review', () => {
    const policy = applyPolicyPatch(defaultPolicy(), { moderation: 'post' });
    expect(decide(base({ policy, scores: { spam: 0.6, toxicity: 0 } }))).toMatchObject({ status: 'approved', needsReview: true });
  });
  it('when the author is trusted, then a borderline comment skips review', () => {
    expect(decide(base({ scores: { spam: 0.6, toxicity: 0 }, authorStanding: 'trusted' }))).toMatchObject({ status: 'approved', reasons: ['possible_spam', 'trusted_author'] });
  });
  it('when a moderator trusts the author on a pre-moderated site, then a clean comment is published, but a threat or a reject score is not', () => {
    const policy = applyPolicyPatch(defaultPolicy(), { moderation: 'pre' });
    const trusted = { policy, authorStanding: 'trusted' as const, trustedByModerator: true };
    expect(decide(base(trusted))).toMatchObject({ status: 'approved', reasons: ['trusted_author'], needsReview: false });
    expect(decide(base({ ...trusted, scores: { spam: 0.6, toxicity: 0 } }))).toMatchObject({ status: 'approved', reasons: ['possible_spam', 'trusted_author'] });
    const threat = { ...trusted, scores: { spam: 0, toxicity: 0.1, threat: 0.6 }, modelThresholds: { ...base().modelThresholds, threat: { review: 0.5, reject: 0.9 } } };
    expect(decide(base(threat))).toMatchObject({ status: 'pending', needsReview: true });
    expect(decide(base({ ...trusted, scores: { spam: 0.95, toxicity: 0 } }))).toMatchObject({ status: 'rejected', reasons: ['spam'] });
    // Earned trust (no moderator) does not lift pre-moderation.
    expect(decide(base({ policy, authorStanding: 'trusted' }))).toMatchObject({ status: 'pending', reasons: ['pre_moderation'] });
  });
  it('when the site is in shadow mode, then everything is approved and the real verdict is kept', () => {
    const policy = applyPolicyPatch(defaultPolicy(), { shadowMode: true });
    const d = decide(base({ policy, scores: { spam: 0.99, toxicity: 0 } }));
    expect(d).toMatchObject({ status: 'approved', enforcedStatus: 'rejected' });
    expect(d.reasons).toContain('shadow_mode');
  });
  it('when a form was too fast, then it goes to review even with low scores', () => {
    expect(decide(base({ reasons: ['too_fast'] })).status).toBe('pending');
  });

  describe('threat', () => {
    const threatBase = (threat: number, over: Partial<DecisionInput> = {}): DecisionInput =>
      base({ scores: { spam: 0, toxicity: 0.05, threat }, modelThresholds: { ...base().modelThresholds, threat: { review: 0.1, reject: 0.95 } }, ...over });
    it('when the threat attribute reaches its review threshold with low toxicity, then the comment waits for review with reason threat', () => {
      expect(decide(threatBase(0.2))).toMatchObject({ status: 'pending', reasons: ['threat'], needsReview: true });
    });
    it('when the threat attribute is below its threshold, then it adds nothing', () => {
      expect(decide(threatBase(0.05))).toMatchObject({ status: 'approved', reasons: [] });
    });
    it('when the threat attribute reaches its reject threshold, then the comment is rejected for threat', () => {
      expect(decide(threatBase(0.97))).toMatchObject({ status: 'rejected', reasons: ['threat'] });
    });
    it('when the author is trusted, then a threat still goes to review', () => {
      expect(decide(threatBase(0.2, { authorStanding: 'trusted' }))).toMatchObject({ status: 'pending', reasons: ['threat'] });
    });
    it('when the site sets its own threat thresholds, then they win over the model default', () => {
      const policy = applyPolicyPatch(defaultPolicy(), { thresholds: { threat: { review: 0.5, reject: 0.9 } } });
      expect(decide(threatBase(0.2, { policy })).status).toBe('approved');
      const back = applyPolicyPatch(policy, { thresholds: { threat: null } });
      expect(decide(threatBase(0.2, { policy: back })).status).toBe('pending');
    });
    it('when the model has no threat head, then a threat score is ignored', () => {
      expect(decide(base({ scores: { spam: 0, toxicity: 0.05, threat: 0.99 } })).status).toBe('approved');
    });
  });
});
