import { compileCross, type CompiledCross } from './cross-stack';
import { metaBucket, type Layout } from './features';
import { WEIGHT_SCALE, type HeadFile, type HeadGate, type ModelFile } from './model-file';
import { inputCount } from './naive-bayes';

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
 * Absolute bucket ids of a head (its `index` holds the differences), decoded once per distinct list: attribute heads
 * trained on the same comments share one. Throws if an id is outside the feature space.
 */
function bucketIds(name: string, head: HeadFile, l: Layout, decoded: Map<string, Int32Array>): Int32Array {
  let ids = decoded.get(head.index);
  if (ids) return ids;
  const buf = Buffer.from(head.index, 'base64');
  ids = new Int32Array(head.entries);
  let p = 0;
  let f = 0;
  for (let i = 0; i < ids.length; i++) {
    // Unsigned LEB128 (varint.ts), read inline: a call per value was most of the load time before the JIT optimised it.
    let b = buf[p++];
    let x = b & 0x7f;
    for (let mul = 0x80; b >= 0x80; mul *= 0x80) x += ((b = buf[p++]) & 0x7f) * mul;
    ids[i] = f += x;
  }
  if (p !== buf.length || (ids.length && (ids[ids.length - 1] >= l.size || !(ids[ids.length - 1] >= 0)))) {
    throw new Error(`head ${name}: bucket ids do not match its ${head.entries} entries or fall outside the feature space (${l.size})`);
  }
  decoded.set(head.index, ids);
  return ids;
}

/**
 * Writes the calibrated weight of every stored bucket of one head (`ratio()` from naive-bayes.ts, times the
 * calibration weight of the bucket's group, confidence class and sign, times its learned weight) at
 * `out[at[i] * stride + offset]` for the i-th bucket `ids[i]`. Loading runs this loop once per head over hundreds of
 * thousands of buckets, mostly before the JIT has optimised it, so it is one small loop with the varints read inline,
 * no calls, and no branch that only some files take (a larger loop with such branches was recompiled several times per
 * load, and the compiler's time was most of the load time).
 */
function headWeights(name: string, head: HeadFile, file: ModelFile, l: Layout, ids: Int32Array, at: Int32Array, out: Float32Array, stride: number, offset: number): void {
  const w = Float64Array.from(head.calibration.weights);
  const edges = Float64Array.from(file.confidenceEdges);
  const nIn = inputCount(file.confidenceEdges);
  if (w.length !== nIn) throw new Error(`head ${name}: calibration has ${w.length} weights, expected ${nIn}`);
  const groupStart = Float64Array.from(l.offset);
  const a = head.alpha;
  // Logs of small integer counts come from a table.
  const lg = new Float64Array(LOG_TABLE);
  for (let n = 0; n < LOG_TABLE; n++) lg[n] = Math.log(n + a);
  const c = Math.log(head.total[0] + a * head.vocab) - Math.log(head.total[1] + a * head.vocab);
  const nConf = edges.length + 1;
  const nb = Buffer.from(head.neg, 'base64');
  const pb = Buffer.from(head.pos, 'base64');
  // Learned bucket weights (nb-weights.ts), zigzag varints aligned with the buckets; a file without them reads as all 1
  // (zigzag 0) from a buffer of zeros, so the loop has one shape.
  const wb = head.weights === undefined ? Buffer.alloc(head.entries) : Buffer.from(head.weights, 'base64');
  const scale = head.scale;
  // Lengths are read before the loop: code that first runs after the loop would send its optimised version back.
  const nEnd = nb.length;
  const pEnd = pb.length;
  const wEnd = wb.length;
  const n = ids.length;
  let np = 0;
  let pp = 0;
  let wp = 0;
  // Bucket ids are sorted and groups occupy consecutive ranges, so the group only moves forward.
  let g = 0;
  for (let i = 0; i < n; i++) {
    let b = nb[np++];
    let n0 = b & 0x7f;
    for (let mul = 0x80; b >= 0x80; mul *= 0x80) n0 += ((b = nb[np++]) & 0x7f) * mul;
    b = pb[pp++];
    let n1 = b & 0x7f;
    for (let mul = 0x80; b >= 0x80; mul *= 0x80) n1 += ((b = pb[pp++]) & 0x7f) * mul;
    b = wb[wp++];
    let u = b & 0x7f;
    for (let mul = 0x80; b >= 0x80; mul *= 0x80) u += ((b = wb[wp++]) & 0x7f) * mul;
    // Dividing by a scale of 1 changes nothing, and is cheaper than a branch the first file may never take.
    n0 /= scale;
    n1 /= scale;
    const l1 = n1 < LOG_TABLE && (n1 | 0) === n1 ? lg[n1] : Math.log(n1 + a);
    const l0 = n0 < LOG_TABLE && (n0 | 0) === n0 ? lg[n0] : Math.log(n0 + a);
    const r = l1 - l0 + c;
    const total = n0 + n1;
    let k = 0;
    while (k < edges.length && total >= edges[k]) k++;
    const f = ids[i];
    while (g + 1 < groupStart.length && f >= groupStart[g + 1]) g++;
    // Zigzag decoded without a branch (u odd: -(u + 1) / 2, even: u / 2; exact either way).
    const odd = u % 2;
    out[at[i] * stride + offset] = w[g * 2 * nConf + k * 2 + (r < 0 ? 1 : 0)] * r * (1 + (u - odd * (2 * u + 1)) / 2 / WEIGHT_SCALE);
  }
  if (np !== nEnd || pp !== pEnd || wp !== wEnd) throw new Error(`head ${name}: count data does not match its ${head.entries} entries`);
}

/** Bucket ids in any of the sorted `lists`, sorted and without repeats. */
function unionOfBuckets(lists: Int32Array[]): Int32Array {
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

/** For each id of `ids` (sorted), its position in `all` (sorted, a superset). */
function positionsIn(ids: Int32Array, all: Int32Array): Int32Array {
  const at = new Int32Array(ids.length);
  // Both lists are sorted, so the position only moves forward.
  let row = 0;
  for (let i = 0; i < ids.length; i++) {
    while (row < all.length && all[row] < ids[i]) row++;
    at[i] = row;
  }
  return at;
}

function attributeTable(file: ModelFile, names: string[], l: Layout, decoded: Map<string, Int32Array>): AttributeTable {
  const headIds = names.map((n) => bucketIds(n, file.heads[n], l, decoded));
  const lists = [...new Set(headIds)];
  const ids = lists.length === 1 ? lists[0] : unionOfBuckets(lists);
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
  const at = new Map(lists.map((list) => [list, positionsIn(list, ids)]));
  names.forEach((name, a) => headWeights(name, file.heads[name], file, l, headIds[a], at.get(headIds[a])!, table.values, A, a));
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
  const decoded = new Map<string, Int32Array>();
  const scoreIds = bucketIds('score', file.heads.score, l, decoded);
  headWeights('score', file.heads.score, file, l, scoreIds, scoreIds, q, 1, 0);
  if (file.meta && file.metaPriors) {
    // Priors are fixed log-odds, added as they are: scaled by a calibration weight they could change sign, since the
    // calibration of a metadata class fitted on training data may come out negative (it did for the news-trained
    // spam model, which would have turned a site's allow list into spam evidence).
    for (const [k, llr] of Object.entries(file.metaPriors)) q[metaBucket(k, l)] = llr;
  }
  const cross = compileCross(all, all.map((name) => file.heads[name].cross));
  return { heads: ['score'], q, bias, lengthWeight, stack, gates, cross, ...(names.length ? { attributes: attributeTable(file, names, l, decoded) } : {}) };
}
