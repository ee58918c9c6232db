import type { ModelLang } from '../src/classifier/language-datasets';

/**
 * The non-English toxicity sets of ../shared/datasets by language, relative to that folder. `train` sets have a licence
 * to train a shipped model on (their SOURCE.md); `evalOnly` sets are scored, never trained on.
 */
export const LANGUAGE_FILES: Record<ModelLang | 'it', { train: string[]; evalOnly: string[] }> = {
  // GermEval 2018: CC BY 4.0. GermEval 2021: no licence stated.
  de: { train: ['de-germeval2018/germeval2018.training.txt'], evalOnly: ['de-germeval2021/GermEval21_TrainData.csv'] },
  // ToLD-Br: CC BY-SA 4.0. OffComBR: no licence stated.
  pt: {
    train: ['pt-told-br/ptbr_train_1annotator.csv', 'pt-told-br/ptbr_validation_1annotator.csv'],
    evalOnly: ['pt-offcombr/OffComBR2_train80.arff', 'pt-offcombr/OffComBR3_train80.arff'],
  },
  // OffendES: Apache-2.0 on the first author's dataset card (docs/decisions/0035-language-models-and-their-data.md).
  es: { train: ['es-offendes/training_set.tsv', 'es-offendes/dev_set.tsv'], evalOnly: [] },
  // MLMA: MIT.
  fr: { train: ['fr-mlma/fr_dataset_train80.csv'], evalOnly: [] },
  // HaSpeeDe: CC BY-NC-SA 4.0, evaluation only; Italian has no model and is scored by the English one.
  it: { train: [], evalOnly: ['it-haspeede2018-fb/haspeede_FB-train_train80.tsv', 'it-haspeede2018-tw/haspeede_TW-train.tsv'] },
};
