import { fitCalibration, sigmoid } from './calibration';
import type { Doc } from './doc';
import { groupOf, type Layout } from './features';
import { WEIGHT_SCALE } from './model-file';
import { groupSums, inputOf, type ConfidenceEdges, type NbTable } from './naive-bayes';
import { mulberry32, shuffle } from './random';

/**
 * Settings of the learned per-bucket weights (feature-weighted Naive Bayes, as in WANBIA and NB-LR):
 * the score stays a sum over a comment's buckets of `v[f] * r[f]` (r the NB log-ratio), and `v[f]` is
 * fitted by a logistic regression on the training comments, pulled towards 1 (plain NB).
 */
export interface BucketWeightOptions {
  /** L2 strength pulling each weight towards 1; larger keeps the model closer to plain NB. */
  l2: number;
  /** Passes over the training comments. @defaultValue 4 */
  epochs?: number;
  /** Step size of each update, as a fraction of the comment's log-odds error. @defaultValue 0.5 */
  rate?: number;
  /** Weights are clamped to [0, max], so a bucket never argues against its own NB evidence. @defaultValue 4 */
  max?: number;
}

/**
 * Learns one weight per bucket on the documents `idx` (labels `ys`, sample weights `sw`, aligned with
 * `idx`). Document n is seen through `tables[tableOf[n]]`: the NB table of counts that exclude its fold,
 * so the weights learn how far each bucket's ratio holds on comments it was not counted from (on its
 * own counts NB is nearly always right, and there is nothing to learn). Deterministic for a given seed
 * and input. Buckets that no document touches keep weight 1.
 *
 * The ratios are first scaled by a calibration fitted on the same out-of-fold sums (per group and sign,
 * as the shipped calibration), so that the regularisation towards 1 acts on comparable units; each update
 * is normalised by the comment's squared feature norm (normalised least mean squares), because a
 * comment has hundreds of strongly correlated buckets.
 */
export function learnBucketWeights(
  tables: NbTable[], tableOf: number[], feats: Doc[], idx: number[], ys: (0 | 1)[], sw: number[], l: Layout, edges: ConfidenceEdges, o: BucketWeightOptions, seed: number,
): Float32Array {
  const epochs = o.epochs ?? 4;
  const rate = o.rate ?? 0.5;
  const max = o.max ?? 4;
  const size = tables[0].r.length;
  const xs = idx.map((i, n) => groupSums(tables[tableOf[n]], feats[i], l, edges));
  const cal = fitCalibration(xs, ys, sw);
  const lenW = cal.weights[cal.weights.length - 1];
  // Per document, its buckets and their ratios in calibrated units; per bucket, how many documents
  // (with multiplicity) it occurs in.
  const df = new Float64Array(size);
  const offset = new Float64Array(idx.length);
  const norm = new Float64Array(idx.length);
  const ids: Int32Array[] = [];
  const vals: Float64Array[] = [];
  idx.forEach((i, n) => {
    const d = feats[i];
    const t = tables[tableOf[n]];
    const m = d.v.length + d.meta.length;
    const all = new Int32Array(m);
    const x = new Float64Array(m);
    for (let k = 0; k < d.v.length; k++) all[k] = d.v.ids[k];
    for (let k = 0; k < d.meta.length; k++) all[d.v.length + k] = d.meta[k];
    let s = 1;
    for (let k = 0; k < m; k++) {
      const f = all[k];
      x[k] = cal.weights[inputOf(groupOf(f, l), t.cls[f], edges)] * t.r[f];
      s += x[k] * x[k];
      df[f] += 1;
    }
    ids.push(all);
    vals.push(x);
    offset[n] = cal.bias + lenW * xs[n][xs[n].length - 1];
    norm[n] = s;
  });
  const v = new Float64Array(size).fill(1);
  let b = 0;
  const rng = mulberry32(seed);
  const order = idx.map((_, n) => n);
  for (let e = 0; e < epochs; e++) {
    shuffle(order, rng);
    const eta = rate / (1 + e);
    for (const n of order) {
      const f = ids[n];
      const x = vals[n];
      let z = offset[n] + b;
      for (let k = 0; k < f.length; k++) z += v[f[k]] * x[k];
      const g = (sigmoid(z) - ys[n]) * sw[n];
      const step = eta / norm[n];
      b -= step * g;
      for (let k = 0; k < f.length; k++) {
        const j = f[k];
        // The penalty is split over the documents a bucket occurs in, so one pass applies it once.
        let w = v[j] - step * (g * x[k] + (o.l2 / df[j]) * (v[j] - 1));
        if (w < 0) w = 0;
        else if (w > max) w = max;
        v[j] = w;
      }
    }
  }
  // Rounded to what the model file stores, so the calibration fitted next sees the shipped weights.
  const out = new Float32Array(size);
  for (let f = 0; f < size; f++) out[f] = Math.round(v[f] * WEIGHT_SCALE) / WEIGHT_SCALE;
  return out;
}

/** Multiplies the table's ratios by the learned weights; the calibration classes stay those of the plain ratios. */
export function weighTable(t: NbTable, v: Float32Array): NbTable {
  const r = new Float32Array(t.r.length);
  for (let f = 0; f < r.length; f++) r[f] = t.r[f] * v[f];
  return { r, cls: t.cls };
}
