import { G_META, groupOf, metaBucket, type Layout } from './features';
import { forEachBucket, type ModelFile } from './model-file';
import { inputCount, inputOf, ratio } from './naive-bayes';

/**
 * Scoring table: for bucket f and head h, `q[f * heads + h]` is the bucket's log-ratio already
 * multiplied by its calibration weight. Keeping a bucket's heads side by side costs one cache miss
 * per feature for all heads, which is what makes scoring fast.
 */
export interface ScoringTable {
  heads: string[];
  q: Float32Array;
  bias: Float64Array;
  lengthWeight: Float64Array;
}

/** Builds the scoring table from the file's counts; metadata priors replace the counts of their buckets. */
export function buildScoringTable(file: ModelFile, l: Layout): ScoringTable {
  const heads = ['score', ...Object.keys(file.heads).filter((k) => k !== 'score')];
  const H = heads.length;
  const q = new Float32Array(l.size * H);
  const bias = new Float64Array(H);
  const lengthWeight = new Float64Array(H);
  heads.forEach((name, h) => {
    const head = file.heads[name];
    const w = head.calibration.weights;
    const edges = file.confidenceEdges;
    const nIn = inputCount(edges);
    if (w.length !== nIn) throw new Error(`head ${name}: calibration has ${w.length} weights, expected ${nIn}`);
    const s = { alpha: head.alpha, vocab: head.vocab, total: head.total, edges };
    forEachBucket(head, l.size, (f, n0, n1) => {
      const { r, cls } = ratio(n0, n1, s);
      q[f * H + h] = w[inputOf(groupOf(f, l), cls, edges)] * r;
    });
    bias[h] = head.calibration.bias;
    lengthWeight[h] = w[nIn - 1];
    if (h === 0 && file.meta && file.metaPriors) {
      // Priors count as well-supported evidence: the highest confidence class.
      const top = edges.length * 2;
      for (const [k, llr] of Object.entries(file.metaPriors)) {
        q[metaBucket(k, l) * H] = w[inputOf(G_META, top + (llr < 0 ? 1 : 0), edges)] * llr;
      }
    }
  });
  return { heads, q, bias, lengthWeight };
}

