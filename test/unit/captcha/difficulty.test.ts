import { levelFor, MAX_POW_DIFFICULTY, powDifficultyFor, pressureKeys } from '../../../src/captcha/difficulty';
import { applyPolicyPatch, defaultPolicy, policyPatchSchema } from '../../../src/sites/policy';

const policy = defaultPolicy();

describe('adaptive proof-of-work difficulty', () => {
  it('when a network and its site are quiet, then the base difficulty is asked', () => {
    expect(powDifficultyFor(policy, { site: 1, network: 1 })).toBe(policy.powDifficulty);
  });

  it('when one network reaches a level, then the difficulty is that level, whatever the site does', () => {
    const levels = policy.powAdaptive.network;
    for (const l of levels) {
      expect(powDifficultyFor(policy, { site: 1, network: l.from })).toBe(l.difficulty);
      expect(powDifficultyFor(policy, { site: 1, network: l.from - 1 })).toBeLessThan(l.difficulty);
    }
  });

  it('when the whole site is busy, then every network gets at least the site level', () => {
    const top = policy.powAdaptive.site[0];
    expect(powDifficultyFor(policy, { site: top.from, network: 1 })).toBe(top.difficulty);
  });

  it('when a level is below the base, then the base still holds; and nothing exceeds what the solver accepts', () => {
    const p = applyPolicyPatch(policy, { powDifficulty: 20, powAdaptive: { network: [{ from: 1, difficulty: 12 }, { from: 5, difficulty: 26 }] } });
    expect(powDifficultyFor(p, { site: 0, network: 2 })).toBe(20);
    expect(powDifficultyFor(p, { site: 0, network: 1e9 })).toBe(MAX_POW_DIFFICULTY);
  });

  it('when both tables are empty, then the difficulty never moves from the base', () => {
    const p = applyPolicyPatch(policy, { powAdaptive: { network: [], site: [] } });
    expect(powDifficultyFor(p, { site: 1e9, network: 1e9 })).toBe(p.powDifficulty);
  });

  it('when levels are not in ascending order or out of range, then the policy patch is refused', () => {
    expect(policyPatchSchema.safeParse({ powAdaptive: { network: [{ from: 10, difficulty: 18 }, { from: 5, difficulty: 20 }] } }).success).toBe(false);
    expect(policyPatchSchema.safeParse({ powAdaptive: { network: [{ from: 10, difficulty: 27 }] } }).success).toBe(false);
    expect(policyPatchSchema.safeParse({ powAdaptive: { windowSeconds: 5 } }).success).toBe(false);
    expect(policyPatchSchema.safeParse({ powAdaptive: { network: Array.from({ length: 9 }, (_, i) => ({ from: i + 1, difficulty: 18 })) } }).success).toBe(false);
    expect(policyPatchSchema.safeParse({ powAdaptive: { levels: [] } }).success).toBe(false);
  });

  it('when only part of powAdaptive is patched, then the rest keeps its value', () => {
    const p = applyPolicyPatch(policy, { powAdaptive: { windowSeconds: 120 } });
    expect(p.powAdaptive).toEqual({ ...policy.powAdaptive, windowSeconds: 120 });
  });

  it('when time moves through a window, then the previous bucket weighs less and the keys move on a window later', () => {
    const a = policy.powAdaptive;
    const w = a.windowSeconds * 1000;
    const start = pressureKeys('s1', 'abc', a, 100 * w);
    expect(start.previousShare).toBe(1000);
    expect(pressureKeys('s1', 'abc', a, 100 * w + w / 4).previousShare).toBe(750);
    const next = pressureKeys('s1', 'abc', a, 101 * w);
    expect(next.site[1]).toBe(start.site[0]);
    expect(next.network[1]).toBe(start.network[0]);
    expect(start.ttlSeconds).toBe(2 * a.windowSeconds);
    // Every key carries the site's hash tag, and the network appears only as the hash it was given.
    for (const k of [...start.site, ...start.network]) expect(k.startsWith('vigil:{s1}:pow-pressure:')).toBe(true);
    expect(start.network[0]).not.toBe(start.site[0]);
  });

  it('when counts are below the first level, then levelFor answers 0', () => {
    expect(levelFor([{ from: 3, difficulty: 18 }], 2)).toBe(0);
    expect(levelFor([], 100)).toBe(0);
  });
});
