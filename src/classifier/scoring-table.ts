import { compileCross, type CompiledCross } from './cross-stack';
import { metaBucket, type Layout } from './features';
import { WEIGHT_SCALE, type HeadFile, type HeadGate, type ModelFile } from './model-file';
import { inputCount } from './naive-bayes';
import { VarintReader } from './varint';

const LOG_TABLE = 4096;

/**
 * Scoring table. `q[f]` is the main head's log-ratio for bucket f already multiplied by its calibration
 * weight, in a dense array (one lookup per feature, and the array moderator feedback updates, learn.ts).
 * The per-attribute heads (toxic, obscene...) are trained on far fewer comments, so they have weights for
 * a third as many buckets; they live in a hash table of those buckets (`AttributeTable`): a dense
 * array for five more heads was 13 MB, and touching that much fresh memory was most of the load time.
 */
export interface ScoringTable {
  /** Heads whose weights are in `q`, at `q[f * heads.length + h]`: the main score only. */
  heads: string[];
  q: Float32Array;
  /** Calibration bias and length weight of every head: the main score, then `attributes.names`. */
  bias: Float64Array;
  lengthWeight: Float64Array;
  /** Per head, the weight of the main score's log-odds in its own (HeadFile.stack; 0 for the main score). */
  stack: Float64Array;
  /** Per head, its gate (HeadFile.gate) or undefined. */
  gates: Array<HeadGate | undefined>;
  /** Cross stacks of the heads that have one (HeadFile.cross), applied after stacks and gates; usually empty. */
  cross: CompiledCross[];
  attributes?: AttributeTable;
}

/** Weights of the attribute heads for the buckets they have: `values[row * names.length + a]`. */
export interface AttributeTable {
  names: string[];
  /** Open addressing: `keys[s]` is a bucket id or -1, `rows[s]` its row in `values`. */
  keys: Int32Array;
  rows: Int32Array;
  values: Float32Array;
  /** One bit per bucket of the feature space, set for the buckets in `keys`: most features have no
   * attribute weight, and this 80 KB bitmap stays in the CPU cache where the hash table would miss. */
  has: Uint32Array;
}

/** Row of bucket `f` in an attribute table, or -1 when no attribute head has it. */
export function attributeRow(a: AttributeTable, f: number): number {
  if ((a.has[f >>> 5] & (1 << (f & 31))) === 0) return -1;
  const mask = a.keys.length - 1;
  for (let s = Math.imul(f, 0x9e3779b1) & mask; ; s = (s + 1) & mask) {
    const k = a.keys[s];
    if (k === f) return a.rows[s];
    if (k === -1) return -1;
  }
}

/**
 * Writes the weight of every stored bucket of one head into `out` (the counts are decoded as they are
 * used): at `out[f]`, or with `rows` (sorted bucket ids, a superset of the head's) at
 * `out[row * stride + offset]` where `rows[row] === f`.
 */
function headWeights(name: string, head: HeadFile, file: ModelFile, l: Layout, out: Float32Array, rows?: Int32Array, stride = 1, offset = 0): void {
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
  // Varints are read inline (one byte is the common case): this loop runs before the JIT has
  // optimised it, where a method call per value was most of the load time.
  const ib = Buffer.from(head.index, 'base64');
  const nb = Buffer.from(head.neg, 'base64');
  const pb = Buffer.from(head.pos, 'base64');
  let ip = 0;
  let np = 0;
  let pp = 0;
  const scale = head.scale;
  // Learned bucket weights (nb-weights.ts), zigzag varints aligned with the buckets; none: all 1.
  const wb = head.weights === undefined ? undefined : Buffer.from(head.weights, 'base64');
  let wp = 0;
  // Bucket ids are sorted and groups occupy consecutive ranges, so the group only moves forward.
  let g = 0;
  let f = 0;
  let row = 0;
  for (let i = 0; i < head.entries; i++) {
    let x = ib[ip++];
    if (!(x < 0x80)) {
      x = varintAt(ib, ip - 1);
      ip = varintEnd;
    }
    f += x;
    if (f >= l.size) throw new Error(`head ${name}: bucket ${f} out of range (feature space ${l.size})`);
    while (g + 1 < l.offset.length && f >= l.offset[g + 1]) g++;
    let n0 = nb[np++];
    if (!(n0 < 0x80)) {
      n0 = varintAt(nb, np - 1);
      np = varintEnd;
    }
    let n1 = pb[pp++];
    if (!(n1 < 0x80)) {
      n1 = varintAt(pb, pp - 1);
      pp = varintEnd;
    }
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
    let v = w[g * 2 * nConf + k * 2 + (r < 0 ? 1 : 0)] * r;
    if (wb) {
      let u = wb[wp++];
      if (!(u < 0x80)) {
        u = varintAt(wb, wp - 1);
        wp = varintEnd;
      }
      v *= 1 + (u % 2 ? -(u + 1) / 2 : u / 2) / WEIGHT_SCALE;
    }
    if (rows) {
      // Both lists are sorted, so the row only moves forward.
      while (row < rows.length && rows[row] < f) row++;
      out[row * stride + offset] = v;
    } else out[f] = v;
  }
  if (ip !== ib.length || np !== nb.length || pp !== pb.length || (wb && wp !== wb.length)) throw new Error(`head ${name}: count data does not match its ${head.entries} entries`);
}

// End position of the last `varintAt` read (a module variable, so the hot loop allocates nothing).
let varintEnd = 0;

/** The varint starting at `buf[p]`; sets `varintEnd`. Throws if the data ends inside it. */
function varintAt(buf: Buffer, p: number): number {
  let v = 0;
  let mul = 1;
  for (;;) {
    if (p >= buf.length) throw new Error('varint data ends early');
    const byte = buf[p++];
    v += (byte & 0x7f) * mul;
    if (byte < 0x80) break;
    mul *= 0x80;
  }
  varintEnd = p;
  return v;
}

/** Bucket ids stored by any of `heads` (sorted, without repeats). */
function unionOfBuckets(heads: HeadFile[]): Int32Array {
  // Attribute heads are mostly trained on the same comments, so most store the same buckets: each distinct
  // bucket list is decoded once (the threat head, trained on more comments, has its own).
  const lists = [...new Map(heads.map((h) => [h.index, h])).values()].map((h) => {
    const ids = new Int32Array(h.entries);
    const r = new VarintReader(h.index);
    let f = 0;
    for (let i = 0; i < h.entries; i++) ids[i] = f += r.next();
    return ids;
  });
  // Sorted lists merged pairwise, without repeats.
  return lists.reduce((a, b) => {
    const out = new Int32Array(a.length + b.length);
    let i = 0;
    let j = 0;
    let n = 0;
    while (i < a.length || j < b.length) {
      const x = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
      if (n === 0 || out[n - 1] !== x) out[n++] = x;
    }
    return out.subarray(0, n);
  });
}

function attributeTable(file: ModelFile, names: string[], l: Layout): AttributeTable {
  const ids = unionOfBuckets(names.map((n) => file.heads[n]));
  let cap = 1024;
  while (cap < ids.length * 2) cap *= 2;
  const keys = new Int32Array(cap).fill(-1);
  const rows = new Int32Array(cap);
  for (let i = 0; i < ids.length; i++) {
    let s = Math.imul(ids[i], 0x9e3779b1) & (cap - 1);
    while (keys[s] !== -1) s = (s + 1) & (cap - 1);
    keys[s] = ids[i];
    rows[s] = i;
  }
  const A = names.length;
  const has = new Uint32Array((l.size >>> 5) + 1);
  for (let i = 0; i < ids.length; i++) has[ids[i] >>> 5] |= 1 << (ids[i] & 31);
  const table: AttributeTable = { names, keys, rows, values: new Float32Array(ids.length * A), has };
  names.forEach((name, a) => headWeights(name, file.heads[name], file, l, table.values, ids, A, a));
  return table;
}

/** Builds the scoring table from the file's counts; metadata priors replace the counts of their buckets. */
export function buildScoringTable(file: ModelFile, l: Layout): ScoringTable {
  const names = Object.keys(file.heads).filter((k) => k !== 'score');
  const all = ['score', ...names];
  const q = new Float32Array(l.size);
  const bias = new Float64Array(all.length);
  const lengthWeight = new Float64Array(all.length);
  const stack = new Float64Array(all.length);
  const gates = all.map((name) => file.heads[name].gate);
  all.forEach((name, h) => {
    const head = file.heads[name];
    bias[h] = head.calibration.bias;
    if (h > 0) stack[h] = head.stack ?? 0;
    lengthWeight[h] = head.calibration.weights[inputCount(file.confidenceEdges) - 1];
  });
  const score = file.heads.score;
  headWeights('score', score, file, l, q);
  if (file.meta && file.metaPriors) {
    // Priors are fixed log-odds, added as they are: scaled by a calibration weight they could change sign, since the
    // calibration of a metadata class fitted on training data may come out negative (it did for the news-trained
    // spam model, which would have turned a site's allow list into spam evidence).
    for (const [k, llr] of Object.entries(file.metaPriors)) q[metaBucket(k, l)] = llr;
  }
  const cross = compileCross(all, all.map((name) => file.heads[name].cross));
  return { heads: ['score'], q, bias, lengthWeight, stack, gates, cross, ...(names.length ? { attributes: attributeTable(file, names, l) } : {}) };
}
