import path from 'node:path';
import { loadDataset } from '../../../src/classifier/datasets';
import { NaiveBayesModel } from '../../../src/classifier/model';
import { trainModel } from '../../../src/classifier/train';

const docs = loadDataset(path.resolve(__dirname, '../../fixtures/classifier/youtube-tiny.csv'));
const fresh = () => new NaiveBayesModel(trainModel(docs, { task: 'spam', name: 'tiny', folds: 3, minCount: 1 }));

describe('learning from moderators', () => {
  const input = { text: 'cheap watches replica rolex best price' };

  it('when a comment is marked spam, then it and similar comments score higher, and withdrawing undoes it', () => {
    const m = fresh();
    const before = m.score(input).score;
    const similar = m.score({ text: 'replica rolex watches' }).score;
    m.learn(input, 1);
    m.learn(input, 1);
    expect(m.score(input).score).toBeGreaterThan(before);
    expect(m.score({ text: 'replica rolex watches' }).score).toBeGreaterThan(similar);
    m.learn(input, 1, -1);
    m.learn(input, 1, -1);
    expect(m.score(input).score).toBeCloseTo(before, 6);
  });

  it('when withdrawals arrive for examples never learnt, then no count goes below the trained model', () => {
    const m = fresh();
    const before = m.score(input).score;
    for (let i = 0; i < 5; i++) m.learn(input, 1, -1);
    for (let i = 0; i < 5; i++) m.learn(input, 0, -1);
    expect(m.score(input).score).toBe(before);
    expect(m.toFile().heads.score).toEqual(fresh().toFile().heads.score);
  });

  it("when a site learns on its own, then only that site's score moves; an agreed delta moves every site and is taken back by the next", () => {
    const m = fresh();
    const before = m.score(input).score;
    for (let i = 0; i < 2; i++) m.learnSite(input, 1, 1, 'A');
    expect(m.score(input).score).toBe(before);
    expect(m.score(input, { siteId: 'B' }).score).toBe(before);
    expect(m.score(input, { siteId: 'A' }).score).toBeGreaterThan(before);
    const delta = new Map(m.learnable(input).map((f) => [f, [0, 3] as [number, number]]));
    m.setAgreed(delta);
    const agreed = m.score(input, { siteId: 'B' }).score;
    expect(agreed).toBeGreaterThan(before);
    m.setAgreed(new Map());
    expect(m.score(input).score).toBeCloseTo(before, 9);
  });

  it('when the learned model is exported and loaded again, then it keeps what it learned', () => {
    const m = fresh();
    const before = m.score(input).score;
    for (let i = 0; i < 3; i++) m.learn(input, 1);
    const learned = m.score(input).score;
    const reloaded = new NaiveBayesModel(JSON.parse(JSON.stringify(m.toFile())));
    // The file keeps the trained class totals and calibration, so it scores exactly as the live model does.
    expect(reloaded.score(input).score).toBeGreaterThan(before);
    expect(reloaded.score(input).score).toBeCloseTo(learned, 6);
  });

  it('when nothing was learned, then export returns the trained file', () => {
    const m = fresh();
    expect(m.toFile()).toBe(m.file);
  });
});
