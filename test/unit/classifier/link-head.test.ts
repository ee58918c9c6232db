import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadModelFile } from '../../../src/classifier';
import { WORD_CUES, crossLogit, hasCue, wordCue } from '../../../src/classifier/cross-stack';
import { loadDataset, type LabeledDoc } from '../../../src/classifier/datasets';
import { featurize } from '../../../src/classifier/doc';
import { DEFAULT_FEATURES } from '../../../src/classifier/features';
import { LINK_HEAD, linkView, wordView } from '../../../src/classifier/link-head';
import { NaiveBayesModel } from '../../../src/classifier/model';
import { fileVersion } from '../../../src/classifier/model-file';
import { trainModel } from '../../../src/classifier/train';

const FIXTURES = path.resolve(__dirname, '../../fixtures/classifier');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'vigil-link-head-'));

// The YouTube fixture and a few news comments: readers who cite, and link spam after a topical opener.
const news = (text: string, label: 0 | 1): LabeledDoc => ({ input: { text }, label, task: 'spam', source: 'news.tsv', natural: false });
const DOCS = [
  ...loadDataset(path.join(FIXTURES, 'youtube-tiny.csv')),
  news('The council published the full budget at https://www.portland.gov/budget and the cut is on page 14 of the report.', 0),
  news('According to the ministry report https://www.gov.uk/report the figures for the region were revised last spring.', 0),
  news('Wikipedia summarises the treaty well: https://en.wikipedia.org/wiki/Paris_Agreement and the council vote followed it.', 0),
  news('The mayor said the same in the council minutes, https://www.portland.gov/minutes, which the article does not cite.', 0),
  news('Great article, very informative for the council debate. For cheap loans visit https://fast-cash-loans.xyz today.', 1),
  news('Interesting report on the budget. I earn $500 a day from home, see https://work-home-profit.top for details.', 1),
];
const CUES = [...WORD_CUES, 'links=0', 'links=1'];

describe('the spam model link head', () => {
  const file = trainModel(DOCS, { task: 'spam', name: 'tiny', folds: 3, minCount: 1, linkHead: { cues: CUES } });
  const m = new NaiveBayesModel(file);

  it('when the option is not given, then a spam model has no link head and no stack', () => {
    const plain = trainModel(DOCS, { task: 'spam', name: 'tiny', folds: 3, minCount: 1 });
    expect(Object.keys(plain.heads)).toEqual(['score']);
    expect(plain.heads.score.cross).toBeUndefined();
  });

  it('when trained with a link head, then the main score is a stack over the word and link heads and the file is version 10', () => {
    expect(Object.keys(file.heads)).toEqual(['score', LINK_HEAD]);
    expect(Object.keys(file.heads.score.cross!.heads)).toEqual(['score', LINK_HEAD]);
    expect(Object.keys(file.heads.score.cross!.cues)).toEqual(CUES);
    expect(file.formatVersion).toBe(10);
    expect(fileVersion(file)).toBe(10);
  });

  it('when a comment is scored, then its score is the stack over the heads it would have without the stack', () => {
    const input = { text: 'Great video, check out my channel http://bit.ly/abc and subscribe' };
    const unstacked = structuredClone(file);
    delete unstacked.heads.score.cross;
    const u = new NaiveBayesModel(unstacked);
    const d = u.featurize(input);
    const z = Array.from(u.logits(d));
    const want = crossLogit(file.heads.score.cross!, ['score', LINK_HEAD], z, (c) => hasCue(c, d.metaNames, d.text.words.length));
    expect(Math.log(m.score(input).score / (1 - m.score(input).score))).toBeCloseTo(want, 6);
  });

  it('when the link head scores a comment, then the words around the link do not change its log-odds', () => {
    const z = (text: string) => Array.from(m.logits(m.featurize({ text })))[1];
    expect(z('Wonderful report on the city budget and its schools, thanks https://www.portland.gov/budget')).toBeCloseTo(z('https://www.portland.gov/budget'), 6);
  });

  it('when the file is written and loaded, then it scores as the trained model', () => {
    const f = path.join(tmp, 'spam.json');
    writeFileSync(f, JSON.stringify(file));
    for (const text of ['subscribe to my channel www.freecash.com', 'The budget is at https://www.portland.gov/budget, see page 14.']) {
      expect(loadModelFile(f).score({ text }).score).toBeCloseTo(m.score({ text }).score, 9);
    }
  });

  it('when a moderator marks a comment as spam, then the stacked score of the same comment rises', () => {
    const learner = new NaiveBayesModel(structuredClone(file));
    const input = { text: 'A thoughtful piece on the council budget, more at https://www.portland.gov/budget' };
    const before = learner.score(input).score;
    for (let k = 0; k < 5; k++) learner.learn(input, 1);
    expect(learner.score(input).score).toBeGreaterThan(before);
  });

  it('when a comment with a link is explained, then the explanation still names the linked domain', () => {
    const e = m.score({ text: 'Interesting report. See https://work-home-profit.top for details.' }, { explain: true }).explanation!;
    expect(e.some((x) => `${x.token} ${x.detail ?? ''}`.includes('work-home-profit.top'))).toBe(true);
  });

  it('when the link view of a comment is made, then it keeps its link tokens and link metadata only', () => {
    const input = { text: 'GREAT read, see https://fast-cash-loans.xyz/now for more', url: 'https://loans.example.com' };
    const d = featurize(input, DEFAULT_FEATURES, true);
    const v = linkView(input, d, DEFAULT_FEATURES);
    expect(v.metaNames.every((n) => /^(links=|link:|author-url:|url_field|doms=|lratio=)/.test(n))).toBe(true);
    expect(v.metaNames).toContain('links=1');
    expect(d.metaNames.some((n) => n.startsWith('caps='))).toBe(true);
    expect(v.v.length).toBeLessThan(10);
    const w = wordView(input, d, DEFAULT_FEATURES);
    expect(w.metaNames.some((n) => n.startsWith('links='))).toBe(false);
    expect(w.metaNames.some((n) => n.startsWith('caps='))).toBe(true);
  });

  it('when a comment has n distinct words, then it has exactly one length cue', () => {
    expect([1, 7, 8, 24, 25, 59, 60, 500].map(wordCue)).toEqual(['words<8', 'words<8', 'words<25', 'words<25', 'words<60', 'words<60', 'words60+', 'words60+']);
  });
});
