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
