import { isAscii } from 'node:buffer';
import { readFileSync } from 'node:fs';
import type { FeatureOptions } from './features';
import type { Calibration } from './calibration';
import type { HeadCross } from './cross-stack';
import type { SpanRule } from './types';
import { vocabulary, type NbCounts } from './naive-bayes';
import { decodeVarints, encodeVarints } from './varint';

/** The newest version: bumped whenever the file layout or the meaning of features changes; loaders refuse other versions. A file is written with the lowest version its fields need (`fileVersion`). */
export const FORMAT = 'vigil-naive-bayes';
export const FORMAT_VERSION = 10;
/**
 * Versions this build reads. Version 6 added optional fields (threat cues in `features.threat`, `stack`,
 * `attributeThresholds`, `spanFloor`); version 7 more (identity cues in `features.identity`, a head's `gate`, span
 * words in `spanRule.words`); version 8 a gate's `adjust` and `main` and the spam model's style gate
 * (`STYLE_FORMAT_VERSION`); version 9 a head's `cross` stack; version 10 the spam model's link head (a head named
 * `link`, link-head.ts) and cross-stack cues on the comment's length (cross-stack.ts WORD_CUES). A file of an earlier version has none of them and scores
 * as before. An older build must not read a newer file: it would ignore the new fields and mis-score silently.
 */
export const READABLE_VERSIONS = [5, 6, 7, 8, 9, 10];

/**
 * Version of a file with a style gate (`ModelFile.style`, the spam model): its experts are ordinary files of
 * FORMAT_VERSION. A build that reads only up to 7 refuses it instead of scoring with the news expert alone.
 */
export const STYLE_FORMAT_VERSION = 8;

/** One binary Naive Bayes head: the main score or one toxicity attribute. Counts are sparse and delta-encoded. */
export interface HeadFile {
  docs: [number, number];
  total: [number, number];
  alpha: number;
  /** Buckets seen in training before pruning; smoothing uses it so loaded ratios equal the trained ones. */
  vocab: number;
  /** Number of stored buckets. */
  entries: number;
  /** Sorted bucket ids, each the difference from the previous one, as base64 varints (varint.ts). */
  index: string;
  /** Per stored bucket, document counts of the negative and positive class times `scale`, as base64 varints. */
  neg: string;
  pos: string;
  /** Counts are stored multiplied by this, so weighted (fractional) counts stay integers. */
  scale: number;
  /**
   * Learned weight of each stored bucket's log-ratio (nb-weights.ts), as base64 zigzag varints of
   * `round((weight - 1) * WEIGHT_SCALE)`; absent: every weight is 1 (plain Naive Bayes). Buckets
   * that are not stored (e.g. first seen in moderator feedback) weigh 1.
   */
  weights?: string;
  calibration: Calibration;
  /**
   * Weight of the main score's calibrated log-odds in this head's log-odds (stacking, train.ts `stackHeads`);
   * absent: 0. Attribute heads only.
   */
  stack?: number;
  /**
   * Re-calibration by a cue of the comment (train.ts `gatedHeads`): the head's log-odds z becomes
   * `with[0] + with[1] * z` when the comment has metadata feature `cue`, else `without[0] + without[1] * z`.
   * Absent: none. Attribute heads only.
   */
  gate?: HeadGate;
  /**
   * Cross stack (cross-stack.ts, train.ts `crossHeads`): the head's final log-odds is a logistic regression over every
   * head's log-odds (after `stack` and `gate`) and a few cues of the comment. Absent: none. Attribute heads only.
   */
  cross?: HeadCross;
}

/** See HeadFile.gate. */
export interface HeadGate {
  cue: string;
  with: [number, number];
  without: [number, number];
  /**
   * Log-odds added after the gate for each of these cues the comment has (train.ts `gateAdjust`): the context a
   * head's words cannot see, such as a violent word in a report. Fitted with `with` and `without` in one
   * logistic fit. Absent: none (format 8).
   */
  adjust?: Array<[string, number]>;
  /**
   * Extra weight of the main score's log-odds, with and without the cue (train.ts `gateMain`): a threat in everyday
   * words has a low toxicity score, which the head's stacking counts against it. Absent: none (format 8).
   */
  main?: [number, number];
}

export interface ModelFile {
  format: typeof FORMAT;
  formatVersion: number;
  name: string;
  task: 'spam' | 'toxicity';
  version: number;
  features: FeatureOptions;
  /** Document-frequency edges of the calibration's confidence classes (see naive-bayes.ts). */
  confidenceEdges: number[];
  /** Whether metadata features (links, author, fill time...) are used. */
  meta: boolean;
  /** Fixed log-odds for metadata features absent from the training data (see meta.ts). */
  metaPriors?: Record<string, number>;
  thresholds: { review: number; reject: number };
  /** Default review / reject thresholds of attribute heads that have their own (threat); absent in older files. */
  attributeThresholds?: Record<string, { review: number; reject: number }>;
  /**
   * Which explanation tokens a person would mark (highlights, Perspective spanScores), chosen on SemEval-2021
   * Toxic Spans training data. Absent in older files: DEFAULT_SPAN_RULE (explain.ts) applies.
   */
  spanRule?: SpanRule;
  heads: Record<string, HeadFile>;
  /** The one language a per-language model was trained for (ISO 639-1); absent in the English (multilingual) files. */
  language?: string;
  /** Free-form training provenance and measurements; not read when scoring. */
  training?: Record<string, unknown>;
  /** Absent but in the spam model: a second expert and the gate that mixes it with this file's heads (style-gate.ts). */
  style?: StyleGateFile;
}

/**
 * The spam model's style gate (docs/decisions/0085-spam-style-gate.md): the file's own heads are the news expert,
 * `short` the short-message expert (YouTube comments and SMS), and `gate` a one-head model of "written like a news or
 * forum comment" trained on the words only (links taken out). A comment the gate gives a probability of at least 0.5
 * is scored by the news expert, any other by the short expert, whose log-odds z become `map[0] * z + map[1]`: that puts its own review and
 * reject thresholds onto the file's.
 */
export interface StyleGateFile {
  gate: ModelFile;
  short: ModelFile;
  map: [number, number];
}

/**
 * The oldest version a file is written with: every shipped file was written at 7 or later, and versions 5 and 6 were
 * not checked to featurise links as this build does (the spam model's link features came between them).
 */
export const WRITE_FLOOR_VERSION = 7;

/**
 * The version a written file carries: the lowest one whose reader understands every field the file has, so that a
 * file that uses nothing newer than version 7 still says 7 and a build that reads 7 can load it (retraining the spam
 * model with an unchanged recipe writes the same bytes as the shipped file). Newer fields raise it: a style gate or
 * a gate's `adjust` / `main` to 8, a head's `cross` to 9, a link head, a length cue or a cue that multiplies more than the main score to 10.
 */
export function fileVersion(f: Omit<ModelFile, 'formatVersion'>): number {
  let v = WRITE_FLOOR_VERSION;
  const heads = Object.values(f.heads);
  if (f.style || heads.some((h) => h.gate?.adjust || h.gate?.main)) v = Math.max(v, STYLE_FORMAT_VERSION);
  if (heads.some((h) => h.cross)) v = Math.max(v, 9);
  // A version 9 reader would show the link head as a spam attribute and read a length cue as an absent feature.
  if (f.heads.link || heads.some((h) => Object.entries(h.cross?.cues ?? {}).some(([c, t]) => c.startsWith('words') || t.length > 2))) v = Math.max(v, 10);
  return v;
}

/** Smallest power of ten (up to 1000) that makes every count an integer. */
function scaleFor(counts: ArrayLike<number>): number {
  for (const scale of [1, 10, 100, 1000]) {
    let ok = true;
    for (let i = 0; i < counts.length && ok; i++) {
      const a = counts[i] * scale;
      ok = Math.abs(a - Math.round(a)) < 1e-6;
    }
    if (ok) return scale;
  }
  return 1000;
}

type EncodedCounts = Pick<HeadFile, 'entries' | 'index' | 'neg' | 'pos' | 'scale' | 'weights'>;

/** Learned bucket weights are stored in steps of 1 / WEIGHT_SCALE. */
export const WEIGHT_SCALE = 1000;

/** Zigzag mapping of a signed integer to a non-negative one (0, -1, 1, -2... to 0, 1, 2, 3...). */
export const zigzag = (n: number): number => (n < 0 ? -2 * n - 1 : 2 * n);
export const unzigzag = (u: number): number => (u % 2 ? -(u + 1) / 2 : u / 2);

/** Encodes learned bucket weights (aligned with the stored buckets) as model-file `weights`. */
export function encodeWeights(weights: ArrayLike<number>): string {
  const out = new Array<number>(weights.length);
  for (let i = 0; i < weights.length; i++) out[i] = zigzag(Math.round((weights[i] - 1) * WEIGHT_SCALE));
  return encodeVarints(out);
}

/** Decodes a head's learned weights (aligned with its stored buckets), or undefined for plain NB. */
export function decodeWeights(h: HeadFile): Float64Array | undefined {
  if (h.weights === undefined) return undefined;
  const w = decodeVarints(h.weights, h.entries);
  for (let i = 0; i < w.length; i++) w[i] = 1 + unzigzag(w[i]) / WEIGHT_SCALE;
  return w;
}

/**
 * Encodes sparse counts given as sorted bucket ids with their negative and positive counts, and
 * optionally each bucket's learned weight.
 */
export function encodeSparse(buckets: number[], neg: number[], pos: number[], weights?: number[]): EncodedCounts {
  const scale = Math.max(scaleFor(neg), scaleFor(pos));
  const index = buckets.map((f, i) => (i === 0 ? f : f - buckets[i - 1]));
  return {
    entries: buckets.length, index: encodeVarints(index), scale,
    neg: encodeVarints(neg.map((x) => Math.round(x * scale))), pos: encodeVarints(pos.map((x) => Math.round(x * scale))),
    ...(weights ? { weights: encodeWeights(weights) } : {}),
  };
}

/** Sparse-encodes counts, dropping buckets seen fewer than `minCount` times in total (pruning keeps files small). */
export function encodeCounts(c: NbCounts, minCount: number, weights?: ArrayLike<number>): EncodedCounts & Pick<HeadFile, 'docs' | 'total' | 'vocab'> {
  const buckets: number[] = [];
  const neg: number[] = [];
  const pos: number[] = [];
  const w: number[] = [];
  for (let f = 0; f < c.size; f++) {
    if (c.neg[f] + c.pos[f] < Math.max(minCount, 1e-9)) continue;
    buckets.push(f);
    neg.push(c.neg[f]);
    pos.push(c.pos[f]);
    if (weights) w.push(weights[f]);
  }
  return { ...encodeSparse(buckets, neg, pos, weights ? w : undefined), docs: [...c.docs], total: [...c.total], vocab: vocabulary(c) };
}

/** Decoded sparse counts of one head (counts already divided by the scale). */
export interface SparseCounts {
  index: Float64Array;
  neg: Float64Array;
  pos: Float64Array;
}

/** Decodes a head's counts; `index` holds absolute bucket ids (the deltas are summed). */
export function decodeCounts(h: HeadFile): SparseCounts {
  const index = decodeVarints(h.index, h.entries);
  for (let i = 1; i < h.entries; i++) index[i] += index[i - 1];
  const neg = decodeVarints(h.neg, h.entries);
  const pos = decodeVarints(h.pos, h.entries);
  if (h.scale !== 1) {
    for (let i = 0; i < h.entries; i++) {
      neg[i] /= h.scale;
      pos[i] /= h.scale;
    }
  }
  return { index, neg, pos };
}

/** Reads and checks a model file; every failure names the file and what is wrong with it. */
export function readModelFile(path: string): ModelFile {
  let raw: string;
  try {
    const buf = readFileSync(path);
    // Model files are ASCII (base64 counts), and decoding them as Latin-1 is a plain copy, much
    // cheaper than UTF-8 validation; anything else is still read as UTF-8.
    raw = buf.toString(isAscii(buf) ? 'latin1' : 'utf8');
  } catch (e) {
    throw new Error(`cannot read model file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let data: ModelFile;
  try {
    data = JSON.parse(raw) as ModelFile;
  } catch (e) {
    throw new Error(`model file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (!data || typeof data !== 'object' || data.format !== FORMAT) {
    throw new Error(`model file ${path} is not a ${FORMAT} model (format field is ${JSON.stringify(data?.format)})`);
  }
  checkModelFile(data, path);
  return data;
}

/** Throws an Error naming `path` when `data` is not a model file this build reads (its style gate's experts included). */
export function checkModelFile(data: ModelFile, path: string): void {
  if (!READABLE_VERSIONS.includes(data.formatVersion)) {
    throw new Error(`model file ${path} has format version ${data.formatVersion}; this build reads versions ${READABLE_VERSIONS.join(' and ')}`);
  }
  if (!Array.isArray(data.confidenceEdges)) throw new Error(`model file ${path} has no confidenceEdges`);
  if (data.task !== 'spam' && data.task !== 'toxicity') throw new Error(`model file ${path} has unknown task ${data.task}`);
  if (!data.heads?.score) throw new Error(`model file ${path} has no "score" head`);
  for (const [name, h] of Object.entries(data.heads)) {
    if (typeof h.index !== 'string' || typeof h.neg !== 'string' || typeof h.pos !== 'string' || !(h.entries >= 0) || !(h.scale > 0) || (h.weights !== undefined && typeof h.weights !== 'string')) {
      throw new Error(`model file ${path}: head "${name}" has no valid counts`);
    }
  }
  const st = data.style;
  if (st === undefined) return;
  if (data.formatVersion < STYLE_FORMAT_VERSION) throw new Error(`model file ${path} has a style gate but format version ${data.formatVersion}`);
  if (!st || typeof st !== 'object' || !Array.isArray(st.map) || st.map.length !== 2 || !st.map.every(Number.isFinite)) {
    throw new Error(`model file ${path} has no valid style gate`);
  }
  for (const part of ['gate', 'short'] as const) {
    const f = st[part];
    if (!f || typeof f !== 'object' || f.format !== FORMAT || f.style !== undefined) throw new Error(`model file ${path}: style gate has no valid "${part}" model`);
    checkModelFile(f, `${path} (style.${part})`);
    if (JSON.stringify(f.features) !== JSON.stringify(data.features)) throw new Error(`model file ${path}: style.${part} has other features than the file`);
  }
}
