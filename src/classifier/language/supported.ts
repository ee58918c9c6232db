/**
 * The languages each shipped model was trained on (ISO 639-1), the list that the Perspective-compatible API checks
 * `languages` against. A model trained on a new language adds its code here (models/MODEL_CARD.md lists the data per
 * language); languages with a toxicity model of their own (toxicity-models.ts) are added for the heads it has.
 */
export const MODEL_LANGUAGES: Record<'spam' | 'toxicity', readonly string[]> = {
  // Jigsaw and OLID (English), OSACT 2020 and L-HSAB (Arabic), ParsOffensive (Persian).
  toxicity: ['en', 'ar', 'fa'],
  // YouTube comments and SMS messages, both English.
  spam: ['en'],
};

/** A BCP 47 tag or ISO 639-1 code (`de`, `pt-BR`, `pt_BR`): bounded repeats only, linear on any input. */
export const LANGUAGE_TAG = /^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8}){0,4}$/;

/**
 * `en-US` -> `en`, `FA` -> `fa`: Perspective clients send BCP 47 tags or ISO 639-1 codes; the primary subtag is what
 * the models are keyed on. Returns undefined for anything that is not a language tag.
 */
export function primaryLanguage(tag: string): string | undefined {
  const m = LANGUAGE_TAG.exec(tag.trim());
  return m ? m[1].toLowerCase() : undefined;
}
