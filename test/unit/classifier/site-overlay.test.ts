import { bundledModelPath } from '../../../src/classifier';
import { layoutFor } from '../../../src/classifier/doc';
import { Learner } from '../../../src/classifier/learn';
import { NaiveBayesModel } from '../../../src/classifier/model';
import { readModelFile } from '../../../src/classifier/model-file';
import { OverlayBudget, SiteOverlay } from '../../../src/classifier/site-overlay';

// The shipped models: a tiny trained one saturates at 0 or 1, and these tests compare scores in between.
const files = { spam: readModelFile(bundledModelPath('spam')), toxicity: readModelFile(bundledModelPath('toxicity')) };
const fresh = (task: 'spam' | 'toxicity' = 'spam') => new NaiveBayesModel(files[task]);

const input = { text: 'I really enjoyed this video, the music is great' };
const similar = { text: 'great music, really enjoyed it' };

describe('per-site learning (site overlays)', () => {
  it("when site A labels spam, then A's score for a similar comment rises more than B's, and B's still rises (global)", () => {
    const m = fresh();
    const before = m.score(similar).score;
    for (let i = 0; i < 2; i++) m.learn(input, 1, 1, 'A');
    const a = m.score(similar, { siteId: 'A' }).score;
    const b = m.score(similar, { siteId: 'B' }).score;
    expect(b).toBeGreaterThan(before);
    expect(a - before).toBeGreaterThan(2 * (b - before));
    // A site without feedback scores with the global model alone.
    expect(b).toBe(m.score(similar).score);
    // Explanations include the site's overlay: the labelled words weigh more on A.
    const weight = (siteId: string) => m.score(similar, { siteId, explain: true }).explanation!.find((e) => e.token === 'music')!.contribution;
    expect(weight('A')).toBeGreaterThan(weight('B'));
  });

  it("when a site's feedback is withdrawn, then its overlay is gone and every site scores as before", () => {
    const m = fresh();
    const before = m.score(similar).score;
    m.learn(input, 1, 1, 'A');
    m.learn(input, 0, 1, 'B');
    m.learn(input, 1, -1, 'A');
    m.learn(input, 0, -1, 'B');
    expect(m.score(similar, { siteId: 'A' }).score).toBeCloseTo(before, 6);
    expect(m.score(similar, { siteId: 'B' }).score).toBeCloseTo(before, 6);
  });

  it("when another site's feedback changes the global counts, then A's cached adjustments follow", () => {
    const m = fresh();
    m.learn(input, 1, 1, 'A');
    const a1 = m.score(similar, { siteId: 'A' }).score;
    for (let i = 0; i < 5; i++) m.learn(input, 0, 1, 'B');
    const reloaded = new NaiveBayesModel(JSON.parse(JSON.stringify(m.toFile('A'))));
    expect(m.score(similar, { siteId: 'A' }).score).toBeLessThan(a1);
    expect(m.score(similar, { siteId: 'A' }).score).toBeCloseTo(reloaded.score(similar).score, 5);
  });

  it('when exported with and without a site, then the files score exactly like the live model does for that site and globally', () => {
    const m = fresh();
    for (let i = 0; i < 3; i++) m.learn(input, 1, 1, 'A');
    m.learn({ text: 'subscribe to my channel for free gift cards' }, 0, 1, 'B');
    const site = new NaiveBayesModel(JSON.parse(JSON.stringify(m.toFile('A'))));
    const global = new NaiveBayesModel(JSON.parse(JSON.stringify(m.toFile())));
    for (const t of [input, similar, { text: 'great video thanks' }, { text: 'subscribe to my channel' }]) {
      expect(site.score(t).score).toBeCloseTo(m.score(t, { siteId: 'A' }).score, 5);
      expect(global.score(t).score).toBeCloseTo(m.score(t).score, 5);
    }
    expect(m.toFile('A').training).toMatchObject({ learnt: { examples: [1, 3], site: 'A', siteExamples: [0, 3] } });
  });

  it("when a site labels a comment toxic, then that site's main toxicity score moves most and the attributes stay global", () => {
    const m = fresh('toxicity');
    const text = { text: 'you absolute walnut, go back to your cave' };
    const before = m.score(text);
    m.learn(text, 1, 1, 'A');
    const a = m.score(text, { siteId: 'A' });
    const b = m.score(text, { siteId: 'B' });
    expect(b.score).toBeGreaterThan(before.score);
    expect(a.score).toBeGreaterThan(b.score);
    expect(a.attributes).toEqual(b.attributes);
  });

  it('when overlays reach their bounds, then they stop growing and the global model still learns', () => {
    const m = fresh();
    const l = new Learner(m.file, m.table, layoutFor(m.file.features), { perSite: 10, total: 17, perOverlay: 1 });
    const before = m.score(similar).score;
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    l.learn(m.featurize(input), 1, 1, 'A');
    l.learn(m.featurize(similar), 1, 1, 'B');
    l.learn(m.featurize({ text: 'win a free phone now' }), 1, 1, 'C');
    expect(l.siteBuckets('A')).toBe(10);
    expect(l.siteBuckets('B')).toBe(5);
    expect(l.siteBuckets('C')).toBe(0);
    // 15 buckets and two overlays; C's overlay did not fit.
    expect(l.budget).toMatchObject({ used: 17, full: true });
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
    expect(m.score(similar).score).toBeGreaterThan(before);
    // Withdrawals free their buckets, and an emptied overlay its fixed cost.
    l.learn(m.featurize(input), 1, -1, 'A');
    expect(l.siteBuckets('A')).toBe(0);
    expect(l.budget.used).toBe(6);
  });

  it('when buckets are added and withdrawn in any order, then the overlay table holds exactly the non-zero ones', () => {
    const o = new SiteOverlay();
    const budget = new OverlayBudget({ perSite: 1e6, total: 1e6, perOverlay: 0 });
    const ref = new Map<number, [number, number]>();
    let seed = 7;
    const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    for (let step = 0; step < 20000; step++) {
      // Few distinct buckets, so tables grow, probe runs collide and deletions shift entries back, across the wrap.
      const f = rnd(3000) * 97;
      const label = rnd(2) as 0 | 1;
      const w = rnd(3) === 0 ? -1 : 1;
      budget.add(o, f, label, w);
      const r = ref.get(f) ?? [0, 0];
      if (w > 0 || ref.has(f)) {
        r[label] = Math.max(0, r[label] + w);
        if (r[0] + r[1] > 0) ref.set(f, r);
        else ref.delete(f);
      }
    }
    expect(o.size).toBe(ref.size);
    expect(budget.used).toBe(ref.size);
    const got = new Map([...o.buckets()].map(([f, n0, n1]) => [f, [n0, n1]]));
    expect(got).toEqual(ref);
    for (const f of ref.keys()) expect(o.find(f)).toBeGreaterThanOrEqual(0);
    expect(o.find(5)).toBe(-1);
  });
});
