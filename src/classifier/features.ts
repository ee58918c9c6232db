import { FNV_OFFSET, FNV_PRIME, fnv } from './hash';
import { scan, type Token, type TokenSink } from './tokenize';
import { ThreatCueScanner } from './threat-cues';
import { cueClass } from './threat-lexicon';
import { stem, type StemLang } from './stemming/stem';

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
  /**
   * Threat cues (threat-cues.ts) as extra features of the comment; absent in files trained before them.
   * @defaultValue false
   */
  threat?: boolean;
  /**
   * Snowball stemmer of a language (stemming/stem.ts) applied to each word's unigram; char n-grams and bigrams keep the
   * word as written. Absent in English files and wherever the ablation showed no gain (models/MODEL_CARD.md).
   * @defaultValue none
   */
  stem?: StemLang;
  /**
   * Identity cues (threat-cues.ts `id:*`, identity-lexicon.ts) with the threat cues; absent in files trained before them.
   * @defaultValue false
   */
  identity?: boolean;
  /**
   * Word unigrams off: every word shares one unigram bucket, so words count only through their char n-grams (and
   * bigrams, if on). Measured for Portuguese (docs/decisions/0096-portuguese-char-ngrams.md); no shipped model uses it.
   * @defaultValue true
   */
  unigrams?: boolean;
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

export { fnv };

/** Final avalanche so the low bits used as the bucket are well mixed. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV hash of a token value, as bigrams use it. */
export function tokenHash(s: string): number {
  return fnv(s, 0, s.length, FNV_OFFSET);
}

/** Bucket of the bigram of two tokens given their hashes. */
export function bigramBucket(prev: number, hu: number, l: Layout): number {
  return l.offset[G_BI] + (mix(Math.imul(prev ^ 0x2f, FNV_PRIME) ^ hu) & l.mask[G_BI]);
}

/** Bucket of a metadata feature name. */
export function metaBucket(name: string, l: Layout): number {
  return l.offset[G_META] + (mix(fnv(name, 0, name.length, FNV_OFFSET)) & l.mask[G_META]);
}

/** Receives every feature occurrence: its bucket, and the token indices it came from (b = -1 if one). */
export type Emit = (bucket: number, a: number, b: number) => void;

/** Hash of a token's unigram: of its stem for a word under a stemming model, else `hu`, the token's own hash. */
function unigramHash(s: string, hu: number, word: boolean, opt: FeatureOptions): number {
  if (opt.unigrams === false && word) return FNV_OFFSET;
  if (!opt.stem || !word) return hu;
  const st = stem(opt.stem, s);
  return st === s ? hu : fnv(st, 0, st.length, FNV_OFFSET);
}

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
    emit(oU + (mix(unigramHash(s, hu, t.word, opt)) & mU), i, -1);
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

/** Text features of one document as a flat list of buckets (a bucket may repeat, see `TextFeatures`). */
export interface FeatureVector {
  /** A plain array of small integers: V8 allocates it on the heap, a typed array of this size off it. */
  ids: number[];
  length: number;
}

/**
 * Per feature options, each distinct token value's hash and buckets (unigram, then char n-grams).
 * Words repeat a lot across comments (Zipf), so most tokens skip hashing. It is an open-addressing
 * table keyed by the token's FNV hash (already needed for bigrams) and checked against the token
 * string: a Map keyed by freshly sliced strings spent more time hashing the keys than we saved.
 * When half full it is emptied, which bounds its memory; `epoch` counts those clears, so a model's
 * per-slot sums (model.ts) know when a slot may hold another word.
 */
export class WordCache {
  static readonly BITS = 17;
  readonly slots = 1 << WordCache.BITS;
  epoch = 0;
  /**
   * Per slot the word's hash, 0 for an empty slot (a hash of 0 is stored as 1). Probes read this dense
   * array first and touch the stored string only when the hash matches.
   */
  private tags = new Int32Array(this.slots);
  private words: Array<string | undefined> = new Array(this.slots);
  readonly values: Array<Int32Array | undefined> = new Array(this.slots);
  /**
   * Per slot the word's hash and its number of buckets (`values[slot][0]` and `.length - 1`), in
   * dense arrays: reading them there spares a cache miss on the entry for every token.
   */
  readonly hashOf = new Int32Array(this.slots);
  readonly sizeOf = new Int32Array(this.slots);
  /** Per slot the word's threat-lexicon class bits (threat-lexicon.ts), 0 for most words. */
  readonly cue = new Uint32Array(this.slots);
  private size = 0;

  /** Slot of `s` (FNV hash `hu`), or -1. */
  find(s: string, hu: number): number {
    const mask = this.slots - 1;
    const tag = hu === 0 ? 1 : hu;
    for (let h = Math.imul(hu, 0x9e3779b1) >>> (32 - WordCache.BITS); ; h = (h + 1) & mask) {
      const t = this.tags[h];
      if (t === 0) return -1;
      if (t === tag && this.words[h] === s) return h;
    }
  }

  /** Slot of the word `text.slice(s, e)` (FNV hash `hu`) without allocating it, or -1. */
  findRange(text: string, s: number, e: number, hu: number): number {
    const mask = this.slots - 1;
    const len = e - s;
    const tag = hu === 0 ? 1 : hu;
    for (let h = Math.imul(hu, 0x9e3779b1) >>> (32 - WordCache.BITS); ; h = (h + 1) & mask) {
      const t = this.tags[h];
      if (t === 0) return -1;
      if (t !== tag) continue;
      const w = this.words[h]!;
      if (w.length !== len) continue;
      let k = 0;
      while (k < len && w.charCodeAt(k) === text.charCodeAt(s + k)) k++;
      if (k === len) return h;
    }
  }

  /** Stores `v` for `s` and returns its slot; empties the table first when it is half full. */
  insert(s: string, hu: number, v: Int32Array): number {
    if (this.size >= this.slots >> 1) {
      this.tags.fill(0);
      this.words = new Array(this.slots);
      (this as { values: Array<Int32Array | undefined> }).values = new Array(this.slots);
      this.size = 0;
      this.epoch++;
    }
    const mask = this.slots - 1;
    let h = Math.imul(hu, 0x9e3779b1) >>> (32 - WordCache.BITS);
    while (this.tags[h] !== 0) h = (h + 1) & mask;
    this.tags[h] = hu === 0 ? 1 : hu;
    this.words[h] = s;
    this.values[h] = v;
    this.hashOf[h] = v[0];
    this.sizeOf[h] = v.length - 1;
    this.cue[h] = cueClass(s);
    this.size++;
    return h;
  }
}

const wordCaches = new Map<string, WordCache>();

/** The word cache for feature options (one per distinct options, shared by models that use them). */
export function wordCacheFor(opt: FeatureOptions): WordCache {
  const sig = `${opt.bits}|${opt.char[0]}|${opt.char[1]}|${opt.stem ?? ''}|${opt.unigrams === false ? 'c' : ''}`;
  let cache = wordCaches.get(sig);
  if (!cache) wordCaches.set(sig, (cache = new WordCache()));
  return cache;
}

/** Cache slot of a token value, computing and storing its hash and buckets the first time. */
function wordSlot(s: string, word: boolean, opt: FeatureOptions, l: Layout, cache: WordCache): number {
  const len = s.length;
  // A shape token (`__url__`, `dom:x`, an emoji) can never be spelled like a word, so the value alone
  // decides whether the cached entry has char n-grams.
  const hu = fnv(s, 0, len, FNV_OFFSET);
  const hit = cache.find(s, hu);
  if (hit >= 0) return hit;
  const [cmin, cmax] = opt.char;
  const w = len + 2;
  let nChar = 0;
  if (cmin > 0 && word) for (let k = cmin; k <= cmax; k++) nChar += Math.max(0, w - k + 1);
  let e = new Int32Array(2 + nChar);
  e[0] = hu;
  e[1] = l.offset[G_UNI] + (mix(unigramHash(s, hu, word, opt)) & l.mask[G_UNI]);
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
  return cache.insert(s, hu, e);
}

/**
 * The text features of one document, by unique word: each distinct token value contributes its
 * unigram and its char n-grams once (a word repeated in a comment counts once), each distinct bigram
 * once. A char n-gram shared by two different words counts twice. Grouping by word is what makes
 * scoring fast: a model keeps each cached word's summed weights (model.ts), so a word costs one
 * lookup instead of one per n-gram. Measured against de-duplicating every bucket: the same accuracy
 * within 0.005 on every held-out set (MODEL_CARD.md).
 */
export interface TextFeatures {
  /** Per unique word, its bucket list: `[hash, unigram, ...char n-grams]` (read from index 1). */
  words: Int32Array[];
  /** Per unique word, its slot in `cache`, valid while `cache.epoch === epoch`. */
  slots: number[];
  /** Unique bigram buckets. */
  bigrams: number[];
  /** Total number of features (buckets with repeats): the length term of the calibration. */
  length: number;
  cache: WordCache;
  epoch: number;
}

let slotBuf = new Int32Array(1024);
const entBuf: Int32Array[] = new Array(1024);
let setKeys = new Int32Array(1 << 10);
let setGen = new Int32Array(1 << 10);
let generation = 0;

/** Small open-addressing set of ints, sized to one document so it stays in the CPU cache. */
function resetSet(need: number): number {
  let bits = 6;
  while (1 << bits < 2 * need) bits++;
  if (setKeys.length < 1 << bits) {
    setKeys = new Int32Array(1 << bits);
    setGen = new Int32Array(1 << bits);
    generation = 0;
  }
  generation = (generation + 1) | 0;
  if (generation === 0) {
    setGen.fill(0);
    generation = 1;
  }
  return bits;
}

/** Adds `k` to the current set; false if it was there already. */
function setAdd(k: number, bits: number): boolean {
  const mask = (1 << bits) - 1;
  let h = Math.imul(k, 0x9e3779b1) >>> (32 - bits);
  while (setGen[h] === generation) {
    if (setKeys[h] === k) return false;
    h = (h + 1) & mask;
  }
  setGen[h] = generation;
  setKeys[h] = k;
  return true;
}

/** Computes the text features of `tokens` (`scanFeatures` computes the same from the text itself). */
export function textFeatures(tokens: Token[], opt: FeatureOptions, l: Layout): TextFeatures {
  const cache = wordCacheFor(opt);
  const n = tokens.length;
  grow(n);
  // Slots first, all in one cache epoch: a clear while this loop runs re-numbers earlier slots, so the
  // loop runs again on the emptied cache. Only a comment with more distinct tokens than half the
  // cache can clear it twice; its slots are then not used (epoch -1) and words are told apart by hash.
  let epoch = cache.epoch;
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < n; i++) {
      const k = (slotBuf[i] = wordSlot(tokens[i].value, tokens[i].word, opt, l, cache));
      entBuf[i] = cache.values[k]!;
    }
    if (cache.epoch === epoch) break;
    epoch = pass === 0 ? cache.epoch : -1;
  }
  return fromSlots(n, epoch, cache, opt, l);
}

function grow(n: number): void {
  if (slotBuf.length >= n) return;
  const cap = Math.max(n, slotBuf.length * 2);
  const s = new Int32Array(cap);
  s.set(slotBuf);
  slotBuf = s;
  entBuf.length = cap;
}

/**
 * Collects a text's token slots without making Token objects: plain words are hashed and looked up
 * where they lie in the normalised text, so a word already in the cache allocates nothing.
 */
class SlotSink implements TokenSink {
  n = 0;
  links = 0;
  /** Threat cues of the text, from the word-cache classes of its tokens (read in order, so windows work). */
  readonly cues = new ThreatCueScanner();
  found: LinkInfo | undefined = undefined;
  constructor(
    readonly cache: WordCache,
    readonly opt: FeatureOptions,
    readonly l: Layout,
  ) {}

  word(text: string, s: number, e: number, _start: number, _end: number, hash: number): void {
    let k = this.cache.findRange(text, s, e, hash);
    if (k < 0) k = wordSlot(text.slice(s, e), true, this.opt, this.l, this.cache);
    this.push(k);
  }

  token(value: string, word: boolean): void {
    if (value === '__url__') this.links++;
    this.push(wordSlot(value, word, this.opt, this.l, this.cache));
  }

  link(host: string, domain: string, length: number): void {
    const f = (this.found ??= { hosts: [], domains: [], chars: 0 });
    // A comment may hold thousands of links; the link features need only the first few distinct ones.
    if (f.hosts.length < MAX_LINKS && !f.hosts.includes(host)) {
      f.hosts.push(host);
      f.domains.push(domain);
    }
    f.chars += length;
  }

  private push(k: number): void {
    const n = this.n++;
    const c = this.cache.cue[k];
    if (c !== 0) this.cues.step(n, c);
    if (n >= slotBuf.length) grow(n + 1);
    slotBuf[n] = k;
    entBuf[n] = this.cache.values[k]!;
  }
}

/** The links of a text (for the spam model's link features, links-meta.ts): distinct hosts in order, their
 * registrable domains, and the characters all links take. */
export interface LinkInfo {
  hosts: string[];
  domains: string[];
  chars: number;
}

/** Distinct hosts kept per comment. @defaultValue 8 */
export const MAX_LINKS = 8;

const sinks = new Map<WordCache, SlotSink>();

/**
 * The text features of `input` (what `textFeatures(tokenize(input))` gives) and its number of links,
 * straight from the text. This is the hot path of scoring.
 */
export function scanFeatures(input: string, opt: FeatureOptions, l: Layout): { text: TextFeatures; links: number; found?: LinkInfo; cues: number } {
  const cache = wordCacheFor(opt);
  let sink = sinks.get(cache);
  if (!sink || sink.opt !== opt || sink.l !== l) sinks.set(cache, (sink = new SlotSink(cache, opt, l)));
  let epoch = cache.epoch;
  for (let pass = 0; pass < 2; pass++) {
    sink.n = 0;
    sink.links = 0;
    sink.cues.reset();
    sink.found = undefined;
    scan(input, sink);
    if (cache.epoch === epoch) break;
    epoch = pass === 0 ? cache.epoch : -1;
  }
  const text = fromSlots(sink.n, epoch, cache, opt, l);
  const cues = sink.cues.mask;
  return sink.found ? { text, links: sink.links, found: sink.found, cues } : { text, links: sink.links, cues };
}

/** De-duplicates the `n` slots in `slotBuf` / entries in `entBuf` into text features. */
function fromSlots(n: number, epoch: number, cache: WordCache, opt: FeatureOptions, l: Layout): TextFeatures {
  const slots = slotBuf;
  const ents = entBuf;
  const bits = resetSet(2 * n);
  // Plain arrays sized up front: a typed-array slice per comment cost more than filling these.
  const words: Int32Array[] = new Array(n);
  const uniq: number[] = new Array(n);
  let nw = 0;
  let length = 0;
  const fast = epoch >= 0;
  const { hashOf, sizeOf } = cache;
  for (let i = 0; i < n; i++) {
    // Slots and token hashes are kept apart from bigram buckets (>= 0) by storing them as -1 - x.
    if (!setAdd(-1 - (fast ? slots[i] : ents[i][0] >>> 1), bits)) continue;
    words[nw] = ents[i];
    uniq[nw++] = slots[i];
    length += fast ? sizeOf[slots[i]] : ents[i].length - 1;
  }
  words.length = nw;
  uniq.length = nw;
  const bigrams: number[] = new Array(n > 0 && opt.bigrams ? n - 1 : 0);
  let nb = 0;
  if (opt.bigrams) {
    const oB = l.offset[G_BI];
    const mB = l.mask[G_BI];
    let prev = n === 0 ? 0 : fast ? hashOf[slots[0]] : ents[0][0];
    for (let i = 1; i < n; i++) {
      const hu = fast ? hashOf[slots[i]] : ents[i][0];
      const b = oB + (mix(Math.imul(prev ^ 0x2f, FNV_PRIME) ^ hu) & mB);
      prev = hu;
      if (setAdd(b, bits)) bigrams[nb++] = b;
    }
  }
  bigrams.length = nb;
  length += nb;
  return { words, slots: uniq, bigrams, length, cache, epoch };
}

/** The features as one flat bucket list (for training and learning; scoring reads `TextFeatures`). */
export function flatten(t: TextFeatures): FeatureVector {
  const ids: number[] = new Array(t.length);
  let n = 0;
  for (const e of t.words) for (let k = 1; k < e.length; k++) ids[n++] = e[k];
  for (let i = 0; i < t.bigrams.length; i++) ids[n++] = t.bigrams[i];
  return { ids, length: n };
}

/** Shorthand for `flatten(textFeatures(...))`. */
export function vectorize(tokens: Token[], opt: FeatureOptions, l: Layout): FeatureVector {
  return flatten(textFeatures(tokens, opt, l));
}
