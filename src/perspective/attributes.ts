import type { Model, ScoringModels } from '../classifier';
import { MODEL_LANGUAGES } from '../classifier/language/supported';
import { LANGUAGE_MODEL_HEADS } from '../classifier/language/toxicity-models';

/**
 * Perspective's production attributes, each answered by the toxicity model's head of the same meaning (Jigsaw's
 * label names), and SPAM by the spam model. A head the loaded model does not have makes its attribute unsupported,
 * so a model that gains a head (severe_toxic) gains the attribute with no change here.
 */
const TOXICITY_HEADS: Record<string, readonly string[]> = {
  // The main head is the calibrated toxicity score the rest of Vigil decides on; `toxic` is the same label's head.
  TOXICITY: ['score', 'toxic'],
  SEVERE_TOXICITY: ['severe_toxic'],
  IDENTITY_ATTACK: ['identity_hate'],
  INSULT: ['insult'],
  PROFANITY: ['obscene'],
  THREAT: ['threat'],
};

/**
 * Attribute names Perspective has published (production and experimental) that Vigil has no model for: requesting
 * one is "unsupported" (dropped with dropUnsupportedAttributes), while a name Perspective never had is a plain 400.
 */
const PERSPECTIVE_ONLY = new Set([
  'SEXUALLY_EXPLICIT', 'FLIRTATION', 'ATTACK_ON_AUTHOR', 'ATTACK_ON_COMMENTER', 'INCOHERENT', 'INFLAMMATORY',
  'LIKELY_TO_REJECT', 'OBSCENE', 'UNSUBSTANTIAL', 'TOXICITY_EXPERIMENTAL', 'SEVERE_TOXICITY_EXPERIMENTAL',
  'IDENTITY_ATTACK_EXPERIMENTAL', 'INSULT_EXPERIMENTAL', 'PROFANITY_EXPERIMENTAL', 'THREAT_EXPERIMENTAL',
  'AFFINITY_EXPERIMENTAL', 'COMPASSION_EXPERIMENTAL', 'CURIOSITY_EXPERIMENTAL', 'NUANCE_EXPERIMENTAL',
  'PERSONAL_STORY_EXPERIMENTAL', 'REASONING_EXPERIMENTAL', 'RESPECT_EXPERIMENTAL',
]);

export interface AttributeSource {
  model: 'spam' | 'toxicity';
  /** The model head the attribute reads; `score` is the model's main score. */
  head: string;
}

export type AttributeLookup =
  | { kind: 'served'; source: AttributeSource; languages: readonly string[] }
  | { kind: 'unsupported' }
  | { kind: 'unknown' };

/** The heads a loaded model scores: its main score and, for the toxicity model, one per label. */
export function headsOf(model: Model): string[] {
  const named = (model as { headNames?: unknown }).headNames;
  return Array.isArray(named) ? (named as string[]) : ['score'];
}

/**
 * Which model head answers an attribute, given the loaded models. A toxicity head's languages are the English
 * model's, plus those with a model of their own when their models have that head (TOXICITY only, so far).
 */
export function lookupAttribute(name: string, models: ScoringModels): AttributeLookup {
  if (name === 'SPAM') return { kind: 'served', source: { model: 'spam', head: 'score' }, languages: MODEL_LANGUAGES.spam };
  // Own keys only: a request may name `__proto__` or `constructor`.
  const wanted = Object.hasOwn(TOXICITY_HEADS, name) ? TOXICITY_HEADS[name] : undefined;
  if (wanted) {
    const heads = headsOf(models.toxicity);
    const head = wanted.find((h) => heads.includes(h));
    if (!head) return { kind: 'unsupported' };
    const own = LANGUAGE_MODEL_HEADS.includes(head) ? (models.languages?.languages ?? []) : [];
    return { kind: 'served', source: { model: 'toxicity', head }, languages: [...MODEL_LANGUAGES.toxicity, ...own] };
  }
  return PERSPECTIVE_ONLY.has(name) ? { kind: 'unsupported' } : { kind: 'unknown' };
}

/** The attributes the loaded models answer, for the docs and /openapi.json. */
export function servedAttributes(models: ScoringModels): string[] {
  return [...Object.keys(TOXICITY_HEADS), 'SPAM'].filter((a) => lookupAttribute(a, models).kind === 'served');
}

/** A probability from one head of a model result. */
export function headValue(result: { score: number; attributes?: Record<string, number> }, head: string): number {
  return head === 'score' ? result.score : (result.attributes?.[head] ?? 0);
}
