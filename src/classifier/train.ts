import { fitCalibration, refitBias, sigmoid, applyCalibration, type Calibration } from './calibration';
import { ATTRIBUTES, type LabeledDoc } from './datasets';
import { featurize, layoutFor, type Doc } from './doc';
import { DEFAULT_FEATURES, type FeatureOptions } from './features';
import { META_PRIORS } from './meta';
import { FORMAT, decodeCounts, fileVersion, encodeCounts, type HeadFile, type HeadGate, type ModelFile } from './model-file';
import { addDocument, buildTable, emptyCounts, groupSums, vocabulary, type NbTable } from './naive-bayes';
import { chooseThresholds, metricsAt, rocAuc } from './metrics';
import { crossLogit, fitCross, hasCue } from './cross-stack';
import { mulberry32, shuffle } from './random';
import { learnBucketWeights, weighTable, type BucketWeightOptions } from './nb-weights';
import { LINK_HEAD, linkView, wordView } from './link-head';

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
   * Attribute heads that also get learned bucket weights (the main score always does when `bucketWeights`
   * is set). Measured on inner splits of the training data (MODEL_CARD.md): every attribute head ranks better with
   * them. @defaultValue toxicity: every attribute head, spam []
   */
  weightedHeads?: string[];
  /**
   * Attribute heads stack on the main score: its log-odds is one more calibration input (HeadFile.stack), so
   * an attribute head only has to tell its attribute apart among toxic comments. @defaultValue true
   */
  stackHeads?: boolean;
  /** Attribute heads store only the first attribute head's buckets (one shared bucket list). @defaultValue true */
  sharedAttributeBuckets?: boolean;
  /**
   * Calibration weights kept >= 0, so more evidence for spam never lowers the score (moderator feedback that
   * labels a comment spam must not make similar comments look cleaner). Needed once spam trained on news comments:
   * unconstrained, some classes came out negative. @defaultValue spam true, toxicity false
   */
  nonNegativeCalibration?: boolean;
  /**
   * What the review threshold maximises out of fold: the toxic (spam) class's F1, or macro-F1, which per-language
   * models use because on a set where most comments are toxic the best toxic-class F1 is to flag them all.
   * @defaultValue 'f1'
   */
  reviewBy?: 'f1' | 'macroF1';
  /**
   * Documents of these sources (by file name) weigh at most `features / (their bucket count)` on top of their source
   * weight, so a long comment adds no more word mass to its class than a short one: long news and forum comments
   * would otherwise outweigh the short comments of the other sources in every word's ratio. @defaultValue none
   */
  massCap?: { features: number; sources: string[] };
  /**
   * Attribute heads that learn from attribute-only sources (`LabeledDoc.attrsOnly`: civil-comments-toxicspans, whose
   * posts were all rated toxic before sampling). Measured on inner splits of the training data (MODEL_CARD.md): their
   * identity-attack shares help the identity_hate head, their insult shares hurt the insult head on Jigsaw.
   * @defaultValue ['threat', 'identity_hate']
   */
  attrsOnlyHeads?: string[];
  /**
   * Attribute heads re-calibrated by a cue of the comment (HeadFile.gate): head name -> metadata feature. The threat
   * head's words say "violence" whether or not the comment threatens anyone; with the gate, its log-odds are
   * re-scaled separately for comments with and without a threat structure (thr:strong).
   * @defaultValue toxicity `{ threat: 'thr:strong' }`, spam {}
   */
  gatedHeads?: Record<string, string>;
  /**
   * Attribute heads whose final log-odds is a cross stack (cross-stack.ts, HeadFile.cross) over every head's
   * out-of-fold log-odds and the `crossCues`. Chosen on inner splits of the training data (MODEL_CARD.md).
   * @defaultValue toxicity ['severe_toxic', 'insult', 'identity_hate'], spam []
   */
  crossHeads?: string[];
  /** Cues (metadata feature names) the cross stacks read, alone and times the main score. @defaultValue the identity cues */
  crossCues?: string[];
  /**
   * Smoothing of named heads where it differs from `alpha` (HeadFile.alpha is per head). Chosen on inner splits of the
   * training data (MODEL_CARD.md): identity attacks hang on rare words (slurs, group names) that less smoothing trusts.
   * @defaultValue toxicity `{ identity_hate: 0.3 }`, spam {}
   */
  headAlpha?: Record<string, number>;
  /**
   * Cues whose presence adds its own log-odds to a gated head (HeadGate.adjust), fitted jointly with the gate: a
   * violent word in a report or about a thing says less than the same word elsewhere, which word counts cannot
   * tell. Chosen on inner splits of the training data (MODEL_CARD.md).
   * @defaultValue toxicity `['thr:report', 'thr:figurative', 'thr:stalk_you']`, spam []
   */
  gateAdjust?: string[];
  /**
   * The gate also re-weighs the main score's log-odds in each part (HeadGate.main), for gated heads that stack on it.
   * Chosen on inner splits of the training data (MODEL_CARD.md). @defaultValue toxicity true, spam false
   */
  gateMain?: boolean;
  /** Share of out-of-fold threats the default threat review threshold must send to review. @defaultValue THREAT_RECALL */
  threatRecall?: number;
  /**
   * The spam model's link head (link-head.ts): a head named `link` that counts only a comment's link evidence
   * (its linked registrable domains, link classes, link count, the author's website field), and a cross stack on the
   * main score (cross-stack.ts) that combines the word head's and the link head's out-of-fold log-odds with `cues`
   * (metadata feature names or WORD_CUES), so the words of a long comment cannot drown what its link says. With
   * `words`, the main head leaves the links to the link head (link-head.ts `wordView`); with `cueTimesLink`, each cue
   * also re-weighs the link head's log-odds (HeadCross.cues), not only the main score's; `l2` is the stack's L2
   * penalty (default 0.1, as the toxicity cross stacks).
   * Measured in MODEL_CARD.md ("Link head"). @defaultValue none
   */
  linkHead?: { cues: string[]; words?: boolean; cueTimesLink?: boolean; l2?: number } | null;
  /**
   * Metadata features (links, author fields, hand-set priors). Off for the spam model's style gate
   * (style-train.ts), which tells comments apart by their words. @defaultValue spam true, toxicity false
   */
  meta?: boolean;
}

/** Every option with its default filled in (`massCap` stays optional: none is the default). */
type Settings = Required<Omit<TrainOptions, 'massCap' | 'linkHead'>> & Pick<TrainOptions, 'massCap' | 'linkHead'>;

interface HeadSpec {
  name: string;
  label: (d: LabeledDoc) => 0 | 1 | undefined;
}

function headsFor(task: 'spam' | 'toxicity', docs: LabeledDoc[], attrsOnlyHeads: string[], linkHead = false): HeadSpec[] {
  const heads: HeadSpec[] = [{ name: 'score', label: (d) => (d.attrsOnly ? undefined : d.label) }];
  if (linkHead) heads.push({ name: LINK_HEAD, label: (d) => (d.attrsOnly ? undefined : d.label) });
  if (task === 'toxicity') {
    for (const a of ATTRIBUTES) {
      const label = (d: LabeledDoc): 0 | 1 | undefined => (d.attrsOnly && !attrsOnlyHeads.includes(a) ? undefined : d.attrs?.[a]);
      if (docs.some((d) => label(d))) heads.push({ name: a, label });
    }
  }
  return heads;
}

/**
 * Trains one head: out-of-fold group sums fit the calibration (so it is measured on documents the
 * counts never saw), then the counts are rebuilt from all documents for the shipped file.
 */
function trainHead(spec: HeadSpec, docs: LabeledDoc[], feats: Doc[], fold: number[], o: Settings, main?: number[], keep?: Set<number>) {
  const idx = docs.map((_, i) => i).filter((i) => spec.label(docs[i]) !== undefined);
  const w = docs.map((d, i) => (o.sourceWeights[d.source] ?? 1) * massFactor(feats[i], d.source, o.massCap));
  const layout = layoutFor(o.features);
  const size = layout.size;
  const oof: Float64Array[] = new Array(docs.length);
  // Threat cues inform the attribute heads only: in the main score they moved the English figures at the
  // review threshold (Jigsaw F1 0.762 -> 0.739 on the held-out part) without changing its ranking.
  const withCues = spec.name !== 'score' || !o.features.threat;
  const weighted = (spec.name === 'score' || o.weightedHeads.includes(spec.name)) && !!o.bucketWeights;
  const label = (i: number): 0 | 1 => spec.label(docs[i])!;
  const alpha = o.headAlpha[spec.name] ?? o.alpha;
  // The NB table of the documents outside folds `a` and `b`.
  const tableWithout = (a: number, b = -1): NbTable => {
    const c = emptyCounts(size);
    for (const i of idx) if (fold[i] !== a && fold[i] !== b) addDocument(c, feats[i], label(i), w[i], withCues);
    return buildTable(c, alpha, o.confidenceEdges);
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
    // The main score's out-of-fold sums are wanted for every document, labelled for it or not: the
    // attribute heads stack on them; cross-stacked heads (`crossHeads`) read every head's, so all heads compute them.
    const rows = spec.name === 'score' || o.crossHeads.length ? docs.map((_, i) => i) : idx;
    for (const i of rows) if (fold[i] === k) oof[i] = groupSums(r, feats[i], layout, o.confidenceEdges);
  }
  // The link head reads links only: its length term (the last input) would read the words' count, so it is left out.
  if (spec.name === LINK_HEAD) for (const x of oof) if (x) x[x.length - 1] = 0;
  // Stacked heads get the main score's out-of-fold log-odds as one more calibration input (HeadFile.stack).
  const withMain = (i: number): Float64Array => {
    if (!main) return oof[i];
    const x = new Float64Array(oof[i].length + 1);
    x.set(oof[i]);
    x[oof[i].length] = main[i];
    return x;
  };
  const xs = idx.map(withMain);
  const ys = idx.map((i) => spec.label(docs[i])!);
  let cal: Calibration = fitCalibration(xs, ys, idx.map((i) => w[i]), undefined, o.nonNegativeCalibration);
  // Enriched sources help the slopes but would inflate the prior: the bias is re-fit on natural sources only.
  const nat = idx.filter((i) => docs[i].natural);
  if (nat.length && nat.length < idx.length) cal = refitBias(cal, nat.map(withMain), nat.map((i) => spec.label(docs[i])!));
  const z0 = (i: number): number => applyCalibration(cal, withMain(i));
  // The gate is fitted on the out-of-fold log-odds of each part (with / without the cue), one logistic fit each.
  const cue = o.gatedHeads[spec.name];
  let gate: HeadGate | undefined;
  if (cue && (o.gateAdjust.length || (o.gateMain && main))) gate = fitGate(cue, o.gateAdjust, idx, feats, z0, label, w, o.gateMain && main ? main : undefined);
  else if (cue) {
    const fitPart = (has: boolean): [number, number] => {
      const part = idx.filter((i) => feats[i].metaNames.includes(cue) === has);
      if (!part.some((i) => label(i)) || part.every((i) => label(i))) return [0, 1];
      const c = fitCalibration(part.map((i) => [z0(i)]), part.map(label), part.map((i) => w[i]));
      return [Math.round(c.bias * 1e4) / 1e4, Math.round(c.weights[0] * 1e4) / 1e4];
    };
    gate = { cue, with: fitPart(true), without: fitPart(false) };
  }
  const z = (i: number): number => {
    if (!gate) return z0(i);
    const names = feats[i].metaNames;
    const [a, s] = names.includes(gate.cue) ? gate.with : gate.without;
    let zi = a + s * z0(i);
    if (gate.main && main) zi += gate.main[names.includes(gate.cue) ? 0 : 1] * main[i];
    if (gate.adjust) for (const [c, v] of gate.adjust) if (names.includes(c)) zi += v;
    return zi;
  };
  const counts = emptyCounts(size);
  for (const i of idx) addDocument(counts, feats[i], spec.label(docs[i])!, w[i], withCues);
  const weights = weighted ? weightsWithout(-1, outer) : undefined;
  const stack = main ? cal.weights[cal.weights.length - 1] : undefined;
  const calibration = main ? { bias: cal.bias, weights: cal.weights.slice(0, -1) } : cal;
  // Smoothing keeps the vocabulary the head was trained with, so the stored ratios are the trained ones.
  const vocab = vocabulary(counts);
  if (keep) for (let f = 0; f < counts.size; f++) if (!keep.has(f)) counts.neg[f] = counts.pos[f] = 0;
  const head: HeadFile = { ...encodeCounts(counts, o.minCount, weights), vocab, alpha, calibration, ...(stack !== undefined ? { stack } : {}), ...(gate ? { gate } : {}) };
  const natProbs = nat.map((i) => sigmoid(z(i)));
  const natLabels = nat.map((i) => spec.label(docs[i])!);
  const all = { probs: idx.map((i) => sigmoid(z(i))), labels: ys, index: idx };
  // Main score head: its out-of-fold log-odds for every document, for the stacked heads.
  const mainZ = spec.name === 'score' ? docs.map((_, i) => applyCalibration(cal, oof[i])) : undefined;
  // Every document's out-of-fold log-odds, for the cross stacks (cross-stack.ts).
  const zAll = o.crossHeads.length ? docs.map((_, i) => z(i)) : undefined;
  return { head, oof: { probs: natProbs, labels: natLabels, weights: nat.map((i) => w[i]) }, all, mainZ, zAll, w };
}

/**
 * Fits the cross stacks of `o.crossHeads` (cross-stack.ts) on every head's out-of-fold log-odds and stores them in
 * `heads`; returns, per crossed head, its out-of-fold ROC-AUC before and after (the stack's own few weights are fitted
 * on the same documents, so "after" is slightly optimistic).
 */
function crossStacks(specs: HeadSpec[], docs: LabeledDoc[], feats: Doc[], zAll: Record<string, number[]>, sw: number[], o: Settings, heads: Record<string, HeadFile>): Record<string, { before: number; after: number; logits?: number[] }> {
  const names = specs.map((s) => s.name).filter((n) => zAll[n]);
  const out: Record<string, { before: number; after: number; logits?: number[] }> = {};
  for (const spec of specs) {
    if (!o.crossHeads.includes(spec.name) || !zAll[spec.name]) continue;
    const idx = docs.map((_, i) => i).filter((i) => spec.label(docs[i]) !== undefined);
    const ys = idx.map((i) => spec.label(docs[i])!);
    const zs = idx.map((i) => names.map((n) => zAll[n][i]));
    const has = idx.map((i) => (c: string) => hasCue(c, feats[i].metaNames, feats[i].text.words.length));
    const natural = idx.map((i, k) => (docs[i].natural ? k : -1)).filter((k) => k >= 0);
    const times = spec.name === 'score' && o.linkHead?.cueTimesLink ? names.length : 1;
    const l2 = spec.name === 'score' ? (o.linkHead?.l2 ?? 0.1) : 0.1;
    const c = fitCross(names, o.crossCues, zs, has, ys, idx.map((i) => sw[i]), natural, l2, o.nonNegativeCalibration, times);
    heads[spec.name].cross = c;
    const after = zs.map((z, k) => crossLogit(c, names, z, has[k]));
    out[spec.name] = { before: round3(rocAuc(idx.map((i) => zAll[spec.name][i]), ys)), after: round3(rocAuc(after, ys)) };
    if (spec.name === 'score') {
      const logits = new Array<number>(docs.length).fill(0);
      idx.forEach((i, k) => (logits[i] = after[k]));
      out[spec.name].logits = logits;
    }
  }
  return out;
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/**
 * The gate with adjustments (TrainOptions.gateAdjust) as one logistic fit over the out-of-fold log-odds: inputs z0
 * with the cue, z0 without it, the cue itself and each adjusting cue, so each part keeps its own slope and bias as
 * in the plain gate, and the adjustments are shared by both parts.
 */
function fitGate(cue: string, adjust: string[], idx: number[], feats: Doc[], z0: (i: number) => number, label: (i: number) => 0 | 1, w: number[], main?: number[]): HeadGate {
  const xs = idx.map((i) => {
    const names = feats[i].metaNames;
    const has = names.includes(cue);
    const m = main ? [has ? main[i] : 0, has ? 0 : main[i]] : [];
    return [has ? z0(i) : 0, has ? 0 : z0(i), has ? 1 : 0, ...adjust.map((c) => (names.includes(c) ? 1 : 0)), ...m];
  });
  const c = fitCalibration(xs, idx.map(label), idx.map((i) => w[i]));
  const k = 3 + adjust.length;
  return {
    cue,
    with: [round4(c.bias + c.weights[2]), round4(c.weights[0])],
    without: [round4(c.bias), round4(c.weights[1])],
    ...(adjust.length ? { adjust: adjust.map((a, j): [string, number] => [a, round4(c.weights[3 + j])]) } : {}),
    ...(main ? { main: [round4(c.weights[k]), round4(c.weights[k + 1])] as [number, number] } : {}),
  };
}

/** The weight factor `massCap` gives a document (1 for sources it does not name). */
function massFactor(d: Doc, source: string, cap: TrainOptions['massCap']): number {
  if (!cap || !cap.sources.includes(source)) return 1;
  return Math.min(1, cap.features / Math.max(1, d.v.length + d.meta.length));
}

/** Toxicity features: the defaults plus threat and identity cues (threat-cues.ts). */
export const TOXICITY_FEATURES: FeatureOptions = { ...DEFAULT_FEATURES, threat: true, identity: true };

/**
 * The threat head's own thresholds, from out-of-fold probabilities of every threat-labelled comment. `review` is
 * the highest threshold at which THREAT_RECALL of the threats reach review, counting those the main score
 * already sends there (`byScore`): a missed threat costs a news desk far more than a moderator's look at a harsh
 * comment, and every point lower flags more harsh but harmless comments. `reject` is the lowest threshold
 * reaching 90% precision with at least 3 threats (1 if none does).
 */
export function threatThresholds(probs: number[], labels: number[], byScore?: boolean[], recall = THREAT_RECALL): { review: number; reject: number } {
  const pos = probs.map((p, i) => i).filter((i) => labels[i]);
  if (!pos.length) return { review: 0.5, reject: 0.9 };
  const caught = pos.filter((i) => byScore?.[i]).length;
  const need = Math.ceil(recall * pos.length) - caught;
  const rest = pos.filter((i) => !byScore?.[i]).map((i) => probs[i]).sort((a, b) => b - a);
  const at = need <= 0 ? 1 : rest[Math.min(rest.length - 1, need - 1)];
  const review = Math.max(0.005, Math.floor(at * 1000) / 1000);
  let reject = 1;
  for (let t = 0.99; t > review; t = Math.round((t - 0.01) * 100) / 100) {
    const m = metricsAt(probs, labels, t);
    if (m.confusion.tp >= 3 && m.precision >= 0.9) reject = t;
  }
  return { review, reject: Math.max(reject, review) };
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Share of out-of-fold threats the default threat review threshold must catch. */
export const THREAT_RECALL = 0.8;

/** Trains a model file from labelled documents; deterministic for a given seed and input order. */
export function trainModel(docs: LabeledDoc[], opts: TrainOptions): ModelFile {
  const o: Settings = {
    seed: 1, alpha: opts.task === 'toxicity' ? 1 : 0.5, folds: 5, minCount: opts.task === 'toxicity' ? 3 : 2,
    features: opts.task === 'toxicity' ? TOXICITY_FEATURES : DEFAULT_FEATURES, version: 1, sourceWeights: {},
    confidenceEdges: opts.task === 'spam' ? [4, 30] : [],
    rejectPrecision: opts.task === 'spam' ? 0.99 : 0.85,
    bucketWeights: opts.task === 'spam' ? { l2: 1, rate: 1 } : { l2: 0.1, rate: 2 },
    nonNegativeCalibration: opts.task === 'spam', weightedHeads: opts.task === 'toxicity' ? ['toxic', 'obscene', 'insult', 'threat', 'identity_hate', 'severe_toxic'] : [], stackHeads: true, attrsOnlyHeads: ['threat', 'identity_hate'], gatedHeads: opts.task === 'toxicity' ? { threat: 'thr:strong' } : {}, gateAdjust: opts.task === 'toxicity' ? ['thr:report', 'thr:figurative', 'thr:stalk_you'] : [], gateMain: opts.task === 'toxicity', threatRecall: THREAT_RECALL,
    crossHeads: opts.task === 'toxicity' ? ['severe_toxic', 'insult', 'identity_hate'] : opts.linkHead ? ['score'] : [], crossCues: opts.linkHead ? opts.linkHead.cues : ['id:group', 'id:slur', 'id:general'], headAlpha: opts.task === 'toxicity' ? { identity_hate: 0.3 } : {}, sharedAttributeBuckets: true, reviewBy: 'f1', meta: opts.task === 'spam', ...opts,
  };
  const wrong = docs.find((d) => d.task !== o.task);
  if (wrong) throw new Error(`${wrong.source} is ${wrong.task} data, not ${o.task}`);
  if (!docs.length) throw new Error('no training documents');
  const useMeta = o.meta;
  const feats = docs.map((d) => featurize(d.input, o.features, useMeta));
  const rng = mulberry32(o.seed);
  // Documents for the main score are dealt into folds first, so adding attribute-only sources (civil comments)
  // leaves the main score's folds, and thus its file, exactly as without them.
  const order = shuffle(docs.map((_, i) => i).filter((i) => !docs[i].attrsOnly), rng);
  order.push(...shuffle(docs.map((_, i) => i).filter((i) => docs[i].attrsOnly), rng));
  const fold = new Array<number>(docs.length);
  order.forEach((i, k) => (fold[i] = k % o.folds));
  const heads: Record<string, HeadFile> = {};
  let thresholds = { review: 0.5, reject: 0.9 };
  let oofMetrics: Record<string, unknown> = {};
  const attributeThresholds: Record<string, { review: number; reject: number }> = {};
  let main: number[] | undefined;
  let shared: Set<number> | undefined;
  let threatCurve: unknown;
  const specs = headsFor(o.task, docs, o.attrsOnlyHeads, !!o.linkHead);
  const linkFeats = o.linkHead ? docs.map((d, i) => linkView(d.input, feats[i], o.features)) : undefined;
  const wordFeats = o.linkHead?.words ? docs.map((d, i) => wordView(d.input, feats[i], o.features)) : feats;
  const zAll: Record<string, number[]> = {};
  let sw: number[] = [];
  for (const spec of specs) {
    // Attribute heads after the first store only the first one's buckets: one bucket list for all of them keeps the
    // attribute table (and the load time) as small as with Jigsaw alone, though the threat head saw more comments.
    const keep = spec.name !== 'score' && o.sharedAttributeBuckets ? shared : undefined;
    const isLink = spec.name === LINK_HEAD;
    const { head, oof, all, mainZ, zAll: z, w } = trainHead(spec, docs, isLink ? linkFeats! : spec.name === 'score' ? wordFeats : feats, fold, o, spec.name !== 'score' && o.stackHeads && !isLink ? main : undefined, keep);
    if (spec.name !== 'score' && !shared && o.sharedAttributeBuckets) shared = new Set(decodeCounts(head).index);
    if (mainZ) main = mainZ;
    if (z) zAll[spec.name] = z;
    // The cross stacks weigh documents as the main score does (the link head's own weights read its link view).
    if (spec.name === 'score') sw = w;
    heads[spec.name] = head;
    if (spec.name === 'threat') {
      const byScore = all.index.map((i) => main !== undefined && sigmoid(main[i]) >= thresholds.review);
      attributeThresholds.threat = threatThresholds(all.probs, all.labels, byScore, o.threatRecall);
      // The out-of-fold curve the threshold came from, for the model card.
      threatCurve = [0.005, 0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.15, 0.2, 0.3, 0.5].map((t) => {
        const x = metricsAt(all.probs, all.labels, t);
        return { threshold: t, recall: round3(x.recall), precision: round3(x.precision), fpr: round3(x.fpr) };
      });
    }
    if (spec.name === 'score') {
      const t = chooseThresholds(oof.probs, oof.labels, o.rejectPrecision, oof.weights, o.reviewBy);
      thresholds = { review: t.review, reject: t.reject };
      oofMetrics = t;
    }
  }
  const cross = crossStacks(specs, docs, feats, zAll, sw, o, heads);
  // A cross-stacked main score (the link head's stack) replaces the head's log-odds: its thresholds are chosen again,
  // on the stacked out-of-fold log-odds of the natural documents.
  if (cross.score?.logits) {
    const nat = docs.map((_, i) => i).filter((i) => docs[i].natural && !docs[i].attrsOnly);
    const t = chooseThresholds(nat.map((i) => sigmoid(cross.score.logits![i])), nat.map((i) => docs[i].label), o.rejectPrecision, nat.map((i) => sw[i]), o.reviewBy);
    thresholds = { review: t.review, reject: t.reject };
    oofMetrics = t;
  }
  for (const c of Object.values(cross)) delete c.logits;
  const sources: Record<string, number> = {};
  for (const d of docs) sources[d.source] = (sources[d.source] ?? 0) + 1;
  const file: Omit<ModelFile, 'formatVersion'> = {
    format: FORMAT,
    name: o.name,
    task: o.task,
    version: o.version,
    features: o.features,
    confidenceEdges: o.confidenceEdges,
    meta: useMeta,
    ...(useMeta ? { metaPriors: META_PRIORS } : {}),
    thresholds,
    ...(Object.keys(attributeThresholds).length ? { attributeThresholds } : {}),
    heads,
    training: {
      seed: o.seed, alpha: o.alpha, folds: o.folds, minCount: o.minCount, sourceWeights: o.sourceWeights, ...(o.massCap ? { massCap: o.massCap } : {}), ...(o.bucketWeights ? { bucketWeights: o.bucketWeights } : {}),
      sources, outOfFold: oofMetrics, ...(Object.keys(cross).length ? { crossOutOfFold: cross } : {}), ...(threatCurve ? { threatOutOfFold: threatCurve } : {}),
    },
  };
  // formatVersion second, where the shipped files have it.
  const { format, ...rest } = file;
  return { format, formatVersion: fileVersion(file), ...rest };
}
