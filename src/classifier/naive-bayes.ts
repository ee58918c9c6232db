import type { Calibration } from './calibration';
import type { Doc } from './doc';
import { GROUPS, G_META } from './features';

/**
 * Binarised multinomial Naive Bayes counts over a hashed feature space: for each bucket, in how many
 * documents of each class it occurs. Counts (not probabilities) are kept so moderator feedback can add to them.
 */
export interface NbCounts {
  size: number;
  docs: [number, number];
  total: [number, number];
  neg: Float64Array;
  pos: Float64Array;
}

export function emptyCounts(size: number): NbCounts {
  return { size, docs: [0, 0], total: [0, 0], neg: new Float64Array(size), pos: new Float64Array(size) };
}

/** Adds (weight > 0) or removes (weight < 0) one document's features to class `label`. */
export function addDocument(c: NbCounts, d: Doc, label: 0 | 1, weight = 1): void {
  const arr = label ? c.pos : c.neg;
  const v = d.v;
  let total = d.meta.length;
  for (let i = 0; i < v.length; i++) {
    arr[v.ids[i]] += weight * v.weights[i];
    total += v.weights[i];
  }
  for (const m of d.meta) arr[m] += weight;
  c.docs[label] += weight;
  c.total[label] += total * weight;
}

/** Log-ratio table of one head: per bucket, its log-ratio and its calibration class. */
export interface NbTable {
  r: Float32Array;
  /** Per bucket: confidence class * 2 + (1 if the log-ratio is negative). */
  cls: Uint8Array;
}

/**
 * Document-frequency edges of the confidence classes. A log-ratio estimated from three documents is
 * much noisier than one from three hundred; giving each class its own calibration weight lets the
 * calibration learn how far to trust each (NB alone trusts them all equally).
 */
export const CONFIDENCE_EDGES = [4, 30];
const N_CONF = CONFIDENCE_EDGES.length + 1;

/**
 * Per-bucket log-likelihood ratio log P(f|pos) - log P(f|neg), Lidstone-smoothed with `alpha` over the
 * buckets seen in training. Buckets never seen get 0: an unknown word says nothing either way, and a
 * non-zero constant would make the score depend on comment length.
 */
export function buildTable(c: NbCounts, alpha: number): NbTable {
  const r = new Float32Array(c.size);
  const cls = new Uint8Array(c.size);
  let vocab = 0;
  for (let f = 0; f < c.size; f++) if (c.neg[f] + c.pos[f] > 0) vocab++;
  const d1 = Math.log(c.total[1] + alpha * vocab);
  const d0 = Math.log(c.total[0] + alpha * vocab);
  for (let f = 0; f < c.size; f++) {
    const n0 = c.neg[f];
    const n1 = c.pos[f];
    const n = n0 + n1;
    if (n <= 0) continue;
    const x = Math.log(n1 + alpha) - d1 - (Math.log(n0 + alpha) - d0);
    r[f] = x;
    let k = 0;
    while (k < CONFIDENCE_EDGES.length && n >= CONFIDENCE_EDGES[k]) k++;
    cls[f] = k * 2 + (x < 0 ? 1 : 0);
  }
  return { r, cls };
}

/**
 * Number of calibration inputs: per feature group and confidence class, the sum of the positive and
 * of the negative log-ratios (evidence for and against is trusted differently), then log(1 + feature count).
 */
export const N_INPUTS = GROUPS.length * 2 * N_CONF + 1;

/** Calibration input that a feature of group `g` in bucket class `cls` adds to. */
export function inputOf(g: number, cls: number): number {
  return g * 2 * N_CONF + cls;
}

/** Fills `out` with the calibration inputs for `d` (see N_INPUTS). */
export function groupSums(t: NbTable, d: Doc, out: Float64Array): Float64Array {
  out.fill(0);
  const { r, cls } = t;
  const v = d.v;
  const stride = 2 * N_CONF;
  for (let i = 0; i < v.length; i++) {
    const f = v.ids[i];
    out[v.groups[i] * stride + cls[f]] += r[f] * v.weights[i];
  }
  for (const f of d.meta) out[G_META * stride + cls[f]] += r[f];
  out[N_INPUTS - 1] = Math.log1p(v.length);
  return out;
}

/** A head ready to score: its log-ratio table and its calibration. */
export interface RuntimeHead {
  name: string;
  table: NbTable;
  cal: Calibration;
}
