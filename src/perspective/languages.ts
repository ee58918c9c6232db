import { detectLanguages } from '../classifier/language/detect';
import { primaryLanguage } from '../classifier/language/supported';
import { invalid } from './google-error';

export interface Languages {
  /** The languages the answer is computed for: the declared ones, else the detected one. */
  effective: string[];
  detected: string[];
  /** As the caller sent them, for suggestscore's requestedLanguages. */
  requested: string[];
}

/**
 * A declared language wins, as in Perspective; without one the detected language is used, and a text with no
 * language signal at all ("ok", an emoji) is read as English, the language most of the training data is in.
 */
export function languagesOf(text: string, declared: string[] | undefined): Languages {
  const detected = detectLanguages(text);
  const requested = declared ?? [];
  const codes: string[] = [];
  for (const tag of requested) {
    const code = primaryLanguage(tag);
    if (!code) throw invalid(`Unable to parse language code: "${tag.slice(0, 35)}".`);
    if (!codes.includes(code)) codes.push(code);
  }
  return { effective: codes.length ? codes : [detected[0] ?? 'en'], detected, requested };
}

/**
 * Null when the attribute's model was trained on every effective language, else Google's message: as in Perspective,
 * a text declared to mix languages is refused unless all of them are supported.
 */
export function languageRefusal(attribute: string, supported: readonly string[], langs: Languages): string | null {
  const missing = langs.effective.filter((l) => !supported.includes(l));
  if (!missing.length) return null;
  return `Attribute ${attribute} does not support request languages: ${missing.join(', ')}.`;
}
