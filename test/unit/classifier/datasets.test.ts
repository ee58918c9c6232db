import path from 'node:path';
import { loadDataset } from '../../../src/classifier/datasets';
import { isHeldOut, splitHoldout } from '../../../src/classifier/split';

const F = (name: string): string => path.resolve(__dirname, '../../fixtures/classifier', name);
const summary = (file: string) => loadDataset(F(file)).map((d) => [d.input.text, d.label, d.task, d.natural]);

describe('loadDataset', () => {
  it('when given each known format, then it reads texts and binary labels', () => {
    expect(summary('SMSSpamCollection')).toEqual([
      ['See you at lunch tomorrow', 0, 'spam', true],
      ['WINNER! Claim your free prize now, text WIN to 87121', 1, 'spam', true],
    ]);
    expect(summary('jigsaw-tiny.csv')).toEqual([
      ['Thanks for the edit,\nnice work', 0, 'toxicity', true],
      ['you are an idiot', 1, 'toxicity', true],
    ]);
    expect(loadDataset(F('jigsaw-tiny.csv'))[1].attrs).toEqual({ toxic: 1, obscene: 0, insult: 1, threat: 0, identity_hate: 0, severe_toxic: 0 });
    expect(summary('olid-tiny.tsv').map((r) => r[1])).toEqual([0, 1]);
    expect(loadDataset(F('olid-tiny.tsv'))[0].input.text).toBe('@USER have a nice day http://url.invalid');
    expect(summary('davidson-tiny.csv').map((r) => r[1])).toEqual([0, 1]);
    expect(summary('osact-tiny.txt')).toEqual([
      ['صباح الخير يا جماعة', 0, 'toxicity', false],
      ['يا حيوان\nاسكت', 1, 'toxicity', false],
    ]);
    expect(summary('lhsab-tiny.tsv')).toEqual([
      ['الله يحميك', 0, 'toxicity', false],
      ['يا كلب\nيا حقير', 1, 'toxicity', false],
    ]);
  });

  it('when given a ParsOffensive-style xlsx, then shared and inline strings are read without a spreadsheet library', () => {
    expect(summary('pars-tiny.xlsx')).toEqual([
      ['خیلی ممنون & عالی', 0, 'toxicity', false],
      ['خفه شو احمق', 1, 'toxicity', false],
    ]);
  });

  it('when YouTube comments carry HTML, then entities and tags become plain text', () => {
    const docs = loadDataset(F('youtube-tiny.csv'));
    expect(docs).toHaveLength(12);
    expect(docs[0].input.author).toBe('Spammer One');
  });

  it('when the format is unknown, then the error names the file', () => {
    expect(() => loadDataset(F('../../unit/classifier/datasets.test.ts'))).toThrow(/unrecognised data set format/);
  });
});

describe('holdout split', () => {
  it('when split twice with the same seed, then the same texts are held out, and a different seed changes it', () => {
    const docs = Array.from({ length: 400 }, (_, i) => ({ input: { text: `comment ${i}` }, label: 0 as const, task: 'spam' as const, source: 'x', natural: true }));
    const a = splitHoldout(docs, 0.2, 1).test.map((d) => d.input.text);
    expect(splitHoldout(docs, 0.2, 1).test.map((d) => d.input.text)).toEqual(a);
    expect(a.length).toBeGreaterThan(50);
    expect(a.length).toBeLessThan(110);
    expect(splitHoldout(docs, 0.2, 2).test.map((d) => d.input.text)).not.toEqual(a);
    expect(isHeldOut('same text', 0.5, 9)).toBe(isHeldOut('same text', 0.5, 9));
  });

  it('when a civil-comments-toxicspans file is read, then a majority threat share labels threat and the main score ignores the post', () => {
    const docs = loadDataset(F('civil-toxicspans-tiny.csv'));
    expect(docs.map((d) => d.attrs?.threat)).toEqual([1, 0, undefined]);
    expect(docs.every((d) => d.attrsOnly && !d.natural)).toBe(true);
  });

  it('when a civil-comments-toxicspans file is read, then insult and identity attack shares label by the same majority rule', () => {
    const docs = loadDataset(F('civil-toxicspans-tiny.csv'));
    expect(docs.map((d) => d.attrs?.insult)).toEqual([undefined, 1, 0]);
    expect(docs.map((d) => d.attrs?.identity_hate)).toEqual([0, 0, 0]);
  });

  it('when an ETHOS file is read, then violence >= 0.5 is the threat label and semicolons inside the comment survive', () => {
    const docs = loadDataset(F('ethos-tiny.csv'));
    expect(docs.map((d) => d.attrs?.threat)).toEqual([1, 0]);
    expect(docs[1].input.text).toBe("I can't stand people like that; they ruin everything");
  });
});
