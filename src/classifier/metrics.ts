/** Binary classification metrics at one threshold. */
export interface BinaryMetrics {
  threshold: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  macroF1: number;
  fpr: number;
  confusion: { tp: number; fp: number; tn: number; fn: number };
}

const div = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** Metrics at `threshold`; optional per-document weights count a document `w` times. */
export function metricsAt(probs: number[], labels: number[], threshold: number, weights?: number[]): BinaryMetrics {
  let tp = 0, fp = 0, tn = 0, fn = 0;
  for (let i = 0; i < probs.length; i++) {
    const pred = probs[i] >= threshold;
    const w = weights ? weights[i] : 1;
    if (labels[i] && pred) tp += w;
    else if (labels[i]) fn += w;
    else if (pred) fp += w;
    else tn += w;
  }
  const precision = div(tp, tp + fp);
  const recall = div(tp, tp + fn);
  const f1 = div(2 * precision * recall, precision + recall);
  const p0 = div(tn, tn + fn);
  const r0 = div(tn, tn + fp);
  const f10 = div(2 * p0 * r0, p0 + r0);
  return {
    threshold, accuracy: div(tp + tn, tp + tn + fp + fn), precision, recall, f1, macroF1: (f1 + f10) / 2,
    fpr: div(fp, fp + tn), confusion: { tp, fp, tn, fn },
  };
}

/** ROC-AUC by the rank-sum (Mann–Whitney) formula, with ties counted as half. */
export function rocAuc(probs: number[], labels: number[]): number {
  const idx = probs.map((_, i) => i).sort((a, b) => probs[a] - probs[b]);
  let rankSumPos = 0;
  let nPos = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && probs[idx[j + 1]] === probs[idx[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (!labels[idx[k]]) continue;
      rankSumPos += rank;
      nPos++;
    }
    i = j + 1;
  }
  const nNeg = probs.length - nPos;
  return div(rankSumPos - (nPos * (nPos + 1)) / 2, nPos * nNeg);
}

const GRID = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);

/**
 * Picks default thresholds from measured precision/recall: `review` maximises F1 (or `reviewBy`; the best trade-off
 * for sending to a human), `reject` is the lowest threshold whose precision reaches `rejectPrecision`,
 * so an automatic rejection is wrong at most that rarely on the calibration data. Documents count
 * with their source weight, so a down-weighted source (SMS for comment spam) does not set thresholds.
 */
export function chooseThresholds(probs: number[], labels: number[], rejectPrecision = 0.97, weights?: number[], reviewBy: 'f1' | 'macroF1' = 'f1') {
  let best = metricsAt(probs, labels, 0.5, weights);
  for (const t of GRID) {
    const m = metricsAt(probs, labels, t, weights);
    if (m[reviewBy] > best[reviewBy]) best = m;
  }
  let reject = 0.99;
  for (const t of GRID) {
    const m = metricsAt(probs, labels, t, weights);
    if (t > best.threshold && m.precision >= rejectPrecision && m.confusion.tp > 0) {
      reject = t;
      break;
    }
  }
  if (reject <= best.threshold) reject = Math.min(0.99, best.threshold + 0.1);
  return { review: best.threshold, reject, atReview: best, atReject: metricsAt(probs, labels, reject, weights), auc: rocAuc(probs, labels) };
}

/**
 * The best macro-F1 over thresholds 0.05-0.98 and where it is reached. An oracle (the threshold is picked on the
 * data it is measured on), so it says how well scores rank a set, not what a shipped threshold achieves there.
 */
export function bestMacroF1(probs: number[], labels: number[]): { macroF1: number; threshold: number } {
  let best = { macroF1: 0, threshold: 0 };
  for (let t = 0.05; t < 0.99; t += 0.01) {
    const x = metricsAt(probs, labels, t).macroF1;
    if (x > best.macroF1) best = { macroF1: x, threshold: t };
  }
  return best;
}

/** A table of metrics at several thresholds, for the eval command. */
export function thresholdTable(probs: number[], labels: number[], ts = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95]): BinaryMetrics[] {
  return ts.map((t) => metricsAt(probs, labels, t));
}
