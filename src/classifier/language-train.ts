import type { LabeledDoc } from './datasets';
import { DEFAULT_FEATURES, type FeatureOptions } from './features';
import type { ModelLang } from './language-datasets';
import { metricsAt, rocAuc } from './metrics';
import type { ModelFile } from './model-file';
import { trainModel, type TrainOptions } from './train';
import type { Model } from './types';

/**
 * How each language's toxicity model turns text into features (offline: `vigil train --language`). The English
 * threat cues are left out (their lexicon is English). A stemmer is on where it helped on a validation part of the
 * training data (bench/language-eval.ts prints the ablation; models/MODEL_CARD.md has the figures).
 */
export const LANGUAGE_FEATURES: Record<ModelLang, FeatureOptions> = {
  de: { ...DEFAULT_FEATURES },
  pt: { ...DEFAULT_FEATURES },
  es: { ...DEFAULT_FEATURES },
  fr: { ...DEFAULT_FEATURES },
};

/**
 * Training options per language beyond the features, chosen the same way (validation parts of the training part, three
 * seeds; bench/language-eval.ts --ablations prints them). Confidence classes (naive-bayes.ts) let the calibration trust
 * a word seen twice less than one seen fifty times: English toxicity lost with them; Spanish and French gain. German
 * loses. Portuguese gained 0.004 on its validation parts but nothing on ToLD-Br's held-out part and lost 0.019 on the
 * OffComBR news comments, so it keeps none (models/MODEL_CARD.md "Languages").
 */
export const LANGUAGE_OPTIONS: Record<ModelLang, Partial<TrainOptions>> = {
  de: {},
  pt: {},
  es: { confidenceEdges: [2, 10, 50] },
  fr: { confidenceEdges: [2, 10, 50] },
};

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** What a model scores on one held-out set: ranking, and the shipped review threshold's confusion figures. */
export interface HeldOutFigures {
  n: number;
  positive: number;
  auc: number;
  threshold: number;
  macroF1: number;
  f1: number;
  precision: number;
  recall: number;
  fpr: number;
}

/** The held-out figures of `model` on `docs` at its review threshold (rounded to 3 places, as the model card quotes them). */
export function heldOutFigures(model: Model, docs: LabeledDoc[]): HeldOutFigures {
  const p = docs.map((d) => model.score(d.input).score);
  const y = docs.map((d) => d.label as number);
  const t = model.thresholds.review;
  const m = metricsAt(p, y, t);
  return {
    n: docs.length, positive: y.filter(Boolean).length, auc: round3(rocAuc(p, y)), threshold: t,
    macroF1: round3(m.macroF1), f1: round3(m.f1), precision: round3(m.precision), recall: round3(m.recall), fpr: round3(m.fpr),
  };
}

/**
 * Trains a language's toxicity model: its feature recipe and options, and the review threshold that maximises macro-F1 out of
 * fold (trainModel's default, the best F1 of the toxic class, flags every comment on a set where most are toxic).
 * `vigil train --language` and bench/language-eval.ts both train through here, so they give the same file.
 */
export function trainLanguageModel(lang: ModelLang, docs: LabeledDoc[], opts: Partial<TrainOptions> = {}): ModelFile {
  const wrong = docs.find((d) => d.lang !== lang);
  if (wrong) throw new Error(`${wrong.source} is not ${lang} data`);
  const file = trainModel(docs, { task: 'toxicity', name: `toxicity-${lang}`, features: LANGUAGE_FEATURES[lang], reviewBy: 'macroF1', ...LANGUAGE_OPTIONS[lang], ...opts });
  return { ...file, language: lang };
}
