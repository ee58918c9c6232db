import path from 'node:path';
import { readModelFile } from './model-file';
import { modelOf } from './style-gate';
import type { Model } from './types';
import { LanguageModels } from './language/toxicity-models';

export type { Explanation, Model, ModelResult, ScoreInput, SpamMeta } from './types';
export { NaiveBayesModel } from './model';
export { StyleGatedModel } from './style-gate';
export { FORMAT, FORMAT_VERSION } from './model-file';
export { LanguageModels, toxicityModelFor, type ScoringModels } from './language/toxicity-models';

/** Loads one model file; throws an Error naming the file for a missing file, bad JSON or a wrong format version. */
export function loadModelFile(file: string): Model {
  const data = readModelFile(file);
  try {
    return modelOf(data);
  } catch (e) {
    throw new Error(`model file ${file} is damaged: ${(e as Error).message}`);
  }
}

const DEFAULT_DIR = path.resolve(__dirname, '../../models');

/** Path of a shipped model file. @defaultValue dir: `<repo>/models` */
export function bundledModelPath(name: 'spam' | 'toxicity', dir: string = DEFAULT_DIR): string {
  return path.join(dir, `${name}.json`);
}

/**
 * Loads the shipped spam and toxicity models; the per-language toxicity models (toxicity-<lang>.json) are only
 * listed, and each is read on the first comment in its language.
 * @param dir - directory holding spam.json and toxicity.json
 * @defaultValue dir: `<repo>/models`, resolved from this file so it works from src/ and from dist/
 */
export function loadBundledModels(dir: string = DEFAULT_DIR): { spam: Model; toxicity: Model; languages: LanguageModels } {
  const spam = loadModelFile(path.join(dir, 'spam.json'));
  const toxicity = loadModelFile(path.join(dir, 'toxicity.json'));
  if (spam.task !== 'spam') throw new Error(`${path.join(dir, 'spam.json')} is a ${spam.task} model, expected spam`);
  if (toxicity.task !== 'toxicity') throw new Error(`${path.join(dir, 'toxicity.json')} is a ${toxicity.task} model, expected toxicity`);
  return { spam, toxicity, languages: new LanguageModels(dir) };
}
