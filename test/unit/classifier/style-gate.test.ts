import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadModelFile } from '../../../src/classifier';
import { loadDataset, type LabeledDoc } from '../../../src/classifier/datasets';
import { STYLE_FORMAT_VERSION } from '../../../src/classifier/model-file';
import { StyleGatedModel } from '../../../src/classifier/style-gate';
import { thresholdMap, trainStyleGated, withoutLinks } from '../../../src/classifier/style-train';

const FIXTURES = path.resolve(__dirname, '../../fixtures/classifier');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'vigil-style-'));

// Short messages (the YouTube fixture) and a few news-style comments: readers who cite, and link spam.
const news = (text: string, label: 0 | 1): LabeledDoc => ({ input: { text }, label, task: 'spam', source: 'news.tsv', natural: false });
const NEWS = [
  news('The council published the full budget at https://www.portland.gov/budget and the cut is on page 14 of the report.', 0),
  news('According to the ministry report https://www.gov.uk/report the figures for the region were revised last spring.', 0),
  news('The article misstates the court ruling; the judgment itself is at https://www.supremecourt.gov/opinions and says otherwise.', 0),
  news('Wikipedia summarises the treaty well: https://en.wikipedia.org/wiki/Paris_Agreement and the council vote followed it.', 0),
  news('The mayor said the same in the council minutes, https://www.portland.gov/minutes, which the article does not cite.', 0),
  news('Great article, very informative for the council debate. For cheap loans visit https://fast-cash-loans.xyz today.', 1),
  news('Interesting report on the budget. I earn $500 a day from home, see https://work-home-profit.top for details.', 1),
  news('Thanks for the article about the ruling. Buy replica watches at https://cheap-replica-watch.shop now.', 1),
];

function train() {
  const docs = [...loadDataset(path.join(FIXTURES, 'youtube-tiny.csv')), ...NEWS];
  return trainStyleGated(docs, { task: 'spam', name: 'tiny', folds: 3, minCount: 1 }, (s) => s.startsWith('youtube'));
}

describe('spam model with a style gate', () => {
  const file = train();
  const m = new StyleGatedModel(file);

  it('when a comment reads like a short message, then the short-message expert scores it, on the file thresholds', () => {
    const input = { text: 'check out my channel and subscribe, free gift http://bit.ly/abc' };
    const d = m.news.featurize(input);
    expect(m.isShort(d)).toBe(true);
    const [a, b] = file.style!.map;
    const z = a * m.short.logOdds(d) + b;
    expect(m.score(input).score).toBeCloseTo(1 / (1 + Math.exp(-z)), 9);
  });

  it('when a comment reads like a news comment, then the news expert alone scores it', () => {
    const input = { text: 'The council report on the budget is at https://www.portland.gov/budget2 and the ruling too.' };
    const d = m.news.featurize(input);
    expect(m.isShort(d)).toBe(false);
    expect(m.score(input).score).toBeCloseTo(1 / (1 + Math.exp(-m.news.logOdds(d))), 9);
  });

  it('when saved and loaded, then loadModelFile gives a style-gated model that scores the same', () => {
    const f = path.join(tmp, 'gated.json');
    writeFileSync(f, JSON.stringify(file));
    const loaded = loadModelFile(f);
    expect(loaded).toBeInstanceOf(StyleGatedModel);
    for (const text of ['subscribe to my channel', 'The council report is at https://www.portland.gov/x']) {
      expect(loaded.score({ text }).score).toBeCloseTo(m.score({ text }).score, 12);
    }
  });

  it('when a file with a style gate claims an older format version, then loading refuses it', () => {
    const f = path.join(tmp, 'old.json');
    writeFileSync(f, JSON.stringify({ ...file, formatVersion: STYLE_FORMAT_VERSION - 1 }));
    expect(() => loadModelFile(f)).toThrow(/style gate but format version 7/);
    writeFileSync(f, JSON.stringify({ ...file, style: { ...file.style, short: { ...file.style!.short, features: { ...file.features, bits: 12 } } } }));
    expect(() => loadModelFile(f)).toThrow(/other features/);
  });

  it("when a site labels comments, then both experts learn them for that site only, and the export keeps both", () => {
    const g = new StyleGatedModel(structuredClone(file));
    const short = { text: 'my favourite song of all time, the dance is great' };
    const newsy = { text: 'The council report says the budget was cut at https://www.portland.gov/budget and the ruling too' };
    const before = [g.score(short).score, g.score(newsy).score];
    for (let i = 0; i < 3; i++) {
      g.learnSite(short, 1, 1, 'A');
      g.learnSite(newsy, 1, 1, 'A');
    }
    expect(g.score(short, { siteId: 'A' }).score).toBeGreaterThan(before[0]);
    expect(g.score(newsy, { siteId: 'A' }).score).toBeGreaterThan(before[1]);
    expect(g.score(short, { siteId: 'B' }).score).toBe(before[0]);
    const exported = new StyleGatedModel(g.toFile('A'));
    expect(exported.score(short).score).toBeCloseTo(g.score(short, { siteId: 'A' }).score, 4);
    expect(g.learnable(short)).toEqual(g.news.learnable(short));
  });

  it('when the gate is trained, then it never saw a link: links are taken out of its training text', () => {
    expect(withoutLinks('see https://x.example/a?b=1 and www.y.example now')).toBe('see   and   now');
    expect(file.style!.gate.meta).toBe(false);
  });

  it('when thresholds are mapped, then review goes onto review and reject onto reject', () => {
    const [a, b] = thresholdMap({ review: 0.42, reject: 0.73 }, { review: 0.16, reject: 0.64 });
    const at = (p: number) => 1 / (1 + Math.exp(-(a * Math.log(p / (1 - p)) + b)));
    expect(at(0.42)).toBeCloseTo(0.16, 3);
    expect(at(0.73)).toBeCloseTo(0.64, 3);
  });
});
