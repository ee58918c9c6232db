import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadDataset } from '../../../src/classifier/datasets';
import { STYLE_FORMAT_VERSION, WRITE_FLOOR_VERSION, fileVersion, type ModelFile } from '../../../src/classifier/model-file';
import { trainStyleGated } from '../../../src/classifier/style-train';
import { trainModel } from '../../../src/classifier/train';

const FIXTURES = path.resolve(__dirname, '../../fixtures/classifier');
const MODELS = path.resolve(__dirname, '../../../models');

// A retrained model with an unchanged recipe must be the same file as the shipped one; a newer version number on the
// same content would make every older build refuse it for nothing.
describe('the format version a trained file is written with', () => {
  const docs = loadDataset(path.join(FIXTURES, 'youtube-tiny.csv'));

  it('when a file uses no field newer than the floor, then it carries the floor version', () => {
    expect(trainModel(docs, { task: 'spam', name: 'x', folds: 3 }).formatVersion).toBe(WRITE_FLOOR_VERSION);
  });

  it('when a file has a style gate, then it carries the style gate version', () => {
    expect(trainStyleGated(docs, { task: 'spam', name: 'x', folds: 3, minCount: 1 }, (s) => s.startsWith('youtube')).formatVersion).toBe(STYLE_FORMAT_VERSION);
  });

  it('when a head has a cross stack, then the file carries version 9', () => {
    const f = trainModel(docs, { task: 'spam', name: 'x', folds: 3 });
    const crossed: ModelFile = { ...f, heads: { score: { ...f.heads.score, cross: { bias: 0, heads: { score: 1 }, cues: {} } } } };
    expect(fileVersion(crossed)).toBe(9);
  });

  it('when the shipped files are read, then each says the version its fields need', () => {
    for (const name of ['spam', 'toxicity', 'toxicity-de', 'toxicity-es', 'toxicity-pt']) {
      const f = JSON.parse(readFileSync(path.join(MODELS, `${name}.json`), 'utf8')) as ModelFile;
      expect([name, f.formatVersion]).toEqual([name, fileVersion(f)]);
    }
  });
});
