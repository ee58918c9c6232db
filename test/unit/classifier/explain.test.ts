import path from 'node:path';
import { layoutFor } from '../../../src/classifier/doc';
import { DEFAULT_FEATURES, extract, scanFeatures, textFeatures, vectorize } from '../../../src/classifier/features';
import { loadDataset } from '../../../src/classifier/datasets';
import { NaiveBayesModel } from '../../../src/classifier/model';
import { tokenize } from '../../../src/classifier/tokenize';
import { trainModel } from '../../../src/classifier/train';
import { sigmoid } from '../../../src/classifier/calibration';

const docs = loadDataset(path.resolve(__dirname, '../../fixtures/classifier/youtube-tiny.csv'));
const model = new NaiveBayesModel(trainModel(docs, { task: 'spam', name: 'tiny', folds: 3, minCount: 1 }));

describe('explanations', () => {
  it('when asked to explain, then each token span slices the original text to what was typed', () => {
    const text = 'CHECK   0ut my CHANNEL, fr€e gift http://bit.ly/x';
    const { explanation } = model.score({ text }, { explain: true });
    expect(explanation?.length).toBeGreaterThan(0);
    for (const e of explanation!) {
      for (const [s, end] of e.spans) {
        expect(s).toBeGreaterThanOrEqual(0);
        expect(end).toBeLessThanOrEqual(text.length);
        expect(text.slice(s, end).length).toBeGreaterThan(0);
      }
    }
    const channel = explanation!.find((e) => e.token === 'channel');
    expect(channel && text.slice(...channel.spans[0])).toBe('CHANNEL');
  });

  it('when the top tokens are listed, then they are sorted by absolute contribution and the spammy ones push up', () => {
    const { explanation } = model.score({ text: 'subscribe to my channel' }, { explain: true });
    const abs = explanation!.map((e) => Math.abs(e.contribution));
    expect(abs).toEqual([...abs].sort((a, b) => b - a));
    expect(explanation!.find((e) => e.token === 'subscribe')!.contribution).toBeGreaterThan(0);
  });

  it('when every contribution is added to the bias and length term, then it gives back the score', () => {
    const input = { text: 'free money check out my channel' };
    const d = model.featurize(input);
    const all = model.score(input, { explain: true }).explanation!;
    // With at most 10 tokens listed, this comment's explanation is complete.
    const z = model.table.bias[0] + model.table.lengthWeight[0] * Math.log1p(d.v.length) + all.reduce((a, e) => a + e.contribution, 0);
    expect(sigmoid(z)).toBeCloseTo(model.score(input).score, 3);
  });
});

describe('features', () => {
  it('when a comment is vectorized, then each distinct word adds its unigram and char n-grams once and each distinct bigram once', () => {
    const tokens = tokenize('The quick brown fox, the QUICK brown dog! http://x.com v1agra');
    const l = layoutFor(DEFAULT_FEATURES);
    // The reference: every feature occurrence from extract, minus repeats of a word and of a bigram.
    const firstOf = new Map<string, number>();
    tokens.forEach((t, i) => firstOf.has(t.value) || firstOf.set(t.value, i));
    const expected: number[] = [];
    const bigrams = new Set<number>();
    extract(tokens, DEFAULT_FEATURES, l, (b, a, second) => {
      if (second >= 0) {
        if (!bigrams.has(b)) expected.push(b);
        bigrams.add(b);
      } else if (firstOf.get(tokens[a].value) === a) expected.push(b);
    });
    const v = vectorize(tokens, DEFAULT_FEATURES, l);
    expect([...v.ids].sort((x, y) => x - y)).toEqual(expected.sort((x, y) => x - y));
    expect(v.length).toBe(expected.length);
  });

  it('when features are scanned from the text, then they equal those built from its tokens', () => {
    const l = layoutFor(DEFAULT_FEATURES);
    const texts = [
      'The quick brown fox, the QUICK brown dog! http://x.com v1agra',
      "Don't   stop — café naïve ÉCOLE freeeee money $$$ call +1 (555) 123-4567 @bob bob@mail.com 😀😀",
      'سلام علیکم ي ی ك ک دوست fr€e WWW.Spam.co/x?y=1 42 2024',
      '',
    ];
    for (const text of texts) {
      const a = scanFeatures(text, DEFAULT_FEATURES, l);
      const b = textFeatures(tokenize(text), DEFAULT_FEATURES, l);
      expect(a.text.words).toEqual(b.words);
      expect([...a.text.bigrams]).toEqual([...b.bigrams]);
      expect(a.text.length).toBe(b.length);
      expect(a.links).toBe(tokenize(text).filter((t) => t.value === '__url__').length);
    }
  });

  it('when a model scores a document, then the cached per-word sums give the same log-odds as the flat bucket list', () => {
    const input = { text: 'Subscribe to my channel!! subscribe, SUBSCRIBE http://bit.ly/x free free gift' };
    model.score(input);
    const d = model.featurize(input);
    const z = model.logits(d)[0];
    let flat = model.table.bias[0] + model.table.lengthWeight[0] * Math.log1p(d.v.length);
    for (const f of [...d.v.ids, ...d.meta]) flat += model.table.q[f];
    expect(z).toBeCloseTo(flat, 4);
  });
});
