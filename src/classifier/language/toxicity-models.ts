import fs from 'node:fs';
import path from 'node:path';
import { readModelFile } from '../model-file';
import { NaiveBayesModel } from '../model';
import type { Model } from '../types';
import { detectLanguage } from './detect';
import { looksEnglish } from './english-gate';
import { primaryLanguage } from './supported';

/**
 * Languages that may have a toxicity model of their own, `models/toxicity-<lang>.json` (models/MODEL_CARD.md has one
 * table per language). English, Arabic, Persian and every other language are scored by `models/toxicity.json`.
 */
export const OWN_MODEL_LANGUAGES = ['de', 'pt', 'es', 'fr'] as const;

/**
 * The heads a language's own model scores. They are trained on one binary label per language (offensive or toxic), so
 * only the main score: the attribute heads (insult, threat...) stay English-only.
 */
export const LANGUAGE_MODEL_HEADS: readonly string[] = ['score'];

/**
 * The per-language toxicity models of a models folder, each read on the first comment in its language: a process
 * whose comments are all English reads none, and an English comment never waits for one.
 */
export class LanguageModels {
  private readonly loaded = new Map<string, Model>();
  /** Languages whose file is in the folder, found once at start (a directory listing, no file is read). */
  readonly languages: readonly string[];

  constructor(private readonly dir: string) {
    this.languages = OWN_MODEL_LANGUAGES.filter((l) => fs.existsSync(this.file(l)));
  }

  private file(lang: string): string {
    return path.join(this.dir, `toxicity-${lang}.json`);
  }

  /** The language's own toxicity model, or undefined when it has none (English, unknown languages). */
  get(lang: string): Model | undefined {
    if (!this.languages.includes(lang)) return undefined;
    let m = this.loaded.get(lang);
    if (!m) {
      const data = readModelFile(this.file(lang));
      if (data.task !== 'toxicity') throw new Error(`${this.file(lang)} is a ${data.task} model, expected toxicity`);
      this.loaded.set(lang, (m = new NaiveBayesModel(data)));
    }
    return m;
  }

  /** Reads every language's file now (readiness checks, benchmarks); returns the models by language. */
  loadAll(): Record<string, Model> {
    return Object.fromEntries(this.languages.map((l) => [l, this.get(l)!]));
  }
}

/** The models the service scores with; `languages` is absent where only the English toxicity model is wanted (tests). */
export interface ScoringModels {
  spam: Model;
  toxicity: Model;
  languages?: LanguageModels;
}

/**
 * The toxicity model for a comment and the language it was picked for: the declared language wins (a BCP 47 tag or
 * ISO 639-1 code); without one the language is detected, but only when some language has its own model, so a
 * deployment without them never loads the detector. English and languages without a model of their own get the
 * English model (`language` then says which language was seen, or is undefined when none was).
 */
export function toxicityModelFor(models: ScoringModels, declared: string | undefined, text: string): { model: Model; language?: string } {
  const own = models.languages;
  if (!own || !own.languages.length) return { model: models.toxicity, ...(declared ? { language: primaryLanguage(declared) } : {}) };
  // English-looking text skips the detector (english-gate.ts): it would pick the English model anyway.
  const language = declared ? primaryLanguage(declared) : looksEnglish(text) ? 'en' : detectLanguage(text);
  return { model: (language && own.get(language)) || models.toxicity, ...(language ? { language } : {}) };
}
