import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { run as evalRun } from '../../../src/cli/commands/eval';
import { run as scoreRun } from '../../../src/cli/commands/score';
import { run as trainRun } from '../../../src/cli/commands/train';

const FIXTURE = path.resolve(__dirname, '../../fixtures/classifier/youtube-tiny.csv');

function io(input = '') {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  return { streams: { stdin: Readable.from([input]), stdout, stderr }, out: () => out, err: () => err };
}

describe('vigil train / eval / score', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-cli-'));
  const modelPath = path.join(dir, 'tiny.json');

  it('when train is given a data file, then it writes a model and the same seed gives the same file', async () => {
    expect(await trainRun(['--task', 'spam', '--data', FIXTURE, '--out', modelPath, '--seed', '3'], io().streams)).toBe(0);
    const first = readFileSync(modelPath, 'utf8');
    expect(await trainRun(['--task', 'spam', '--data', FIXTURE, '--out', modelPath, '--seed', '3'], io().streams)).toBe(0);
    expect(readFileSync(modelPath, 'utf8')).toBe(first);
  });

  it('when train gets a wrong task, then it prints usage and exits 2', async () => {
    const t = io();
    expect(await trainRun(['--task', 'ham', '--data', FIXTURE, '--out', modelPath], t.streams)).toBe(2);
    expect(t.err()).toMatch(/usage: vigil train/);
  });

  it('when eval runs, then it prints the metrics, the confusion matrix and a threshold table', async () => {
    const t = io();
    expect(await evalRun(['--model', modelPath, '--data', FIXTURE], t.streams)).toBe(0);
    for (const word of ['accuracy', 'precision', 'recall', 'F1', 'macro-F1', 'ROC-AUC', 'confusion matrix', 'threshold table']) {
      expect(t.out()).toContain(word);
    }
  });

  it('when score reads JSON lines with a bad one in the middle, then it answers every line in order and exits 1', async () => {
    const input = ['{"text":"check out my channel"}', 'not json', '{"nope":1}', '{"text":"I love this song","author":"x"}', ''].join('\n');
    const t = io(input);
    expect(await scoreRun(['--model', modelPath, '--explain'], t.streams)).toBe(1);
    const lines = t.out().trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(typeof lines[0].score).toBe('number');
    expect(Array.isArray(lines[0].explanation)).toBe(true);
    expect(lines[1].error).toBeDefined();
    expect(lines[2].error).toMatch(/text/);
    expect(typeof lines[3].score).toBe('number');
  });

  it('when every line is good, then score exits 0', async () => {
    const t = io('{"text":"hello"}\n');
    expect(await scoreRun(['--model', modelPath], t.streams)).toBe(0);
    expect(JSON.parse(t.out()).score).toBeGreaterThanOrEqual(0);
  });
});

describe('vigil train --language', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-cli-lang-'));
  const out = path.join(dir, 'toxicity-de.json');
  const german = path.resolve(__dirname, '../../fixtures/languages/germeval2018-tiny.training.txt');

  it('when a language model is trained with a held-out part, then the file names its language and records each file\'s held-out figures', async () => {
    const t = io();
    expect(await trainRun(['--task', 'toxicity', '--language', 'de', '--data', german, '--out', out, '--holdout', '0.25', '--seed', '42'], t.streams)).toBe(0);
    const m = JSON.parse(readFileSync(out, 'utf8'));
    expect(m.language).toBe('de');
    expect(m.features.threat).toBeUndefined();
    const h = m.training.heldOut['germeval2018-tiny.training.txt'];
    expect(h.n).toBeGreaterThan(0);
    expect(h.n).toBeLessThan(24);
    expect(h.threshold).toBe(m.thresholds.review);
  });

  it('when an evaluation-only set is given to train, then it refuses and writes nothing', async () => {
    const t = io();
    const refused = path.join(dir, 'refused.json');
    const evalOnly = path.resolve(__dirname, '../../fixtures/languages/GermEval21_TrainData.csv');
    expect(await trainRun(['--task', 'toxicity', '--language', 'de', '--data', german, evalOnly, '--out', refused], t.streams)).toBe(1);
    expect(t.err()).toMatch(/GermEval21_TrainData\.csv is for evaluation only/);
    expect(() => readFileSync(refused)).toThrow();
  });

  it('when --language names a language without a recipe, then it prints usage and exits 2', async () => {
    const t = io();
    expect(await trainRun(['--task', 'toxicity', '--language', 'it', '--data', german, '--out', out], t.streams)).toBe(2);
  });

  it('when eval scores a language set with a language model, then it reads that set\'s format', async () => {
    const t = io();
    expect(await evalRun(['--model', out, '--data', german, '--holdout', '0.25', '--seed', '42'], t.streams)).toBe(0);
    expect(t.out()).toMatch(/ROC-AUC/);
  });
});
