/** The toxicity data sets of ../shared/datasets, by the names the quality benches use, relative to that folder. */
export const TOXICITY_FILES: Record<string, string> = {
  jigsaw: 'jigsaw/train5k_shared_80pct.csv',
  'jigsaw-pools': 'jigsaw/train_pools_extra.csv',
  olid: 'olid/olid-training-v1.0.tsv',
  osact: 'arabic-osact2020/OSACT2020-sharedTask-train.txt',
  lhsab: 'arabic-lhsab/L-HSAB.tsv',
  parsoffensive: 'persian-parsoffensive/ParsOffensive.xlsx',
  // Evaluation only: never trained on (see models/MODEL_CARD.md).
  davidson: 'davidson-hate-offensive/labeled_data.csv',
};
