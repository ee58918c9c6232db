import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadBundledModels, loadModelFile } from '../../../src/classifier';
import { loadDataset, type LabeledDoc } from '../../../src/classifier/datasets';
import { NaiveBayesModel } from '../../../src/classifier/model';
import { trainModel } from '../../../src/classifier/train';

const FIXTURES = path.resolve(__dirname, '../../fixtures/classifier');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'vigil-classifier-'));

function tinySpamModel() {
  const docs = loadDataset(path.join(FIXTURES, 'youtube-tiny.csv'));
  return new NaiveBayesModel(trainModel(docs, { task: 'spam', name: 'tiny', folds: 3, minCount: 1 }));
}

describe('spam model trained on a fixture', () => {
  it('when a comment looks like the spam examples, then it scores higher than a fan comment', () => {
    const m = tinySpamModel();
    const spam = m.score({ text: 'subscribe to my channel, free gift http://bit.ly/abc' }).score;
    const ham = m.score({ text: 'I love this song, the chorus is amazing' }).score;
    expect(spam).toBeGreaterThan(ham);
    expect(spam).toBeGreaterThanOrEqual(0);
    expect(spam).toBeLessThanOrEqual(1);
  });

  it('when trained twice with the same seed, then the files are identical', () => {
    const docs = loadDataset(path.join(FIXTURES, 'youtube-tiny.csv'));
    const a = JSON.stringify(trainModel(docs, { task: 'spam', name: 'x', seed: 7, folds: 3 }));
    const b = JSON.stringify(trainModel(docs, { task: 'spam', name: 'x', seed: 7, folds: 3 }));
    expect(a).toBe(b);
  });

  it('when a source is mass-capped, then each of its long comments adds at most the cap to its class mass, and a short one its own', () => {
    const tiny = loadDataset(path.join(FIXTURES, 'youtube-tiny.csv'));
    const words = Array.from({ length: 300 }, (_, i) => `word${i.toString(36)}x`).join(' ');
    const extra = (text: string): LabeledDoc => ({ input: { text }, label: 0, task: 'spam', source: 'long.tsv', natural: false });
    const opts = { task: 'spam', name: 'x', folds: 3, minCount: 1, bucketWeights: null } as const;
    const hamMass = (docs: LabeledDoc[], capped: boolean) =>
      trainModel(docs, { ...opts, ...(capped ? { massCap: { features: 50, sources: ['long.tsv'] } } : {}) }).heads.score.total[0];
    const base = hamMass(tiny, false);
    expect(hamMass([...tiny, extra(words)], false) - base).toBeGreaterThan(1000);
    expect(hamMass([...tiny, extra(words)], true) - base).toBeCloseTo(50, 6);
    const short = hamMass([...tiny, extra('a fine song')], false) - base;
    expect(short).toBeLessThan(50);
    expect(hamMass([...tiny, extra('a fine song')], true) - base).toBeCloseTo(short, 6);
  });

  it('when a very long comment is scored, then the score is a finite probability (log space, no underflow)', () => {
    const m = tinySpamModel();
    const s = m.score({ text: 'subscribe check out my channel '.repeat(5000) }).score;
    expect(Number.isFinite(s)).toBe(true);
    expect(s).toBeGreaterThan(0.5);
  });

  it('when a model is saved and loaded, then it scores the same', () => {
    const docs = loadDataset(path.join(FIXTURES, 'youtube-tiny.csv'));
    const file = path.join(tmp, 'tiny.json');
    const trained = trainModel(docs, { task: 'spam', name: 'tiny', folds: 3 });
    writeFileSync(file, JSON.stringify(trained));
    const input = { text: 'free money, check out my channel' };
    expect(loadModelFile(file).score(input).score).toBeCloseTo(new NaiveBayesModel(trained).score(input).score, 6);
  });
});

describe('loadModelFile', () => {
  it('when the file is missing, then the error names it', () => {
    expect(() => loadModelFile(path.join(tmp, 'nope.json'))).toThrow(/cannot read model file .*nope\.json/);
  });

  it('when the file is not JSON, then it says so', () => {
    const file = path.join(tmp, 'bad.json');
    writeFileSync(file, '{not json');
    expect(() => loadModelFile(file)).toThrow(/not valid JSON/);
  });

  it('when the format version differs, then it refuses the file', () => {
    const docs = loadDataset(path.join(FIXTURES, 'youtube-tiny.csv'));
    const file = path.join(tmp, 'v99.json');
    writeFileSync(file, JSON.stringify({ ...trainModel(docs, { task: 'spam', name: 'x', folds: 3 }), formatVersion: 99 }));
    expect(() => loadModelFile(file)).toThrow(/format version 99/);
  });
});

describe('gated attribute heads', () => {
  it('when a head has a gate on a cue, then its log-odds are re-scaled by whether the comment has the cue', () => {
    const file = (loadBundledModels().toxicity as NaiveBayesModel).toFile();
    const gated = structuredClone(file);
    gated.heads.threat.gate = { cue: 'thr:strong', with: [4, 0], without: [-4, 0] };
    const m = new NaiveBayesModel(gated);
    expect(m.score({ text: 'I know where you live and I will find you.' }).attributes!.threat).toBeCloseTo(1 / (1 + Math.exp(-4)), 6);
    expect(m.score({ text: 'The council is killing small businesses.' }).attributes!.threat).toBeCloseTo(1 / (1 + Math.exp(4)), 6);
    // Other heads are untouched (those with a cross stack read the threat head's log-odds, so obscene is checked).
    const plain = new NaiveBayesModel({ ...file, heads: { ...file.heads, threat: { ...file.heads.threat, gate: undefined } } });
    expect(m.score({ text: 'you idiot' }).attributes!.obscene).toBeCloseTo(plain.score({ text: 'you idiot' }).attributes!.obscene, 9);
  });
});

describe('gate adjustments', () => {
  it('when a gate adjusts for a cue, then a comment with that cue gets its log-odds added after the gate and others do not', () => {
    const file = (loadBundledModels().toxicity as NaiveBayesModel).toFile();
    const gated = structuredClone(file);
    gated.heads.threat.gate = { cue: 'thr:strong', with: [0, 0], without: [0, 0], adjust: [['thr:report', -2]] };
    const m = new NaiveBayesModel(gated);
    expect(m.score({ text: 'Police said the man was shot twice.' }).attributes!.threat).toBeCloseTo(1 / (1 + Math.exp(2)), 6);
    expect(m.score({ text: 'The man shot twice.' }).attributes!.threat).toBeCloseTo(0.5, 6);
  });

  it('when a gate re-weighs the main score, then the part the comment falls in adds its weight times the main log-odds', () => {
    const file = (loadBundledModels().toxicity as NaiveBayesModel).toFile();
    const gated = structuredClone(file);
    gated.heads.threat.gate = { cue: 'thr:strong', with: [0, 0], without: [0, 0], main: [1, 0] };
    const m = new NaiveBayesModel(gated);
    const logit = (p: number): number => Math.log(p / (1 - p));
    const strong = 'I will kill you.';
    expect(logit(m.score({ text: strong }).attributes!.threat)).toBeCloseTo(logit(m.score({ text: strong }).score), 6);
    expect(m.score({ text: 'The man shot twice.' }).attributes!.threat).toBeCloseTo(0.5, 6);
  });

  it('when trained with gate adjustments, then the file holds one weight per adjusting cue, the two parts of the gate and their main-score weights', () => {
    // Threats, reports of violence and plain comments, enough of each for every fold to hold both labels.
    const doc = (text: string, threat: 0 | 1): LabeledDoc => ({ input: { text }, label: threat, attrs: { threat }, task: 'toxicity', source: 'x', natural: true });
    const docs: LabeledDoc[] = [];
    for (let k = 0; k < 12; k++) {
      docs.push(doc(`I will kill you tonight number ${k}`, 1), doc(`Someone should shoot that mayor ${k}`, 1), doc(`Die in a fire ${k}`, 1));
      docs.push(doc(`Police said the man was shot on street ${k}`, 0), doc(`The council is killing business ${k}`, 0), doc(`Thanks for the article ${k}`, 0), doc(`The budget vote is on day ${k}`, 0));
    }
    const f = trainModel(docs, { task: 'toxicity', name: 't', folds: 3, minCount: 1, gateAdjust: ['thr:report', 'thr:figurative'] });
    const g = f.heads.threat?.gate;
    expect(g?.cue).toBe('thr:strong');
    expect(g?.adjust?.map(([c]) => c)).toEqual(['thr:report', 'thr:figurative']);
    for (const [, v] of g!.adjust!) expect(Number.isFinite(v)).toBe(true);
    expect(g?.main?.every(Number.isFinite)).toBe(true);
    const plain = trainModel(docs, { task: 'toxicity', name: 't', folds: 3, minCount: 1, gateAdjust: [], gateMain: false }).heads.threat?.gate;
    expect(plain?.adjust).toBeUndefined();
    expect(plain?.main).toBeUndefined();
  });
});

describe('bundled models', () => {
  it('when loaded from models/, then both score and toxicity has attributes', () => {
    const { spam, toxicity } = loadBundledModels();
    expect(spam.task).toBe('spam');
    expect(toxicity.task).toBe('toxicity');
    expect(spam.thresholds.review).toBeLessThan(spam.thresholds.reject);
    const s = spam.score({ text: 'Check out my channel and subscribe! http://bit.ly/free' });
    expect(s.score).toBeGreaterThan(spam.score({ text: 'What a thoughtful article, thank you.' }).score);
    const t = toxicity.score({ text: 'you are a stupid idiot' });
    expect(t.score).toBeGreaterThan(toxicity.score({ text: 'thank you for the helpful edit' }).score);
    expect(Object.keys(t.attributes ?? {})).toEqual(expect.arrayContaining(['toxic', 'obscene', 'insult', 'threat', 'identity_hate']));
  });
});
