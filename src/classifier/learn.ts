import type { Doc } from './doc';
import { groupOf, metaBucket, type Layout } from './features';
import { decodeCounts, encodeSparse, type ModelFile } from './model-file';
import { inputOf } from './naive-bayes';
import type { ScoringTable } from './scoring-table';

/**
 * Moderator feedback for one model: adds labelled comments to the main head's counts and refreshes
 * the scoring table for the buckets they touch, so the next score already reflects them.
 * The smoothing constants (class totals, vocabulary) and the calibration stay as trained: feedback is
 * small next to the training data, and re-fitting calibration needs held-out data. `toFile()`
 * writes the learned counts into a new model file (for `vigil models export`).
 */
export class Learner {
  private counts?: Map<number, [number, number]>;
  private readonly fixed = new Set<number>();
  private docs: [number, number];
  private total: [number, number];

  constructor(
    private readonly file: ModelFile,
    private readonly table: ScoringTable,
    private readonly layout: Layout,
  ) {
    const h = file.heads.score;
    this.docs = [h.docs[0], h.docs[1]];
    this.total = [h.total[0], h.total[1]];
    // Buckets with hand-set priors keep them: feedback should not silently replace a documented rule.
    if (file.meta && file.metaPriors) for (const k of Object.keys(file.metaPriors)) this.fixed.add(metaBucket(k, layout));
  }

  private load(): Map<number, [number, number]> {
    if (!this.counts) {
      const { index, neg, pos } = decodeCounts(this.file.heads.score);
      this.counts = new Map();
      for (let i = 0; i < index.length; i++) this.counts.set(index[i], [neg[i], pos[i]]);
    }
    return this.counts;
  }

  /** Adds (weight > 0) or withdraws (weight < 0) one document as `label` (1 = spam / toxic). */
  learn(d: Doc, label: 0 | 1, weight = 1): void {
    const counts = this.load();
    const head = this.file.heads.score;
    const H = this.table.heads.length;
    const w = head.calibration.weights;
    const edges = this.file.confidenceEdges;
    const a = head.alpha;
    const c = Math.log(head.total[0] + a * head.vocab) - Math.log(head.total[1] + a * head.vocab);
    const touch = (f: number): void => {
      if (this.fixed.has(f)) return;
      const n = counts.get(f) ?? [0, 0];
      n[label] = Math.max(0, n[label] + weight);
      if (n[0] + n[1] <= 0) {
        // Back to never seen: an unknown feature says nothing, as after training.
        counts.delete(f);
        this.table.q[f * H] = 0;
        return;
      }
      counts.set(f, n);
      const r = Math.log(n[1] + a) - Math.log(n[0] + a) + c;
      let k = 0;
      while (k < edges.length && n[0] + n[1] >= edges[k]) k++;
      this.table.q[f * H] = w[inputOf(groupOf(f, this.layout), k * 2 + (r < 0 ? 1 : 0), edges)] * r;
    };
    for (let i = 0; i < d.v.length; i++) touch(d.v.ids[i]);
    for (const f of d.meta) touch(f);
    this.docs[label] += weight;
    this.total[label] += (d.v.length + d.meta.length) * weight;
  }

  /** The model file with the learned counts in its main head. */
  toFile(): ModelFile {
    if (!this.counts) return this.file;
    const buckets = [...this.counts.keys()].filter((f) => this.counts!.get(f)![0] + this.counts!.get(f)![1] > 0).sort((x, y) => x - y);
    const enc = encodeSparse(buckets, buckets.map((f) => this.counts!.get(f)![0]), buckets.map((f) => this.counts!.get(f)![1]));
    const score = { ...this.file.heads.score, ...enc, docs: [...this.docs] as [number, number], total: [...this.total] as [number, number] };
    return { ...this.file, heads: { ...this.file.heads, score } };
  }
}
