/**
 * Snowball (Porter) stemmers for the languages that may have a toxicity model of their own, from natural. Each file is
 * required by its deep path, never the package's main entry, which would load database clients and print dotenv notices
 * (docs/decisions/0010-natural-is-a-benchmark-baseline.md); a language's stemmer loads on its first word, so a
 * process that scores only English loads none.
 */
export const STEM_LANGS = ['de', 'pt', 'es', 'fr'] as const;
export type StemLang = (typeof STEM_LANGS)[number];

interface Stemmer {
  stem(word: string): string;
}

// Literal paths, so a bundler or a reader sees exactly which files of natural the service uses.
const LOADERS: Record<StemLang, () => Stemmer> = {
  /* eslint-disable @typescript-eslint/no-require-imports */
  de: () => require('natural/lib/natural/stemmers/porter_stemmer_de') as Stemmer,
  pt: () => require('natural/lib/natural/stemmers/porter_stemmer_pt') as Stemmer,
  es: () => require('natural/lib/natural/stemmers/porter_stemmer_es') as Stemmer,
  fr: () => require('natural/lib/natural/stemmers/porter_stemmer_fr') as Stemmer,
  /* eslint-enable @typescript-eslint/no-require-imports */
};

const loaded: Partial<Record<StemLang, Stemmer>> = {};

/**
 * natural is a development dependency: no shipped model stems (docs/decisions/0037-no-stemmer-for-language-models.md).
 * A model file that asks for a stemmer in a production install fails here, saying why.
 */
function load(lang: StemLang): Stemmer {
  try {
    return LOADERS[lang]();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw e;
    throw new Error(`this model stems ${lang} words, but natural is not installed (it is a development dependency: docs/decisions/0037-no-stemmer-for-language-models.md)`);
  }
}

/** Whether `lang` names a stemmer this module has. */
export function isStemLang(lang: unknown): lang is StemLang {
  return typeof lang === 'string' && (STEM_LANGS as readonly string[]).includes(lang);
}

/**
 * Longest word handed to a stemmer: the Snowball rules are suffix rewrites, linear in the word, but natural's code
 * runs a few regexes per call, and a comment can be one 10,000-letter "word". Longer words are used as they are.
 */
const MAX_WORD = 40;

/** The stem of a normalised (lower-case) word in `lang`; the word itself when it is too long to be a real one. */
export function stem(lang: StemLang, word: string): string {
  if (word.length > MAX_WORD) return word;
  const s = (loaded[lang] ??= load(lang));
  const out = s.stem(word);
  return typeof out === 'string' && out.length ? out : word;
}
