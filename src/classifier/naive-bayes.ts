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
  for (let i = 0; i < v.length; i++) arr[v.ids[i]] += weight;
  for (const m of d.meta) arr[m] += weight;
  c.docs[label] += weight;
  c.total[label] += (v.length + d.meta.length) * weight;
}

/**
 * Per-bucket log-likelihood ratio log P(f|pos) - log P(f|neg), Lidstone-smoothed with `alpha` over the
 * buckets seen in training. Buckets never seen get 0: an unknown word says nothing either way, and a
 * non-zero constant would make the score depend on comment length.
 */
export function logRatios(c: NbCounts, alpha: number): Float32Array {
  const r = new Float32Array(c.size);
  let vocab = 0;
  for (let f = 0; f < c.size; f++) if (c.neg[f] + c.pos[f] > 0) vocab++;
  const d1 = Math.log(c.total[1] + alpha * vocab);
  const d0 = Math.log(c.total[0] + alpha * vocab);
  for (let f = 0; f < c.size; f++) {
    const n0 = c.neg[f];
    const n1 = c.pos[f];
    if (n0 + n1 > 0) r[f] = Math.log(n1 + alpha) - d1 - (Math.log(n0 + alpha) - d0);
  }
  return r;
}

/** Number of calibration inputs: one sum per feature group plus log(1 + feature count). */
export const N_INPUTS = GROUPS.length + 1;

/** Fills `out` with the per-group sums of log-ratios for `d`, and the length term last. */
export function groupSums(r: Float32Array, d: Doc, out: Float64Array): Float64Array {
  out.fill(0);
  const v = d.v;
  for (let i = 0; i < v.length; i++) out[v.groups[i]] += r[v.ids[i]];
  for (const m of d.meta) out[G_META] += r[m];
  out[GROUPS.length] = Math.log1p(v.length);
  return out;
}

/** A head ready to score: per-bucket log-ratios and its calibration. */
export interface RuntimeHead {
  name: string;
  r: Float32Array;
  cal: Calibration;
}
