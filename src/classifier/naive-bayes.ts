import type { Doc } from './doc';
import { GROUPS, groupOf, type Layout } from './features';

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
export function addDocument(c: NbCounts, d: Doc, label: 0 | 1, weight = 1, meta = true): void {
  const arr = label ? c.pos : c.neg;
  const { ids, length } = d.v;
  for (let i = 0; i < length; i++) arr[ids[i]] += weight;
  if (meta) for (const m of d.meta) arr[m] += weight;
  c.docs[label] += weight;
  c.total[label] += (length + (meta ? d.meta.length : 0)) * weight;
}

/** Number of buckets with any count: the vocabulary size used for smoothing. */
export function vocabulary(c: NbCounts): number {
  let v = 0;
  for (let f = 0; f < c.size; f++) if (c.neg[f] + c.pos[f] > 0) v++;
  return v;
}

/**
 * Document-frequency edges of the confidence classes. A log-ratio estimated from three documents is
 * much noisier than one from three hundred; giving each class its own calibration weight lets the
 * calibration learn how far to trust each. Chosen per model by measurement (see MODEL_CARD.md).
 */
export type ConfidenceEdges = number[];

/** Smoothing constants shared by training and loading, so both compute the same log-ratios. */
export interface Smoothing {
  alpha: number;
  vocab: number;
  total: [number, number];
  edges: ConfidenceEdges;
}

/**
 * Log-likelihood ratio log P(f|pos) - log P(f|neg) of a bucket with counts n0, n1, Lidstone-smoothed
 * over the vocabulary, and its calibration class (confidence class * 2 + 1 if the ratio is negative).
 */
export function ratio(n0: number, n1: number, s: Smoothing): { r: number; cls: number } {
  const r = Math.log(n1 + s.alpha) - Math.log(s.total[1] + s.alpha * s.vocab) - Math.log(n0 + s.alpha) + Math.log(s.total[0] + s.alpha * s.vocab);
  const n = n0 + n1;
  let k = 0;
  while (k < s.edges.length && n >= s.edges[k]) k++;
  return { r, cls: k * 2 + (r < 0 ? 1 : 0) };
}

/** Dense log-ratio table used while training. Buckets never seen get 0: an unknown word says nothing. */
export interface NbTable {
  r: Float32Array;
  cls: Uint8Array;
}

export function buildTable(c: NbCounts, alpha: number, edges: ConfidenceEdges): NbTable {
  const s: Smoothing = { alpha, vocab: vocabulary(c), total: c.total, edges };
  const r = new Float32Array(c.size);
  const cls = new Uint8Array(c.size);
  for (let f = 0; f < c.size; f++) {
    if (c.neg[f] + c.pos[f] <= 0) continue;
    const x = ratio(c.neg[f], c.pos[f], s);
    r[f] = x.r;
    cls[f] = x.cls;
  }
  return { r, cls };
}

/**
 * Number of calibration inputs: per feature group and confidence class, the sum of the positive and
 * of the negative log-ratios (evidence for and against is trusted differently), then log(1 + feature count).
 */
export function inputCount(edges: ConfidenceEdges): number {
  return GROUPS.length * 2 * (edges.length + 1) + 1;
}

/** Calibration input that a feature of group `g` in bucket class `cls` adds to. */
export function inputOf(g: number, cls: number, edges: ConfidenceEdges): number {
  return g * 2 * (edges.length + 1) + cls;
}

/** The calibration inputs for `d` (see inputCount). */
export function groupSums(t: NbTable, d: Doc, l: Layout, edges: ConfidenceEdges): Float64Array {
  const out = new Float64Array(inputCount(edges));
  const { r, cls } = t;
  const { ids, length } = d.v;
  for (let i = 0; i < length; i++) {
    const f = ids[i];
    out[inputOf(groupOf(f, l), cls[f], edges)] += r[f];
  }
  for (const f of d.meta) out[inputOf(groupOf(f, l), cls[f], edges)] += r[f];
  out[out.length - 1] = Math.log1p(length);
  return out;
}
