/**
 * Per-site learning. Every site's feedback is added to the global counts (learn.ts); a site's own feedback is also
 * kept here, as sparse count deltas of that site alone, and when that site's comments are scored its buckets count
 * with `SITE_WEIGHT` extra weight. So for site S a bucket's counts are
 *
 *     trained + every site's feedback + SITE_WEIGHT x S's own feedback
 *
 * which is exactly what `vigil models export --site S` writes, so the exported file scores like the service does
 * for S. A site's moderators thereby move their own site's scores (SITE_WEIGHT + 1) times as much as anyone else's.
 *
 * Scoring cost: a site with no feedback has no overlay and pays one Map miss; a site with feedback pays one Map
 * lookup per feature, and a cached adjustment for the hits (recomputed lazily after the global counts change).
 */

/**
 * How much more a site's own feedback counts for that site than for the others (it counts once globally and this
 * many times more in its overlay, so three times in all). Measured on the shipped spam model: one "spam" label on an
 * ordinary comment ("I really enjoyed this video, the music is great") takes a similar comment from 0.02 to about
 * 0.2 on the labelling site (still below the review threshold) and 0.08 elsewhere; two labels reach review on that
 * site only (figures from the model of 2026-11-27; see MODEL_CARD.md). A weight of 4 let a single label push harmless
 * comments of the site to review.
 */
export const SITE_WEIGHT = 2;

/**
 * Memory bound of one model's overlays, in buckets. A bucket costs about 110 bytes (a Map entry and a small object;
 * measured with node --expose-gc: 250,000 buckets in 10 overlays took 27 MB of heap), so these bound the overlays to
 * about 2.2 MB per site and 22 MB per model (44 MB for spam and toxicity), however much feedback there is and however
 * many sites send it. A comment adds some 100-300 buckets, but comments share most of them, so 20,000 buckets hold
 * the vocabulary of a few thousand labelled comments. When a site's overlay is full, its feedback still updates the
 * buckets it already has and the global model; new buckets are then learnt globally only. The per-site bound depends
 * only on that site's own stream, so every instance, replaying the same stream, keeps the same buckets; the total
 * bound is a safety net (it takes ten sites with full overlays) and emits a process warning when reached, because past it instances
 * that learnt in a different order may keep different buckets.
 */
export const OVERLAY_LIMITS = { perSite: 20_000, total: 200_000 };

/** One bucket of one site: the site's own net counts, and the log-odds adjustment they cause (cached). */
interface Entry {
  n0: number;
  n1: number;
  /** Calibrated log-odds to add for this bucket when scoring the site's comments; valid while `gen` matches. */
  adj: number;
  gen: number;
}

/** The learned count deltas of one site for one model. */
export class SiteOverlay {
  readonly entries = new Map<number, Entry>();
}

/** Counts buckets held by all overlays of one model, so the total bound holds. */
export class OverlayBudget {
  used = 0;
  full = false;
  constructor(readonly limits: { perSite: number; total: number } = OVERLAY_LIMITS) {}

  /**
   * Adds `weight` documents of class `label` to bucket `f` of a site's overlay. Counts never go below zero, and a
   * bucket back at zero is dropped, so a withdrawn example leaves nothing behind. Returns false when the bucket did
   * not fit under the bounds.
   */
  add(o: SiteOverlay, f: number, label: 0 | 1, weight: number): boolean {
    let e = o.entries.get(f);
    if (!e) {
      if (weight <= 0) return true;
      if (o.entries.size >= this.limits.perSite) return false;
      if (this.used >= this.limits.total) {
        if (!this.full) process.emitWarning(`site overlays hold ${this.used} buckets, their bound: new buckets of sites' feedback are learnt globally only`, 'VigilLearningBound');
        this.full = true;
        return false;
      }
      e = { n0: 0, n1: 0, adj: 0, gen: -1 };
      o.entries.set(f, e);
      this.used++;
    }
    if (label) e.n1 = Math.max(0, e.n1 + weight);
    else e.n0 = Math.max(0, e.n0 + weight);
    e.gen = -1;
    if (e.n0 + e.n1 <= 0) {
      o.entries.delete(f);
      this.used--;
    }
    return true;
  }
}

/**
 * Sums a site's adjustments over a document's buckets. `refresh` computes one bucket's adjustment from the global
 * counts and the site's; it runs only when the entry's cached value is older than generation `gen`.
 */
export function overlaySum(o: SiteOverlay, ids: ArrayLike<number>, length: number, meta: number[], gen: number, refresh: (f: number, n0: number, n1: number) => number): number {
  const m = o.entries;
  let dz = 0;
  for (let i = 0; i < length; i++) {
    const e = m.get(ids[i]);
    if (e === undefined) continue;
    if (e.gen !== gen) {
      e.adj = refresh(ids[i], e.n0, e.n1);
      e.gen = gen;
    }
    dz += e.adj;
  }
  for (const f of meta) {
    const e = m.get(f);
    if (e === undefined) continue;
    if (e.gen !== gen) {
      e.adj = refresh(f, e.n0, e.n1);
      e.gen = gen;
    }
    dz += e.adj;
  }
  return dz;
}

/** One bucket's adjustment for a site (0 when the site has not labelled it); used by explanations. */
export function overlayAt(o: SiteOverlay, f: number, gen: number, refresh: (f: number, n0: number, n1: number) => number): number {
  const e = o.entries.get(f);
  if (e === undefined) return 0;
  if (e.gen !== gen) {
    e.adj = refresh(f, e.n0, e.n1);
    e.gen = gen;
  }
  return e.adj;
}
