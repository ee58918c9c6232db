import type { Model } from './types';

/** A short, harmless text both models must score; any language the models know would do. */
const PROBE = { text: 'Thanks for the clear report on the council meeting.' };

/**
 * True when both models answer a probe with a probability. /readyz asks this on every call, so a model that learning
 * has broken (a NaN in its counts, a table that fails to answer) takes the instance out of rotation instead of
 * answering comments with nonsense. The probe is one short text per model, cheaper than any comment.
 */
export function modelsAnswer(models: { spam?: Model; toxicity?: Model }): boolean {
  return [models.spam, models.toxicity].every((m) => {
    if (!m) return false;
    try {
      const { score } = m.score(PROBE);
      return Number.isFinite(score) && score >= 0 && score <= 1;
    } catch {
      return false;
    }
  });
}
