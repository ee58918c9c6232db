import { DEFAULT_FEATURES, layoutOf, textFeatures } from '../../../src/classifier/features';
import { markExplanation } from '../../../src/classifier/span-floor';
import { learnSpanWords, type SpanExample } from '../../../src/classifier/span-words';
import type { Explanation } from '../../../src/classifier/types';
import { loadBundledModels } from '../../../src/classifier';
import type { NaiveBayesModel } from '../../../src/classifier/model';
import { learnSpanRule, spanF1Of } from '../../../src/classifier/span-train';

const l = layoutOf(DEFAULT_FEATURES);
const bucketsOf = (w: string): Int32Array => textFeatures([{ value: w, word: true, start: 0, end: w.length }], DEFAULT_FEATURES, l).words[0];

// Posts where annotators mark the insult and leave the other words the toxicity score also counts as evidence.
function examples(): SpanExample[] {
  const out: SpanExample[] = [];
  for (let p = 0; p < 60; p++) {
    const insult = ['idiot', 'moron', 'clown'][p % 3];
    out.push({ post: p, buckets: bucketsOf(insult), c: 2, top: 2, gold: 1 });
    out.push({ post: p, buckets: bucketsOf(['people', 'government', 'liberals'][p % 3]), c: 1.5, top: 2, gold: 0 });
    out.push({ post: p, buckets: bucketsOf('the'), c: 0.1, top: 2, gold: 0 });
  }
  return out;
}

// The share of examples the rule gets right with each bias shift (a stand-in for the posts' mean F1).
const accuracy = (ex: SpanExample[]) => (w: Parameters<Parameters<typeof learnSpanWords>[2]>[0], x: number[][], shift: number): number => {
  let ok = 0;
  ex.forEach((e, i) => {
    let z = w.bias + shift;
    w.weights.forEach((v, k) => (z += v * x[i][k]));
    if ((z >= 0 ? 1 : 0) === e.gold) ok++;
  });
  return ok / ex.length;
};

describe('span words', () => {
  it('when annotators mark the insult but not the other toxic-sounding words, then the learnt rule marks only the insult', () => {
    const ex = examples();
    const w = learnSpanWords(ex, 60, accuracy(ex), 3);
    expect(w.f1).toBeGreaterThan(0.9);
    const entries: Explanation[] = [
      { token: 'moron', contribution: 2, spans: [[0, 5]] },
      { token: 'government', contribution: 1.5, spans: [[6, 16]] },
      { token: 'the', contribution: 0.1, spans: [[17, 20]] },
    ];
    const words = new Map(entries.map((e) => [e, bucketsOf(e.token)]));
    markExplanation(entries, { floor: 0, relative: 0, words: w }, words);
    expect(entries.map((e) => e.marked)).toEqual([true, false, false]);
  });

  it('when a rule has span words but the explanation no word buckets, then the floor alone decides', () => {
    const ex = examples();
    const w = learnSpanWords(ex, 60, accuracy(ex), 3);
    const entries: Explanation[] = [{ token: 'government', contribution: 1.5, spans: [[0, 10]] }];
    markExplanation(entries, { floor: 1, relative: 0, words: w });
    expect(entries[0].marked).toBe(true);
  });
});

describe('learning the span rule of a model', () => {
  it('when annotators mark only the insult of each post, then the learnt rule marks them better than the plain rule', () => {
    const model = loadBundledModels().toxicity as NaiveBayesModel;
    const insults = ['idiot', 'moron', 'fool', 'clown', 'loser'];
    const posts = Array.from({ length: 40 }, (_, i) => {
      const w = insults[i % insults.length];
      const text = `people like you are ${i % 2 ? 'a' : 'the'} ${w}s of this stupid town`;
      const at = text.indexOf(w);
      return { text, gold: Array.from({ length: w.length + 1 }, (_, k) => at + k) };
    });
    const rule = learnSpanRule(model, posts, 1);
    expect(rule.f1).toBeGreaterThanOrEqual(rule.plain.f1);
    // Span words count these posts' marked words: on them the rule marks the insults and little else.
    expect(rule.words).toBeDefined();
    expect(spanF1Of(model, posts, rule)).toBeGreaterThan(Math.max(0.6, spanF1Of(model, posts, rule.plain)));
  });
});
