import fs from 'node:fs';
import path from 'node:path';

/**
 * Language detection for the Perspective-compatible API, with eld's extra-small n-gram tables: of eld, franc-min and
 * tinyld it was the most accurate on short comments and the fastest (docs/decisions/0012-language-detection.md has the
 * figures and the command). Loaded on first use, since its tables take tens of MB and most callers (Coral) declare
 * the language.
 */
interface Eld {
  detect(text: string): { language: string; getScores(): Record<string, number> };
}

/** The language of a comment shows in its first characters; reading no more bounds the cost on long texts. */
const MAX_CHARS = 1000;

let eld: Eld | undefined;

/**
 * eld ships ES modules only, behind an exports map with no `require` condition; Node (>= 20.19) can require() an ES
 * module by its file path, which keeps the service CommonJS.
 */
function load(): Eld {
  if (eld) return eld;
  for (const dir of require.resolve.paths('eld') ?? []) {
    const file = path.join(dir, 'eld', 'src', 'entries', 'static.extrasmall.js');
    if (fs.existsSync(file)) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      eld = (require(file) as { eld: Eld }).eld;
      return eld;
    }
  }
  throw new Error('the eld package is not installed');
}

/** Loads the detector's tables now rather than on the first request. */
export function warmLanguageDetector(): void {
  load();
}

/** Runners-up scoring within this share of the best language are reported too (Arabic and Persian often are). */
const CLOSE = 0.97;

/**
 * The likely languages of a text (ISO 639-1), most likely first, at most three; empty when the text carries no
 * language signal (too short, only digits or emoji).
 */
export function detectLanguages(text: string): string[] {
  const r = load().detect(text.slice(0, MAX_CHARS));
  if (!r.language) return [];
  const scores = r.getScores();
  const best = scores[r.language] ?? 0;
  const close = Object.entries(scores)
    .filter(([l, s]) => l !== r.language && s >= best * CLOSE)
    .sort((a, b) => b[1] - a[1])
    .map(([l]) => l);
  return [r.language, ...close].slice(0, 3);
}

/**
 * Scoring reads no more of a comment to pick its toxicity model: a short prefix is nearly as accurate on comments
 * (docs/decisions/0036-toxicity-model-by-language.md) and keeps detection a small share of a comment's CPU time.
 */
const SCORING_CHARS = 200;

/**
 * The most likely language of a comment (ISO 639-1), from its first characters, or undefined when it carries no
 * language signal. The cheap form of detectLanguages for scoring, which needs only the top language.
 */
export function detectLanguage(text: string): string | undefined {
  return load().detect(text.slice(0, SCORING_CHARS)).language || undefined;
}
