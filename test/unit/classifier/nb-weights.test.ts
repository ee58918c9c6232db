import type { LabeledDoc } from '../../../src/classifier/datasets';
import { NaiveBayesModel } from '../../../src/classifier/model';
import { decodeCounts, decodeWeights, encodeWeights, type ModelFile } from '../../../src/classifier/model-file';
import { trainModel } from '../../../src/classifier/train';

/**
 * A small seeded corpus (no data files needed): spam and fan comments drawn from overlapping word lists,
 * with noisy labels, so plain NB is not perfect out of fold and the weights have something to learn.
 */
function corpus(): LabeledDoc[] {
  const spam = ['subscribe', 'channel', 'free', 'gift', 'check', 'win', 'money', 'click', 'video', 'my'];
  const ham = ['love', 'song', 'chorus', 'amazing', 'video', 'beat', 'my', 'favourite', 'voice', 'lyrics'];
  let s = 12345;
  const rnd = (): number => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  const out: LabeledDoc[] = [];
  for (let i = 0; i < 240; i++) {
    const label: 0 | 1 = i % 2 === 0 ? 1 : 0;
    const words = Array.from({ length: 3 + Math.floor(rnd() * 6) }, () => {
      const from = rnd() < 0.75 ? (label ? spam : ham) : label ? ham : spam;
      return from[Math.floor(rnd() * from.length)];
    });
    out.push({ input: { text: words.join(' ') }, label: rnd() < 0.1 ? ((1 - label) as 0 | 1) : label, task: 'spam', source: 'synthetic', natural: true });
  }
  return out;
}
const docs = corpus();
const trained = trainModel(docs, { task: 'spam', name: 'tiny', folds: 3, minCount: 1, bucketWeights: { l2: 0.3, rate: 1 } });

/** A copy of `file` whose main head gives the buckets in `set` the weight `w`. */
function withWeights(file: ModelFile, set: Set<number>, w: number): ModelFile {
  const head = file.heads.score;
  const { index } = decodeCounts(head);
  const weights = Array.from(decodeWeights(head)!, (x, i) => (set.has(index[i]) ? w : x));
  return { ...file, heads: { ...file.heads, score: { ...head, weights: encodeWeights(weights) } } };
}

/** The text buckets (unigram and char n-grams) of a one-word comment. */
function wordBuckets(m: NaiveBayesModel, word: string): Set<number> {
  return new Set(m.featurize({ text: word }).text.words[0].subarray(1));
}

describe('learned bucket weights (feature-weighted Naive Bayes)', () => {
  it('when trained with bucket weights, then the file stores one per stored bucket and some differ from 1', () => {
    const w = decodeWeights(trained.heads.score)!;
    expect(w).toHaveLength(trained.heads.score.entries);
    expect(w.some((x) => Math.abs(x - 1) > 1e-3)).toBe(true);
    expect(trained.heads.toxic).toBeUndefined();
  });

  it('when a word\'s buckets weigh 0, then the word adds nothing; at 2, then it adds twice its NB log-ratio', () => {
    const buckets = wordBuckets(new NaiveBayesModel(trained), 'subscribe');
    const model = (w: number) => new NaiveBayesModel(withWeights(trained, buckets, w));
    const logit = (w: number): number => {
      const m = model(w);
      return m.logits(m.featurize({ text: 'subscribe' }))[0];
    };
    // With weight 1 the word adds its calibrated NB log-ratios; with 0 none of them.
    const nb = [...buckets].reduce((sum, f) => sum + model(1).table.q[f], 0);
    expect(Math.abs(nb)).toBeGreaterThan(0.01);
    for (const f of buckets) expect(model(0).table.q[f]).toBe(0);
    expect(logit(1) - logit(0)).toBeCloseTo(nb, 4);
    expect(logit(2) - logit(0)).toBeCloseTo(2 * nb, 4);
  });

  it('when a word\'s buckets weigh 0, then explanations do not credit it', () => {
    const file = withWeights(trained, wordBuckets(new NaiveBayesModel(trained), 'subscribe'), 0);
    const ex = new NaiveBayesModel(file).score({ text: 'subscribe now' }, { explain: true }).explanation!;
    expect(ex.find((e) => e.token === 'subscribe')).toBeUndefined();
  });

  it('when moderators give feedback, then counts move but the learned weights stay (a 0 weight keeps the word silent)', () => {
    const text = 'subscribe';
    const file = withWeights(trained, wordBuckets(new NaiveBayesModel(trained), text), 0);
    const m = new NaiveBayesModel(file);
    const buckets = wordBuckets(m, text);
    for (let i = 0; i < 5; i++) m.learn({ text }, 1);
    for (const f of buckets) expect(m.table.q[f]).toBe(0);
    // With the trained weights the same feedback moves the word's buckets.
    const plain = new NaiveBayesModel(trained);
    const q0 = [...buckets].map((f) => plain.table.q[f]);
    for (let i = 0; i < 5; i++) plain.learn({ text }, 1);
    expect([...buckets].some((f, i) => Math.abs(plain.table.q[f] - q0[i]) > 1e-4)).toBe(true);
    // Exported files keep the weights and score as the process does.
    const exported = plain.toFile();
    expect(decodeWeights(exported.heads.score)).toBeDefined();
    const input = { text: 'subscribe to my channel' };
    expect(new NaiveBayesModel(exported).score(input).score).toBeCloseTo(plain.score(input).score, 6);
  });

  it('when the weights do not match the stored buckets, then loading fails', () => {
    const head = trained.heads.score;
    const bad = { ...trained, heads: { ...trained.heads, score: { ...head, weights: encodeWeights([1, 1]) } } };
    expect(() => new NaiveBayesModel(bad)).toThrow(/does not match|ends early/);
  });

  it('when trained twice with the same seed, then the files are identical', () => {
    const again = trainModel(docs, { task: 'spam', name: 'tiny', folds: 3, minCount: 1, bucketWeights: { l2: 0.3, rate: 1 } });
    expect(JSON.stringify(again)).toBe(JSON.stringify(trained));
  });
});
