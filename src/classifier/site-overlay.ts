import type { Doc } from './doc';

/**
 * Per-site learning. A site's own feedback is kept here, as sparse count deltas of that site alone, and when that
 * site's comments are scored its buckets count with `SITE_WEIGHT` weight on top of the global counts. So for site S a
 * bucket's counts are
 *
 *     trained + what several sites agreed on (src/learning/agreement.ts) + SITE_WEIGHT x S's own feedback
 *
 * which is exactly what `vigil models export --site S` writes, so the exported file scores like the service does
 * for S. A site's feedback moves only its own scores; the global counts change only by agreement (learn.ts
 * `setAgreed`). (`Learner.learn` with a site id, which also adds to the global counts, is for offline use.)
 *
 * Scoring cost: a site with no feedback has no overlay and pays one Map miss; a site with feedback pays one hash
 * lookup per feature, and a cached adjustment for the hits (recomputed lazily after the global counts change).
 */

/**
 * How much a site's own feedback counts for that site: three times, as when it also counted once in the global
 * counts and twice more here. Measured on the shipped spam model: one "spam" label on an ordinary comment ("I really
 * enjoyed this video, the music is great") takes a similar comment from 0.02 to about 0.2 on the labelling site
 * (still below the review threshold); two labels reach review on that site (figures from the model of 2026-11-27;
 * see MODEL_CARD.md). Five times (a weight of 4 on top of the global count) let a single label push harmless
 * comments of the site to review.
 */
export const SITE_WEIGHT = 3;

/**
 * Memory bound of one model's overlays, in buckets. A bucket takes one slot of 20 bytes, and a table doubles when 3/4
 * of its slots are used, so a bucket costs 27 to 53 bytes (measured with node --expose-gc: 10 overlays of 20,000
 * buckets took 6.6 MB of array buffers, 33 bytes each). These bound the overlays to 0.66 MB per site and about 11 MB
 * per model (22 MB for spam and toxicity), however much feedback there is and however many sites send it (each
 * overlay's fixed cost counts as `perOverlay` buckets, so many sites with little feedback stay bounded too). A comment
 * adds some 100-300 buckets, but comments share most of them, so 20,000 buckets hold the vocabulary of a few thousand
 * labelled comments. When a site's overlay is full, its feedback still updates the buckets it already has; new
 * buckets are then not learnt for the site. The per-site bound depends only on that site's own stream, so every
 * instance, and every snapshot (src/learning/site-state.ts), keeps the same buckets; the total bound is a safety net (it takes ten
 * sites with full overlays) and emits a process warning when reached, because past it instances that learnt in a
 * different order may keep different buckets.
 */
export const OVERLAY_LIMITS: OverlayLimits = { perSite: 20_000, total: 200_000, perOverlay: 32 };

export interface OverlayLimits {
  /** Buckets one site's overlay may hold. */
  perSite: number;
  /** Buckets all overlays of one model may hold together, counting `perOverlay` for each overlay. */
  total: number;
  /**
   * What an overlay's fixed cost (its object and five small typed arrays, about 800 bytes) counts against `total`,
   * so that many sites with a few buckets each stay within the bound as well.
   */
  perOverlay: number;
}

const EMPTY = -1;
/** Highest share of an overlay's slots in use before it doubles; linear probing stays short below it. */
const MAX_LOAD = 0.75;

/**
 * The learned count deltas of one site for one model: an open-addressing hash table (linear probing, Fibonacci
 * hashing) in typed arrays. Per bucket it keeps the site's own net counts and the log-odds adjustment they cause,
 * cached with the generation it was computed in. Typed arrays instead of a Map of objects: a lookup on the scoring
 * path is a multiply and an array read, and a bucket costs 20 bytes per slot instead of about 110.
 */
export class SiteOverlay {
  size = 0;
  private keys = new Int32Array(16).fill(EMPTY);
  n0 = new Float32Array(16);
  n1 = new Float32Array(16);
  /** Calibrated log-odds to add for the bucket when scoring the site's comments; valid while `gen` matches. */
  adj = new Float32Array(16);
  gen = new Int32Array(16);
  private shift = 28;

  private home(f: number): number {
    return Math.imul(f, 0x9e3779b1) >>> this.shift;
  }

  /** The slot holding bucket `f`, or -1. */
  find(f: number): number {
    const keys = this.keys;
    const mask = keys.length - 1;
    for (let i = this.home(f); ; i = (i + 1) & mask) {
      const k = keys[i];
      if (k === f) return i;
      if (k === EMPTY) return -1;
    }
  }

  /** Adds bucket `f` (not present) with zero counts; returns its slot. */
  insert(f: number): number {
    if (this.size + 1 > this.keys.length * MAX_LOAD) this.resize(this.keys.length * 2);
    const mask = this.keys.length - 1;
    let i = this.home(f);
    while (this.keys[i] !== EMPTY) i = (i + 1) & mask;
    this.keys[i] = f;
    this.n0[i] = 0;
    this.n1[i] = 0;
    this.adj[i] = 0;
    this.gen[i] = -1;
    this.size++;
    return i;
  }

  /** Removes the bucket in slot `i`, shifting later entries of its probe run back so lookups never need tombstones. */
  remove(i: number): void {
    const { keys, n0, n1, adj, gen } = this;
    const mask = keys.length - 1;
    keys[i] = EMPTY;
    this.size--;
    for (let j = (i + 1) & mask; keys[j] !== EMPTY; j = (j + 1) & mask) {
      const h = this.home(keys[j]);
      // The entry at j may fill the hole at i only if its home slot is not cyclically within (i, j].
      if (i <= j ? i < h && h <= j : i < h || h <= j) continue;
      keys[i] = keys[j];
      n0[i] = n0[j];
      n1[i] = n1[j];
      adj[i] = adj[j];
      gen[i] = gen[j];
      keys[j] = EMPTY;
      i = j;
    }
  }

  /** Every bucket with the site's counts. */
  *buckets(): IterableIterator<[number, number, number]> {
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] !== EMPTY) yield [this.keys[i], this.n0[i], this.n1[i]];
  }

  private resize(capacity: number): void {
    const old = { keys: this.keys, n0: this.n0, n1: this.n1, adj: this.adj, gen: this.gen };
    this.keys = new Int32Array(capacity).fill(EMPTY);
    this.n0 = new Float32Array(capacity);
    this.n1 = new Float32Array(capacity);
    this.adj = new Float32Array(capacity);
    this.gen = new Int32Array(capacity);
    this.shift = 32 - Math.log2(capacity);
    this.size = 0;
    for (let j = 0; j < old.keys.length; j++) {
      if (old.keys[j] === EMPTY) continue;
      const i = this.insert(old.keys[j]);
      this.n0[i] = old.n0[j];
      this.n1[i] = old.n1[j];
      this.adj[i] = old.adj[j];
      this.gen[i] = old.gen[j];
    }
  }
}

/** Counts buckets held by all overlays of one model, so the total bound holds. */
export class OverlayBudget {
  used = 0;
  full = false;
  constructor(readonly limits: OverlayLimits = OVERLAY_LIMITS) {}

  /** A new, empty overlay, or undefined when the total bound leaves no room for one. */
  open(): SiteOverlay | undefined {
    if (!this.room(this.limits.perOverlay)) return undefined;
    this.used += this.limits.perOverlay;
    return new SiteOverlay();
  }

  /** Gives back the fixed cost of an overlay that is dropped (it is empty). */
  close(): void {
    this.used -= this.limits.perOverlay;
  }

  private room(n: number): boolean {
    if (this.used + n <= this.limits.total) return true;
    if (!this.full) process.emitWarning(`site overlays reached their bound (${this.limits.total} buckets): new buckets of sites' feedback are not learnt for those sites`, 'VigilLearningBound');
    this.full = true;
    return false;
  }

  /**
   * Adds `weight` documents of class `label` to bucket `f` of a site's overlay. Counts never go below zero, and a
   * bucket back at zero is dropped, so a withdrawn example leaves nothing behind. Returns false when the bucket did
   * not fit under the bounds.
   */
  add(o: SiteOverlay, f: number, label: 0 | 1, weight: number): boolean {
    let i = o.find(f);
    if (i < 0) {
      if (weight <= 0) return true;
      if (o.size >= this.limits.perSite || !this.room(1)) return false;
      i = o.insert(f);
      this.used++;
    }
    if (label) o.n1[i] = Math.max(0, o.n1[i] + weight);
    else o.n0[i] = Math.max(0, o.n0[i] + weight);
    o.gen[i] = -1;
    if (o.n0[i] + o.n1[i] <= 0) {
      o.remove(i);
      this.used--;
    }
    return true;
  }
}

/** Computes one bucket's adjustment from the global counts and the site's counts n0, n1. */
export type Refresh = (f: number, n0: number, n1: number) => number;

/** One bucket's adjustment for a site (0 when the site has not labelled it), recomputed if older than `gen`. */
export function overlayAt(o: SiteOverlay, f: number, gen: number, refresh: Refresh): number {
  const i = o.find(f);
  if (i < 0) return 0;
  if (o.gen[i] !== gen) {
    o.adj[i] = refresh(f, o.n0[i], o.n1[i]);
    o.gen[i] = gen;
  }
  return o.adj[i];
}

/**
 * Sums a site's adjustments over a document's buckets (each word's, the bigrams and the metadata: the features
 * `logits` reads, with the same repeats). `refresh` runs only for a bucket whose cached adjustment is older than
 * generation `gen` (the global counts changed since), so a steady site costs one lookup per feature.
 */
export function overlaySum(o: SiteOverlay, d: Doc, gen: number, refresh: Refresh): number {
  let dz = 0;
  for (const e of d.text.words) for (let k = 1; k < e.length; k++) dz += overlayAt(o, e[k], gen, refresh);
  for (const f of d.text.bigrams) dz += overlayAt(o, f, gen, refresh);
  for (const f of d.meta) dz += overlayAt(o, f, gen, refresh);
  return dz;
}
