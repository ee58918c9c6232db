import { fitCalibration } from './calibration';
import { decodeCounts, encodeSparse, type HeadFile } from './model-file';
import { mulberry32, shuffle } from './random';
import type { Explanation, SpanWords } from './types';

/**
 * Span words: which words annotators mark, learnt from the token-level labels of SemEval-2021 Toxic Spans training
 * posts. The main score credits every word that is more frequent in toxic comments ("people", "government"), where
 * annotators mark the one or two insulting words; a second Naive Bayes over the same word buckets (unigram and char
 * n-grams), counted per word of a post as marked or not, tells those apart. A word is then marked by a small
 * logistic rule over its span evidence and its share of the comment's score, relative to the comment's own
 * strongest word (span-floor.ts).
 */

/** Per word of an explanation: its word buckets (`[hash, unigram, ...char n-grams]`, TextFeatures.words). */
export type WordBuckets = Map<Explanation, Int32Array>;

/**
 * Inputs of the marking rule for one word: unigram evidence, mean char n-gram evidence, contribution, share of the
 * strongest word's contribution, and both evidences less the comment's highest (annotators mark the worst words of a
 * comment, not every word that is somewhat insulting).
 */
export const SPAN_INPUTS = 6;

/** Decoded span-word ratios, built on first use (only explanations need them, so loading the model does not pay). */
const tables = new WeakMap<SpanWords, Map<number, number>>();

function ratios(w: SpanWords): Map<number, number> {
  let t = tables.get(w);
  if (t) return t;
  const c = decodeCounts(w.counts as HeadFile);
  const a = w.alpha;
  const k = Math.log(w.total[0] + a * w.vocab) - Math.log(w.total[1] + a * w.vocab);
  t = new Map();
  for (let i = 0; i < c.index.length; i++) t.set(c.index[i], Math.log(c.pos[i] + a) - Math.log(c.neg[i] + a) + k);
  tables.set(w, t);
  return t;
}

/** The span evidence of one word: its unigram's ratio and the mean ratio of its char n-grams (0 where unseen). */
export function spanEvidence(w: SpanWords, buckets: Int32Array): [number, number] {
  const t = ratios(w);
  const uni = t.get(buckets[1]) ?? 0;
  let sum = 0;
  for (let k = 2; k < buckets.length; k++) sum += t.get(buckets[k]) ?? 0;
  return [uni, buckets.length > 2 ? sum / (buckets.length - 2) : 0];
}

/**
 * The rule's inputs for a word with span evidence `ev` and contribution `c`, in a comment whose strongest word has
 * contribution `top` and whose highest evidences are `maxEv`.
 */
export function spanInputs(ev: [number, number], c: number, top: number, maxEv: [number, number]): number[] {
  return [ev[0], ev[1], c, top > 0 ? c / top : 0, ev[0] - maxEv[0], ev[1] - maxEv[1]];
}

/** The highest of each evidence over a comment's words (of those with a positive contribution; 0 if none). */
export function maxEvidence(evs: Array<[number, number]>): [number, number] {
  const m: [number, number] = [-Infinity, -Infinity];
  for (const e of evs) {
    if (e[0] > m[0]) m[0] = e[0];
    if (e[1] > m[1]) m[1] = e[1];
  }
  return evs.length ? m : [0, 0];
}

/** Whether the learnt rule marks a word with these inputs (the bias shifted by `shift` when choosing it). */
export function spanWordMarked(w: SpanWords, x: number[], shift = 0): boolean {
  let z = w.bias + shift;
  for (let k = 0; k < SPAN_INPUTS; k++) z += w.weights[k] * x[k];
  return z >= 0;
}

/** One word of a training post: its buckets, contribution, the post's top contribution and whether it is gold. */
export interface SpanExample {
  post: number;
  buckets: Int32Array;
  c: number;
  top: number;
  gold: 0 | 1;
}

/** Sparse counts of marked / unmarked words per bucket. */
function countWords(examples: SpanExample[], keep: (e: SpanExample) => boolean): { neg: Map<number, number>; pos: Map<number, number>; total: [number, number] } {
  const neg = new Map<number, number>();
  const pos = new Map<number, number>();
  const total: [number, number] = [0, 0];
  for (const e of examples) {
    if (!keep(e)) continue;
    const m = e.gold ? pos : neg;
    for (let k = 1; k < e.buckets.length; k++) m.set(e.buckets[k], (m.get(e.buckets[k]) ?? 0) + 1);
    total[e.gold] += e.buckets.length - 1;
  }
  return { neg, pos, total };
}

function toSpanWords(c: ReturnType<typeof countWords>, alpha: number, minCount: number): SpanWords {
  const ids = [...new Set([...c.neg.keys(), ...c.pos.keys()])].sort((a, b) => a - b);
  const vocab = ids.length;
  const kept = ids.filter((f) => (c.neg.get(f) ?? 0) + (c.pos.get(f) ?? 0) >= minCount);
  const enc = encodeSparse(kept, kept.map((f) => c.neg.get(f) ?? 0), kept.map((f) => c.pos.get(f) ?? 0));
  return { counts: enc, total: c.total, vocab, alpha, bias: 0, weights: new Array<number>(SPAN_INPUTS).fill(0) };
}

/**
 * Learns span words from training examples: counts on folds of the posts give every example out-of-fold span
 * evidence, on which the rule's weights are fitted (so they learn how far the counts hold on unseen posts); the
 * shipped counts are then taken from all posts. `choose(shift)` returns the mean post F1 on the training posts for a
 * bias shift; the best shift on the grid is kept. Deterministic for a seed.
 */
export function learnSpanWords(examples: SpanExample[], posts: number, choose: (w: SpanWords, x: number[][], shift: number) => number, seed = 1, folds = 5, alpha = 1, minCount = 2): SpanWords & { f1: number } {
  const order = shuffle(Array.from({ length: posts }, (_, i) => i), mulberry32(seed));
  const fold = new Array<number>(posts);
  order.forEach((p, k) => (fold[p] = k % folds));
  const x: number[][] = new Array(examples.length);
  const ev: Array<[number, number]> = new Array(examples.length);
  for (let k = 0; k < folds; k++) {
    const w = toSpanWords(countWords(examples, (e) => fold[e.post] !== k), alpha, 1);
    examples.forEach((e, i) => {
      if (fold[e.post] === k) ev[i] = spanEvidence(w, e.buckets);
    });
  }
  const byPost = new Map<number, number[]>();
  examples.forEach((e, i) => {
    if (e.c > 0) byPost.set(e.post, [...(byPost.get(e.post) ?? []), i]);
  });
  const maxOf = new Map<number, [number, number]>();
  for (const [p, is] of byPost) maxOf.set(p, maxEvidence(is.map((i) => ev[i])));
  examples.forEach((e, i) => (x[i] = spanInputs(ev[i], e.c, e.top, maxOf.get(e.post) ?? [0, 0])));
  // The rule is fitted on words the main score counts as evidence for toxicity: the others are never marked.
  const idx = examples.map((_, i) => i).filter((i) => examples[i].c > 0);
  const cal = fitCalibration(idx.map((i) => x[i]), idx.map((i) => examples[i].gold));
  const w = toSpanWords(countWords(examples, () => true), alpha, minCount);
  w.bias = cal.bias;
  w.weights = cal.weights;
  let best = { shift: 0, f1: -1 };
  for (let s = -2; s <= 2.001; s += 0.25) {
    const f1 = choose(w, x, s);
    if (f1 > best.f1) best = { shift: Math.round(s * 100) / 100, f1 };
  }
  w.bias = Math.round((cal.bias + best.shift) * 1e4) / 1e4;
  w.weights = cal.weights.map((v) => Math.round(v * 1e4) / 1e4);
  return { ...w, f1: best.f1 };
}
