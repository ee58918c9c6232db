import type { Token } from './tokenize';

/** Feature groups; each gets its own weights in the calibration, because they double-count one another. */
export const GROUPS = ['unigram', 'bigram', 'char', 'meta'] as const;
export const G_UNI = 0;
export const G_BI = 1;
export const G_CHAR = 2;
export const G_META = 3;

/** How text becomes hashed features; stored in the model file so training and scoring agree. */
export interface FeatureOptions {
  /** log2 of the bucket count for bigrams and for char n-grams (unigrams get half as many). @defaultValue 18 */
  bits: number;
  /** Word bigrams on or off. @defaultValue true */
  bigrams: boolean;
  /** Character n-gram lengths, inclusive range over each word padded with spaces; [0, 0] turns them off. @defaultValue [3, 4] */
  char: [number, number];
}

export const DEFAULT_FEATURES: FeatureOptions = { bits: 18, bigrams: true, char: [3, 4] };

/**
 * Each group hashes into its own range of the feature space, so a bucket's group is known from its
 * index alone; scoring can then fold the calibration weight into one number per bucket.
 */
export interface Layout {
  offset: number[];
  mask: number[];
  size: number;
}

const META_BITS = 10;

export function layoutOf(opt: FeatureOptions): Layout {
  const sizes = [2 ** (opt.bits - 1), 2 ** opt.bits, 2 ** opt.bits, 2 ** META_BITS];
  const offset: number[] = [];
  let size = 0;
  for (const s of sizes) {
    offset.push(size);
    size += s;
  }
  return { offset, mask: sizes.map((s) => s - 1), size };
}

/** Group of a bucket under a layout. */
export function groupOf(f: number, l: Layout): number {
  let g = 0;
  while (g + 1 < l.offset.length && f >= l.offset[g + 1]) g++;
  return g;
}

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
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Bucket of a metadata feature name. */
export function metaBucket(name: string, l: Layout): number {
  return l.offset[G_META] + (mix(fnv(name, 0, name.length, FNV_OFFSET)) & l.mask[G_META]);
}

/** Receives every feature occurrence: its bucket, and the token indices it came from (b = -1 if one). */
export type Emit = (bucket: number, a: number, b: number) => void;

/** Emits unigram, bigram and char n-gram features for `tokens`. */
export function extract(tokens: Token[], opt: FeatureOptions, l: Layout, emit: Emit): void {
  const [cmin, cmax] = opt.char;
  const [oU, oB, oC] = l.offset;
  const [mU, mB, mC] = l.mask;
  let prev = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const s = t.value;
    const hu = fnv(s, 0, s.length, FNV_OFFSET);
    emit(oU + (mix(hu) & mU), i, -1);
    if (opt.bigrams && i > 0) emit(oB + (mix(Math.imul(prev ^ 0x2f, FNV_PRIME) ^ hu) & mB), i - 1, i);
    prev = hu;
    if (cmin > 0 && t.word) {
      // N-grams of one start share their prefix hash, so lengths cmin..cmax cost one pass. The word is
      // read as if padded with a space on both sides.
      const n = s.length + 2;
      for (let st = 0; st + cmin <= n; st++) {
        let h = FNV_OFFSET;
        for (let k = 0; k < cmax && st + k < n; k++) {
          const p = st + k;
          h = Math.imul(h ^ (p === 0 || p === n - 1 ? 32 : s.charCodeAt(p - 1)), FNV_PRIME);
          if (k + 1 >= cmin) emit(oC + (mix(h ^ (k + 1)) & mC), i, -1);
        }
      }
    }
  }
}

/** Unique text features of one document (duplicates dropped: binarised counts). */
export interface FeatureVector {
  /** A plain array of small integers: V8 allocates it on the heap, a typed array of this size off it. */
  ids: number[];
  length: number;
}

let setKeys = new Int32Array(0);
let setGen = new Int32Array(0);
let generation = 0;
let scratch = new Int32Array(4096);
let entryBuf: Int32Array[] = new Array(256);

/**
 * Per feature options, each distinct token value's hash and buckets (unigram, then char n-grams).
 * Words repeat a lot across comments (Zipf), so most tokens skip hashing. It is an open-addressing
 * table keyed by the token's FNV hash (already needed for bigrams) and checked against the token
 * string: a Map keyed by freshly sliced strings spent more time hashing the keys than we saved.
 * When half full it is emptied, which bounds its memory.
 */
class WordCache {
  private readonly bits = 17;
  private hashes = new Int32Array(1 << this.bits);
  private words: Array<string | undefined> = new Array(1 << this.bits);
  private values: Array<Int32Array | undefined> = new Array(1 << this.bits);
  private size = 0;

  get(s: string, hu: number): Int32Array | undefined {
    const mask = (1 << this.bits) - 1;
    for (let h = (Math.imul(hu, 0x9e3779b1) >>> (32 - this.bits)); this.words[h] !== undefined; h = (h + 1) & mask) {
      if (this.hashes[h] === hu && this.words[h] === s) return this.values[h];
    }
    return undefined;
  }

  set(s: string, hu: number, v: Int32Array): void {
    if (this.size >= 1 << (this.bits - 1)) {
      this.words = new Array(1 << this.bits);
      this.values = new Array(1 << this.bits);
      this.size = 0;
    }
    const mask = (1 << this.bits) - 1;
    let h = Math.imul(hu, 0x9e3779b1) >>> (32 - this.bits);
    while (this.words[h] !== undefined) h = (h + 1) & mask;
    this.hashes[h] = hu;
    this.words[h] = s;
    this.values[h] = v;
    this.size++;
  }
}

const wordCaches = new Map<string, WordCache>();

function wordBuckets(s: string, word: boolean, opt: FeatureOptions, l: Layout, cache: WordCache): Int32Array {
  const len = s.length;
  // A shape token (`__url__`, `dom:x`, an emoji) can never be spelled like a word, so the value alone
  // decides whether the cached entry has char n-grams.
  const hu = fnv(s, 0, len, FNV_OFFSET);
  let e = cache.get(s, hu);
  if (e) return e;
  const [cmin, cmax] = opt.char;
  const w = len + 2;
  let nChar = 0;
  if (cmin > 0 && word) for (let k = cmin; k <= cmax; k++) nChar += Math.max(0, w - k + 1);
  e = new Int32Array(2 + nChar);
  e[0] = hu;
  e[1] = l.offset[G_UNI] + (mix(hu) & l.mask[G_UNI]);
  let n = 2;
  if (nChar > 0) {
    const oC = l.offset[G_CHAR];
    const mC = l.mask[G_CHAR];
    for (let st = 0; st + cmin <= w; st++) {
      let h = FNV_OFFSET;
      for (let k = 0; k < cmax && st + k < w; k++) {
        const p = st + k;
        h = Math.imul(h ^ (p === 0 || p === w - 1 ? 32 : s.charCodeAt(p - 1)), FNV_PRIME);
        if (k + 1 >= cmin) e[n++] = oC + (mix(h ^ (k + 1)) & mC);
      }
    }
  }
  if (n !== e.length) e = e.slice(0, n);
  cache.set(s, hu, e);
  return e;
}

/**
 * Collects unique buckets: the same features as `extract` (a test checks it), with cached per-word
 * buckets and a small per-document hash set instead of a Set. This is the hot path of scoring.
 */
export function vectorize(tokens: Token[], opt: FeatureOptions, l: Layout): FeatureVector {
  const sig = `${opt.bits}|${opt.char[0]}|${opt.char[1]}`;
  let cache = wordCaches.get(sig);
  if (!cache) wordCaches.set(sig, (cache = new WordCache()));
  if (entryBuf.length < tokens.length) entryBuf = new Array(tokens.length * 2);
  const entries = entryBuf;
  let most = 0;
  for (let i = 0; i < tokens.length; i++) {
    const e = (entries[i] = wordBuckets(tokens[i].value, tokens[i].word, opt, l, cache));
    most += e.length;
  }
  // Duplicates are dropped with a small open-addressing set sized to this document: it stays in the
  // CPU cache, where a stamp per bucket of the whole feature space would miss on every lookup.
  let bits = 6;
  while (1 << bits < 2 * most) bits++;
  if (setKeys.length < 1 << bits) {
    setKeys = new Int32Array(1 << bits);
    setGen = new Int32Array(1 << bits);
  }
  generation = (generation + 1) | 0;
  if (generation === 0) {
    setGen.fill(0);
    generation = 1;
  }
  const gen = generation;
  const keys = setKeys;
  const gens = setGen;
  const shift = 32 - bits;
  const oB = l.offset[G_BI];
  const mB = l.mask[G_BI];
  if (scratch.length < most) scratch = new Int32Array(most * 2);
  const out = scratch;
  let n = 0;
  const add = (b: number): void => {
    let h = Math.imul(b, 0x9e3779b1) >>> shift;
    while (gens[h] === gen) {
      if (keys[h] === b) return;
      h = (h + 1) & ((1 << bits) - 1);
    }
    gens[h] = gen;
    keys[h] = b;
    out[n++] = b;
  };
  let prev = 0;
  for (let i = 0; i < tokens.length; i++) {
    const e = entries[i];
    const hu = e[0];
    if (opt.bigrams && i > 0) add(oB + (mix(Math.imul(prev ^ 0x2f, FNV_PRIME) ^ hu) & mB));
    prev = hu;
    for (let k = 1; k < e.length; k++) add(e[k]);
  }
  const ids: number[] = new Array(n);
  for (let i = 0; i < n; i++) ids[i] = out[i];
  return { ids, length: n };
}
