import type { Doc } from './doc';
import { groupOf, metaBucket, type Layout } from './features';
import { decodeCounts, decodeWeights, encodeSparse, type ModelFile } from './model-file';
import { inputOf } from './naive-bayes';
import type { ScoringTable } from './scoring-table';
import { OverlayBudget, overlayAt, overlaySum, SITE_WEIGHT, type OverlayLimits, type SiteOverlay } from './site-overlay';

/**
 * Moderator feedback for one model: adds labelled comments to the main head's counts and refreshes
 * the scoring table for the buckets they touch, so the next score already reflects them. Feedback that
 * names its site is also kept in that site's overlay (site-overlay.ts), which counts it again, with more
 * weight, when that site's comments are scored.
 * The smoothing constants (class totals, vocabulary) and the calibration stay as trained: feedback is
 * small next to the training data, and re-fitting calibration needs held-out data. `toFile()`
 * writes the learned counts into a new model file (for `vigil models export`), with the trained
 * constants, so the file scores exactly as this process does.
 */
export class Learner {
  private counts?: Map<number, [number, number]>;
  /** The trained counts (sorted bucket index, neg, pos): no withdrawal takes a bucket below them. */
  private trained?: { index: ArrayLike<number>; neg: ArrayLike<number>; pos: ArrayLike<number> };
  /** The agreed global delta (src/learning/agreement.ts) currently added to the trained counts, per bucket. */
  private agreed = new Map<number, [number, number]>();
  /** Learned weight of each stored bucket (nb-weights.ts); buckets not in it weigh 1. Empty for plain NB files. */
  private readonly weights = new Map<number, number>();
  private readonly fixed = new Set<number>();
  private readonly sites = new Map<string, SiteOverlay>();
  readonly budget: OverlayBudget;
  /** Bumped on every learnt example: cached site adjustments older than this are recomputed (kept in 30 bits). */
  private gen = 0;
  /** Net examples learnt per class, globally and per site (written into exported files' training notes). */
  private readonly examples = new Map<string, [number, number]>();
  private readonly c: number;
  private readonly refresh = (f: number, n0: number, n1: number): number => {
    const g = this.load().get(f);
    const site = this.qFor(f, (g?.[0] ?? 0) + SITE_WEIGHT * n0, (g?.[1] ?? 0) + SITE_WEIGHT * n1);
    return site - this.table.q[f * this.table.heads.length];
  };

  constructor(
    private readonly file: ModelFile,
    private readonly table: ScoringTable,
    private readonly layout: Layout,
    limits?: OverlayLimits,
  ) {
    const h = file.heads.score;
    this.c = Math.log(h.total[0] + h.alpha * h.vocab) - Math.log(h.total[1] + h.alpha * h.vocab);
    this.budget = new OverlayBudget(limits);
    // Buckets with hand-set priors keep them: feedback should not silently replace a documented rule.
    if (file.meta && file.metaPriors) for (const k of Object.keys(file.metaPriors)) this.fixed.add(metaBucket(k, layout));
  }

  private load(): Map<number, [number, number]> {
    if (!this.counts) {
      const { index, neg, pos } = decodeCounts(this.file.heads.score);
      const w = decodeWeights(this.file.heads.score);
      this.trained = { index, neg, pos };
      this.counts = new Map();
      for (let i = 0; i < index.length; i++) this.counts.set(index[i], [neg[i], pos[i]]);
      // Feedback changes a bucket's counts, hence its ratio; its learned weight stays as trained.
      if (w) for (let i = 0; i < index.length; i++) if (w[i] !== 1) this.weights.set(index[i], w[i]);
    }
    return this.counts;
  }

  /** Trained count of class `label` in bucket `f` (binary search in the file's sorted index; off the scoring path). */
  private trainedAt(f: number, label: 0 | 1): number {
    const t = this.trained!;
    let lo = 0;
    let hi = t.index.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const g = t.index[mid];
      if (g === f) return label ? t.pos[mid] : t.neg[mid];
      if (g < f) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  /** Moves bucket `f`'s global counts by (d0, d1), never below the trained counts, and refreshes its table value. */
  private moveGlobal(f: number, d0: number, d1: number): void {
    const counts = this.load();
    const H = this.table.heads.length;
    const n = counts.get(f) ?? [0, 0];
    n[0] = Math.max(this.trainedAt(f, 0), n[0] + d0);
    n[1] = Math.max(this.trainedAt(f, 1), n[1] + d1);
    if (n[0] + n[1] <= 0) {
      // Back to never seen: an unknown feature says nothing, as after training.
      counts.delete(f);
      this.table.q[f * H] = 0;
      return;
    }
    counts.set(f, n);
    this.table.q[f * H] = this.qFor(f, n[0], n[1]);
  }

  /**
   * The buckets one example touches when it is learnt, in order: each distinct word and bigram bucket, then the
   * metadata buckets, without the hand-set ones. The learning fold (src/learning/site-state.ts) uses the same list,
   * so a site's snapshot holds exactly what this process's overlay holds.
   */
  learnable(d: Doc): number[] {
    const out: number[] = [];
    for (let i = 0; i < d.v.length; i++) if (!this.fixed.has(d.v.ids[i])) out.push(d.v.ids[i]);
    for (const f of d.meta) if (!this.fixed.has(f)) out.push(f);
    return out;
  }

  /** The main head's scoring-table value for bucket `f` with counts n0, n1 (what buildScoringTable computes). */
  private qFor(f: number, n0: number, n1: number): number {
    if (n0 + n1 <= 0) return 0;
    const head = this.file.heads.score;
    const edges = this.file.confidenceEdges;
    const r = Math.log(n1 + head.alpha) - Math.log(n0 + head.alpha) + this.c;
    let k = 0;
    while (k < edges.length && n0 + n1 >= edges[k]) k++;
    return head.calibration.weights[inputOf(groupOf(f, this.layout), k * 2 + (r < 0 ? 1 : 0), edges)] * (this.weights.get(f) ?? 1) * r;
  }

  /**
   * Adds (weight > 0) or withdraws (weight < 0) one document as `label` (1 = spam / toxic), globally and, when
   * `siteId` is given, in that site's overlay too.
   */
  learn(d: Doc, label: 0 | 1, weight = 1, siteId?: string): void {
    this.load();
    let overlay = siteId === undefined ? undefined : this.sites.get(siteId);
    if (siteId !== undefined && !overlay && weight > 0) {
      overlay = this.budget.open();
      if (overlay) this.sites.set(siteId, overlay);
    }
    for (const f of this.learnable(d)) {
      if (overlay) this.budget.add(overlay, f, label, weight);
      // A withdrawal never takes a bucket below its trained counts, whatever was learnt or trimmed before it.
      this.moveGlobal(f, label ? 0 : weight, label ? weight : 0);
    }
    // An overlay emptied by withdrawals is dropped, so the site is back to paying nothing when scored.
    if (siteId !== undefined && overlay && overlay.size === 0) {
      this.sites.delete(siteId);
      this.budget.close();
    }
    for (const key of siteId === undefined ? [''] : ['', siteId]) {
      const e = this.examples.get(key) ?? [0, 0];
      e[label] += weight;
      this.examples.set(key, e);
    }
    this.gen = (this.gen + 1) & 0x3fffffff;
  }

  /**
   * Adds (weight > 0) or withdraws (weight < 0) one document as `label` in site `siteId`'s overlay only: it moves
   * that site's scores and nobody else's. The service learns sites' feedback this way; the global counts change only
   * through `setAgreed`.
   */
  learnSite(d: Doc, label: 0 | 1, weight: number, siteId: string): void {
    this.load();
    let overlay = this.sites.get(siteId);
    if (!overlay && weight > 0) {
      overlay = this.budget.open();
      if (overlay) this.sites.set(siteId, overlay);
    }
    if (overlay) for (const f of this.learnable(d)) this.budget.add(overlay, f, label, weight);
    this.dropIfEmpty(siteId);
    this.count(siteId, label, weight);
  }

  /** Replaces site `siteId`'s overlay by the given buckets (a snapshot's; src/learning/site-state.ts). */
  loadSite(siteId: string, buckets: Iterable<[number, number, number]>): void {
    this.load();
    const old = this.sites.get(siteId);
    if (old) {
      this.budget.used -= old.size;
      this.sites.delete(siteId);
      this.budget.close();
    }
    const o = this.budget.open();
    if (o) {
      this.sites.set(siteId, o);
      for (const [f, n0, n1] of buckets) {
        if (this.fixed.has(f)) continue;
        if (n0 > 0) this.budget.add(o, f, 0, n0);
        if (n1 > 0) this.budget.add(o, f, 1, n1);
      }
      this.dropIfEmpty(siteId);
    }
    this.gen = (this.gen + 1) & 0x3fffffff;
  }

  /**
   * Sets the global delta the sites agreed on (src/learning/agreement.ts): every bucket's global counts become the
   * trained counts plus its delta (plus whatever `learn` added in this process). Returns whether anything changed.
   */
  setAgreed(delta: ReadonlyMap<number, readonly [number, number]>): boolean {
    let changed = false;
    for (const [f, old] of this.agreed) {
      const next = delta.get(f);
      if (next && next[0] === old[0] && next[1] === old[1]) continue;
      this.moveGlobal(f, (next?.[0] ?? 0) - old[0], (next?.[1] ?? 0) - old[1]);
      changed = true;
    }
    for (const [f, next] of delta) {
      if (this.agreed.has(f) || this.fixed.has(f) || (next[0] <= 0 && next[1] <= 0)) continue;
      this.moveGlobal(f, Math.max(0, next[0]), Math.max(0, next[1]));
      changed = true;
    }
    this.agreed = new Map([...delta].filter(([f, n]) => !this.fixed.has(f) && (n[0] > 0 || n[1] > 0)).map(([f, n]) => [f, [Math.max(0, n[0]), Math.max(0, n[1])]]));
    if (changed) this.gen = (this.gen + 1) & 0x3fffffff;
    return changed;
  }

  private dropIfEmpty(siteId: string): void {
    const o = this.sites.get(siteId);
    // An overlay emptied by withdrawals is dropped, so the site is back to paying nothing when scored.
    if (o && o.size === 0) {
      this.sites.delete(siteId);
      this.budget.close();
    }
  }

  private count(siteId: string, label: 0 | 1, weight: number): void {
    const e = this.examples.get(siteId) ?? [0, 0];
    e[label] += weight;
    this.examples.set(siteId, e);
    this.gen = (this.gen + 1) & 0x3fffffff;
  }

  /** Adds site `siteId`'s overlay to the main head's log-odds `z[0]`; nothing happens for a site without feedback. */
  addSiteEvidence(siteId: string, d: Doc, z: Float64Array): void {
    const o = this.sites.get(siteId);
    if (o) z[0] += overlaySum(o, d, this.gen, this.refresh);
  }

  /** The extra log-odds site `siteId` gives bucket `f` (0 for buckets and sites without site feedback). */
  siteAdjustment(siteId: string): ((f: number) => number) | undefined {
    const o = this.sites.get(siteId);
    return o && ((f) => overlayAt(o, f, this.gen, this.refresh));
  }

  /** How many buckets a site's overlay holds (0: the site scores with the global model alone). */
  siteBuckets(siteId: string): number {
    return this.sites.get(siteId)?.size ?? 0;
  }

  /**
   * The model file with the learned counts in its main head: the global counts, or with `siteId` the counts that
   * site scores with (global plus SITE_WEIGHT times the site's own).
   */
  toFile(siteId?: string): ModelFile {
    if (!this.counts) return this.file;
    const all = new Map(this.counts);
    const o = siteId === undefined ? undefined : this.sites.get(siteId);
    if (o) {
      for (const [f, n0, n1] of o.buckets()) {
        const g = all.get(f) ?? [0, 0];
        all.set(f, [g[0] + SITE_WEIGHT * n0, g[1] + SITE_WEIGHT * n1]);
      }
    }
    const buckets = [...all.keys()].filter((f) => all.get(f)![0] + all.get(f)![1] > 0).sort((x, y) => x - y);
    const weights = this.file.heads.score.weights === undefined ? undefined : buckets.map((f) => this.weights.get(f) ?? 1);
    const enc = encodeSparse(buckets, buckets.map((f) => all.get(f)![0]), buckets.map((f) => all.get(f)![1]), weights);
    const score = { ...this.file.heads.score, ...enc };
    const learnt = {
      examples: [...(this.examples.get('') ?? [0, 0])],
      ...(siteId === undefined ? {} : { site: siteId, siteExamples: [...(this.examples.get(siteId) ?? [0, 0])], siteWeight: SITE_WEIGHT }),
    };
    return { ...this.file, heads: { ...this.file.heads, score }, training: { ...this.file.training, learnt } };
  }
}
