import type { Token } from './tokenize';

/** Feature groups; each gets its own weight in the calibration, because they double-count one another. */
export const GROUPS = ['unigram', 'bigram', 'char', 'meta'] as const;
export const G_UNI = 0;
export const G_BI = 1;
export const G_CHAR = 2;
export const G_META = 3;

/** How text becomes hashed features; stored in the model file so training and scoring agree. */
export interface FeatureOptions {
  /** log2 of the number of hash buckets. @defaultValue 18 */
  bits: number;
  /** Word bigrams on or off. @defaultValue true */
  bigrams: boolean;
  /** Character n-gram lengths, inclusive range over each word padded with spaces; [0, 0] turns them off. @defaultValue [3, 5] */
  char: [number, number];
  /**
   * Each char n-gram of a word is weighted 1 / k^charNorm, k being the word's number of n-grams, so a
   * long word is not counted as a dozen independent pieces of evidence. @defaultValue 0
   */
  charNorm?: number;
}

export const DEFAULT_FEATURES: FeatureOptions = { bits: 18, bigrams: true, char: [3, 5] };

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over `s[start, end)`, continuing from `h`; no substring is allocated. */
export function fnv(s: string, start: number, end: number, h: number): number {
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/** Final avalanche so the low bits used as the bucket are well mixed. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** Bucket of a whole string feature in group `g` (used for unigrams and metadata). */
export function bucketOf(s: string, g: number, mask: number): number {
  return mix(fnv(s, 0, s.length, FNV_OFFSET ^ (g * 0x9e3779b1))) & mask;
}

/** Receives every feature occurrence: its bucket, group, and the token indices it came from (b = -1 if one). */
export type Emit = (bucket: number, group: number, a: number, b: number, weight: number) => void;

/** Emits unigram, bigram and char n-gram features for `tokens`. */
export function extract(tokens: Token[], opt: FeatureOptions, emit: Emit): void {
  const mask = (1 << opt.bits) - 1;
  const [cmin, cmax] = opt.char;
  const uni: number[] = new Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const hu = fnv(t.value, 0, t.value.length, FNV_OFFSET);
    uni[i] = hu;
    emit(mix(hu) & mask, G_UNI, i, -1, 1);
    if (opt.bigrams && i > 0) emit(mix(Math.imul(uni[i - 1] ^ 0x2f, FNV_PRIME) ^ hu) & mask, G_BI, i - 1, i, 1);
    if (cmin > 0 && t.word) {
      const p = ' ' + t.value + ' ';
      let k = 0;
      for (let n = cmin; n <= cmax && n <= p.length; n++) k += p.length - n + 1;
      const w = opt.charNorm ? 1 / Math.pow(k, opt.charNorm) : 1;
      for (let n = cmin; n <= cmax && n <= p.length; n++) {
        const seed = Math.imul(FNV_OFFSET ^ n, 0x9e3779b1);
        for (let s = 0; s + n <= p.length; s++) emit(mix(fnv(p, s, s + n, seed)) & mask, G_CHAR, i, -1, w);
      }
    }
  }
}

/** Unique features of one document with their groups; duplicates are dropped (binarised counts). */
export interface FeatureVector {
  ids: Int32Array;
  groups: Uint8Array;
  /** Weight of each feature (1 except normalised char n-grams). */
  weights: Float32Array;
  length: number;
}

let stamp = new Int32Array(0);
let generation = 0;

/** Collects unique buckets; a generation-stamped array avoids allocating a Set per document. */
export function vectorize(tokens: Token[], opt: FeatureOptions): FeatureVector {
  const size = 1 << opt.bits;
  if (stamp.length !== size) {
    stamp = new Int32Array(size);
    generation = 0;
  }
  generation = (generation + 1) | 0;
  if (generation === 0) {
    stamp.fill(0);
    generation = 1;
  }
  const gen = generation;
  let cap = 64;
  let ids = new Int32Array(cap);
  let groups = new Uint8Array(cap);
  let weights = new Float32Array(cap);
  let n = 0;
  const push = (b: number, g: number, _a: number, _b: number, w: number): void => {
    if (stamp[b] === gen) return;
    stamp[b] = gen;
    if (n === cap) {
      cap *= 2;
      const ni = new Int32Array(cap);
      ni.set(ids);
      ids = ni;
      const ng = new Uint8Array(cap);
      ng.set(groups);
      groups = ng;
      const nw = new Float32Array(cap);
      nw.set(weights);
      weights = nw;
    }
    ids[n] = b;
    weights[n] = w;
    groups[n++] = g;
  };
  extract(tokens, opt, push);
  return { ids, groups, weights, length: n };
}
