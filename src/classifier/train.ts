import { fitCalibration, refitBias, sigmoid, applyCalibration, type Calibration } from './calibration';
import { ATTRIBUTES, type LabeledDoc } from './datasets';
import { featurize, layoutFor, type Doc } from './doc';
import { DEFAULT_FEATURES, type FeatureOptions } from './features';
import { META_PRIORS } from './meta';
import { FORMAT, FORMAT_VERSION, encodeCounts, type HeadFile, type ModelFile } from './model-file';
import { addDocument, buildTable, emptyCounts, groupSums, type NbTable } from './naive-bayes';
import { chooseThresholds } from './metrics';
import { mulberry32, shuffle } from './random';
import { learnBucketWeights, weighTable, type BucketWeightOptions } from './nb-weights';

/** Training settings; every default is what the shipped models were trained with. */
export interface TrainOptions {
  task: 'spam' | 'toxicity';
  name: string;
  /** Seed for fold assignment. @defaultValue 1 */
  seed?: number;
  /** Lidstone smoothing. @defaultValue spam 0.5, toxicity 1 (measured) */
  alpha?: number;
  /** Folds for out-of-fold calibration. @defaultValue 5 */
  folds?: number;
  /** Buckets seen in fewer documents are dropped from the file. @defaultValue 2 */
  minCount?: number;
  features?: FeatureOptions;
  /** Model version written to the file. @defaultValue 1 */
  version?: number;
  /**
   * Weight of each source's documents, by file name (e.g. `{"SMSSpamCollection": 0.3}`); a source that
   * is further from web comments can then inform the model without dominating it. @defaultValue all 1
   */
  sourceWeights?: Record<string, number>;
  /**
   * Confidence classes for calibration (see naive-bayes.ts). Measured: they help spam (small data, many
   * rare features) and hurt toxicity. @defaultValue spam [4, 30], toxicity []
   */
  confidenceEdges?: number[];
  /**
   * Precision the default reject threshold must reach on out-of-fold natural data. Toxicity labels
   * are noisier (annotators disagree), so 0.97 is out of reach there. @defaultValue spam 0.99, toxicity 0.85
   */
  rejectPrecision?: number;
  /**
   * Learned per-bucket weights for the main head (nb-weights.ts); null trains plain NB. Chosen on
   * training data only (bench/classifier-select.ts, see MODEL_CARD.md).
   * @defaultValue spam `{ l2: 1, rate: 1 }`, toxicity `{ l2: 0.1, rate: 2 }`
   */
  bucketWeights?: BucketWeightOptions | null;
  /**
   * Calibration weights kept >= 0, so more evidence for spam never lowers the score (moderator feedback that
   * labels a comment spam must not make similar comments look cleaner). Needed once spam trained on news comments:
   * unconstrained, some classes came out negative. @defaultValue spam true, toxicity false
   */
  nonNegativeCalibration?: boolean;
}

interface HeadSpec {
  name: string;
  label: (d: LabeledDoc) => 0 | 1 | undefined;
}

function headsFor(task: 'spam' | 'toxicity', docs: LabeledDoc[]): HeadSpec[] {
  const heads: HeadSpec[] = [{ name: 'score', label: (d) => d.label }];
  if (task === 'toxicity') {
    for (const a of ATTRIBUTES) {
      if (docs.some((d) => d.attrs?.[a])) heads.push({ name: a, label: (d) => d.attrs?.[a] });
    }
  }
  return heads;
}

/**
 * Trains one head: out-of-fold group sums fit the calibration (so it is measured on documents the
 * counts never saw), then the counts are rebuilt from all documents for the shipped file.
 */
function trainHead(spec: HeadSpec, docs: LabeledDoc[], feats: Doc[], fold: number[], o: Required<TrainOptions>) {
  const idx = docs.map((_, i) => i).filter((i) => spec.label(docs[i]) !== undefined);
  const w = docs.map((d) => o.sourceWeights[d.source] ?? 1);
  const layout = layoutFor(o.features);
  const size = layout.size;
  const oof: Float64Array[] = new Array(docs.length);
  const weighted = spec.name === 'score' && !!o.bucketWeights;
  const label = (i: number): 0 | 1 => spec.label(docs[i])!;
  // The NB table of the documents outside folds `a` and `b`.
  const tableWithout = (a: number, b = -1): NbTable => {
    const c = emptyCounts(size);
    for (const i of idx) if (fold[i] !== a && fold[i] !== b) addDocument(c, feats[i], label(i), w[i]);
    return buildTable(c, o.alpha, o.confidenceEdges);
  };
  // Learned weights on the documents outside fold `k` (all with k = -1), each seen through the table without its own fold.
  const weightsWithout = (k: number, tables: NbTable[]): Float32Array => {
    const tr = idx.filter((i) => fold[i] !== k);
    return learnBucketWeights(tables, tr.map((i) => fold[i]), feats, tr, tr.map(label), tr.map((i) => w[i]), layout, o.confidenceEdges, o.bucketWeights!, o.seed + k + 1);
  };
  const outer: NbTable[] = [];
  for (let k = 0; k < o.folds; k++) {
    let r = tableWithout(k);
    outer.push(r);
    if (weighted) {
      // Nested: the weights used for fold k's out-of-fold sums never saw fold k.
      const inner = Array.from({ length: o.folds }, (_, j) => (j === k ? r : tableWithout(k, j)));
      r = weighTable(r, weightsWithout(k, inner));
    }
    for (const i of idx) if (fold[i] === k) oof[i] = groupSums(r, feats[i], layout, o.confidenceEdges);
  }
  const xs = idx.map((i) => oof[i]);
  const ys = idx.map((i) => spec.label(docs[i])!);
  let cal: Calibration = fitCalibration(xs, ys, idx.map((i) => w[i]), undefined, o.nonNegativeCalibration);
  // Enriched sources help the slopes but would inflate the prior: the bias is re-fit on natural sources only.
  const nat = idx.filter((i) => docs[i].natural);
  if (nat.length && nat.length < idx.length) cal = refitBias(cal, nat.map((i) => oof[i]), nat.map((i) => spec.label(docs[i])!));
  const all = emptyCounts(size);
  for (const i of idx) addDocument(all, feats[i], spec.label(docs[i])!, w[i]);
  const weights = weighted ? weightsWithout(-1, outer) : undefined;
  const head: HeadFile = { ...encodeCounts(all, o.minCount, weights), alpha: o.alpha, calibration: cal };
  const natProbs = nat.map((i) => sigmoid(applyCalibration(cal, oof[i])));
  const natLabels = nat.map((i) => spec.label(docs[i])!);
  return { head, oof: { probs: natProbs, labels: natLabels, weights: nat.map((i) => w[i]) } };
}

/** Trains a model file from labelled documents; deterministic for a given seed and input order. */
export function trainModel(docs: LabeledDoc[], opts: TrainOptions): ModelFile {
  const o: Required<TrainOptions> = {
    seed: 1, alpha: opts.task === 'toxicity' ? 1 : 0.5, folds: 5, minCount: opts.task === 'toxicity' ? 3 : 2, features: DEFAULT_FEATURES, version: 1, sourceWeights: {},
    confidenceEdges: opts.task === 'spam' ? [4, 30] : [],
    rejectPrecision: opts.task === 'spam' ? 0.99 : 0.85,
    bucketWeights: opts.task === 'spam' ? { l2: 1, rate: 1 } : { l2: 0.1, rate: 2 },
    nonNegativeCalibration: opts.task === 'spam', ...opts,
  };
  const wrong = docs.find((d) => d.task !== o.task);
  if (wrong) throw new Error(`${wrong.source} is ${wrong.task} data, not ${o.task}`);
  if (!docs.length) throw new Error('no training documents');
  const useMeta = o.task === 'spam';
  const feats = docs.map((d) => featurize(d.input, o.features, useMeta));
  const rng = mulberry32(o.seed);
  const order = shuffle(docs.map((_, i) => i), rng);
  const fold = new Array<number>(docs.length);
  order.forEach((i, k) => (fold[i] = k % o.folds));
  const heads: Record<string, HeadFile> = {};
  let thresholds = { review: 0.5, reject: 0.9 };
  let oofMetrics: Record<string, unknown> = {};
  for (const spec of headsFor(o.task, docs)) {
    const { head, oof } = trainHead(spec, docs, feats, fold, o);
    heads[spec.name] = head;
    if (spec.name === 'score') {
      const t = chooseThresholds(oof.probs, oof.labels, o.rejectPrecision, oof.weights);
      thresholds = { review: t.review, reject: t.reject };
      oofMetrics = t;
    }
  }
  const sources: Record<string, number> = {};
  for (const d of docs) sources[d.source] = (sources[d.source] ?? 0) + 1;
  return {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    name: o.name,
    task: o.task,
    version: o.version,
    features: o.features,
    confidenceEdges: o.confidenceEdges,
    meta: useMeta,
    ...(useMeta ? { metaPriors: META_PRIORS } : {}),
    thresholds,
    heads,
    training: {
      seed: o.seed, alpha: o.alpha, folds: o.folds, minCount: o.minCount, sourceWeights: o.sourceWeights, ...(o.bucketWeights ? { bucketWeights: o.bucketWeights } : {}),
      sources, outOfFold: oofMetrics,
    },
  };
}
