import { G_META, metaBucket, type Layout } from './features';
import type { ModelFile } from './model-file';
import { inputCount, inputOf } from './naive-bayes';
import { VarintReader } from './varint';

const LOG_TABLE = 4096;

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
    // The loop below is `ratio()` from naive-bayes.ts unrolled: it runs for every stored bucket of
    // every head at load time, so logs of small integer counts come from a table.
    const a = head.alpha;
    const lg = new Float64Array(LOG_TABLE);
    for (let n = 0; n < LOG_TABLE; n++) lg[n] = Math.log(n + a);
    const c = Math.log(head.total[0] + a * head.vocab) - Math.log(head.total[1] + a * head.vocab);
    const nConf = edges.length + 1;
    // Counts are decoded as they are used: materialising them as arrays first took a third of load time.
    const index = new VarintReader(head.index);
    const neg = new VarintReader(head.neg);
    const pos = new VarintReader(head.pos);
    const scale = head.scale;
    // Bucket ids are sorted and groups occupy consecutive ranges, so the group only moves forward.
    let g = 0;
    let f = 0;
    for (let i = 0; i < head.entries; i++) {
      f += index.next();
      if (f >= l.size) throw new Error(`head ${name}: bucket ${f} out of range (feature space ${l.size})`);
      while (g + 1 < l.offset.length && f >= l.offset[g + 1]) g++;
      let n0 = neg.next();
      let n1 = pos.next();
      if (scale !== 1) {
        n0 /= scale;
        n1 /= scale;
      }
      const l1 = n1 < LOG_TABLE && (n1 | 0) === n1 ? lg[n1] : Math.log(n1 + a);
      const l0 = n0 < LOG_TABLE && (n0 | 0) === n0 ? lg[n0] : Math.log(n0 + a);
      const r = l1 - l0 + c;
      const n = n0 + n1;
      let k = 0;
      while (k < edges.length && n >= edges[k]) k++;
      q[f * H + h] = w[g * 2 * nConf + k * 2 + (r < 0 ? 1 : 0)] * r;
    }
    index.end();
    neg.end();
    pos.end();
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

