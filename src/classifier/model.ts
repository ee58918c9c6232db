import { sigmoid } from './calibration';
import { applyCross } from './cross-stack';
import { featurize, layoutFor, type Doc } from './doc';
import type { TextFeatures, WordCache } from './features';
import { DEFAULT_SPAN_RULE, explain } from './explain';
import { Learner } from './learn';
import type { ModelFile } from './model-file';
import type { SpanRule } from './span-floor';
import { attributeRow, buildScoringTable, type ScoringTable } from './scoring-table';
import type { Model, ModelResult, ScoreInput, ScoreOptions } from './types';

/** The Naive Bayes model behind both the spam and the toxicity score. */
export class NaiveBayesModel implements Model {
  readonly name: string;
  readonly task: 'spam' | 'toxicity';
  readonly version: number;
  readonly thresholds: { review: number; reject: number };
  readonly attributeThresholds?: Record<string, { review: number; reject: number }>;
  readonly spanRule: SpanRule;
  readonly file: ModelFile;
  readonly table: ScoringTable;
  private readonly z: Float64Array;
  private readonly wordZ: Float64Array;
  private readonly crossZ: Float64Array;
  private learner?: Learner;
  private sums?: { cache: WordCache; epoch: number; ok: Uint8Array; sum: Float64Array };

  constructor(file: ModelFile) {
    this.file = file;
    this.name = file.name;
    this.task = file.task;
    this.version = file.version;
    this.thresholds = { ...file.thresholds };
    if (file.attributeThresholds) this.attributeThresholds = structuredClone(file.attributeThresholds);
    this.spanRule = file.spanRule ?? DEFAULT_SPAN_RULE;
    this.table = buildScoringTable(file, layoutFor(file.features));
    this.z = new Float64Array(this.table.bias.length);
    this.wordZ = new Float64Array(this.table.bias.length);
    this.crossZ = new Float64Array(this.table.bias.length);
  }

  /**
   * Moderator feedback: counts `input` as spam/toxic (label 1) or not (0) from now on, in this
   * process. Use weight -1 to withdraw an earlier call. See learn.ts for what is and is not updated.
   */
  learn(input: ScoreInput, label: 0 | 1, weight = 1, siteId?: string): void {
    this.learner ??= new Learner(this.file, this.table, layoutFor(this.file.features));
    // With a site, the example also counts extra for that site's own scores (site-overlay.ts).
    this.learner.learn(this.featurize(input), label, weight, siteId);
    // Learning changed bucket weights, so every word's cached sum may be stale.
    this.sums?.ok.fill(0);
  }

  /** Learns one example into site `siteId`'s overlay only (learn.ts `learnSite`): no other site's scores move. */
  learnSite(input: ScoreInput, label: 0 | 1, weight: number, siteId: string): void {
    this.learner ??= new Learner(this.file, this.table, layoutFor(this.file.features));
    this.learner.learnSite(this.featurize(input), label, weight, siteId);
  }

  /** Replaces site `siteId`'s overlay by a snapshot's buckets ([bucket, n0, n1]). */
  loadSite(siteId: string, buckets: Iterable<[number, number, number]>): void {
    this.learner ??= new Learner(this.file, this.table, layoutFor(this.file.features));
    this.learner.loadSite(siteId, buckets);
  }

  /** Sets the global delta several sites agreed on: global counts = trained + delta (learn.ts `setAgreed`). */
  setAgreed(delta: ReadonlyMap<number, readonly [number, number]>): void {
    this.learner ??= new Learner(this.file, this.table, layoutFor(this.file.features));
    // The global table changed, so every word's cached sum may be stale.
    if (this.learner.setAgreed(delta)) this.sums?.ok.fill(0);
  }

  /** The buckets learning `input` touches, in the order the overlay learns them (learn.ts `learnable`). */
  learnable(input: ScoreInput): number[] {
    this.learner ??= new Learner(this.file, this.table, layoutFor(this.file.features));
    return this.learner.learnable(this.featurize(input));
  }

  /** The model, with everything learned so far, as a model file object (JSON-serialisable); with a site, as that site scores. */
  toFile(siteId?: string): ModelFile {
    return this.learner ? this.learner.toFile(siteId) : this.file;
  }

  /** Features of an input as this model sees them. */
  featurize(input: ScoreInput): Doc {
    return featurize(input, this.file.features, this.file.meta);
  }

  /** Names of the heads `logits` returns, in order: the main score, then the attributes (toxicity). */
  get headNames(): string[] {
    return ['score', ...(this.table.attributes?.names ?? [])];
  }

  /** Calibrated log-odds of every head, in `headNames` order. */
  logits(d: Doc): Float64Array {
    const { bias, lengthWeight } = this.table;
    const H = bias.length;
    const z = this.z;
    const t = d.text;
    const len = Math.log1p(t.length);
    for (let h = 0; h < H; h++) z[h] = bias[h] + lengthWeight[h] * len;
    const sums = this.wordSums(t);
    if (sums) {
      const slots = t.slots;
      if (H === 1) {
        let z0 = z[0];
        for (let i = 0; i < slots.length; i++) z0 += sums[slots[i]];
        z[0] = z0;
      } else if (H === 2) {
        // The spam model with its link head (link-head.ts): the same unrolling as below.
        let z0 = z[0], z1 = z[1];
        for (let i = 0; i < slots.length; i++) {
          const b = slots[i] * 2;
          z0 += sums[b];
          z1 += sums[b + 1];
        }
        z[0] = z0;
        z[1] = z1;
      } else if (H === 6) {
        // The toxicity model's shape, unrolled into locals: writing z[h] inside the loop was twice as slow.
        let z0 = z[0], z1 = z[1], z2 = z[2], z3 = z[3], z4 = z[4], z5 = z[5];
        for (let i = 0; i < slots.length; i++) {
          const b = slots[i] * 6;
          z0 += sums[b];
          z1 += sums[b + 1];
          z2 += sums[b + 2];
          z3 += sums[b + 3];
          z4 += sums[b + 4];
          z5 += sums[b + 5];
        }
        z[0] = z0;
        z[1] = z1;
        z[2] = z2;
        z[3] = z3;
        z[4] = z4;
        z[5] = z5;
      } else if (H === 7) {
        // With the severe_toxic head: the same unrolling, one more local.
        let z0 = z[0], z1 = z[1], z2 = z[2], z3 = z[3], z4 = z[4], z5 = z[5], z6 = z[6];
        for (let i = 0; i < slots.length; i++) {
          const b = slots[i] * 7;
          z0 += sums[b];
          z1 += sums[b + 1];
          z2 += sums[b + 2];
          z3 += sums[b + 3];
          z4 += sums[b + 4];
          z5 += sums[b + 5];
          z6 += sums[b + 6];
        }
        z[0] = z0;
        z[1] = z1;
        z[2] = z2;
        z[3] = z3;
        z[4] = z4;
        z[5] = z5;
        z[6] = z6;
      } else {
        for (let i = 0; i < slots.length; i++) for (let h = 0; h < H; h++) z[h] += sums[slots[i] * H + h];
      }
      this.addBuckets(z, t.bigrams, t.bigrams.length);
    } else {
      // Features from before the word cache was last emptied: the flat bucket list gives the same sum.
      this.addBuckets(z, d.v.ids, d.v.length);
    }
    this.addBuckets(z, d.meta, d.meta.length);
    // Stacked attribute heads add a share of the main score's log-odds (HeadFile.stack).
    const st = this.table.stack;
    for (let h = 1; h < H; h++) z[h] += st[h] * z[0];
    const gates = this.table.gates;
    for (let h = 1; h < H; h++) {
      const g = gates[h];
      if (!g) continue;
      const has = d.metaNames.includes(g.cue);
      const [a, s] = has ? g.with : g.without;
      let zh = a + s * z[h];
      if (g.main) zh += g.main[has ? 0 : 1] * z[0];
      if (g.adjust) for (const [cue, w] of g.adjust) if (d.metaNames.includes(cue)) zh += w;
      z[h] = zh;
    }
    if (this.table.cross.length) applyCross(this.table.cross, z, this.crossZ, d.metaNames, d.text.words.length);
    return z;
  }

  /** Adds the weights of `n` buckets to every head's log-odds. */
  private addBuckets(z: Float64Array, ids: ArrayLike<number>, n: number): void {
    const { q, attributes } = this.table;
    let z0 = z[0];
    for (let i = 0; i < n; i++) z0 += q[ids[i]];
    z[0] = z0;
    if (!attributes) return;
    const A = attributes.names.length;
    const v = attributes.values;
    for (let i = 0; i < n; i++) {
      const r = attributeRow(attributes, ids[i]);
      if (r < 0) continue;
      for (let a = 0; a < A; a++) z[a + 1] += v[r * A + a];
    }
  }

  /** Sets `z` to the summed weights of one word's buckets (`e[1..]`, see TextFeatures) for every head. */
  private wordWeights(z: Float64Array, e: Int32Array): void {
    // Kept apart from addBuckets so each loop sees one array type (a mix made the JIT's code slower).
    const { q, attributes } = this.table;
    z.fill(0);
    let z0 = 0;
    for (let k = 1; k < e.length; k++) z0 += q[e[k]];
    z[0] = z0;
    if (!attributes) return;
    const A = attributes.names.length;
    const v = attributes.values;
    for (let k = 1; k < e.length; k++) {
      const r = attributeRow(attributes, e[k]);
      if (r < 0) continue;
      for (let a = 0; a < A; a++) z[a + 1] += v[r * A + a];
    }
  }

  /**
   * Per word-cache slot, the word's summed weights for every head (its unigram and char n-grams), filled
   * on first use: a word then costs one lookup instead of one per n-gram. Undefined when `t` was
   * featurised before the cache was last emptied (its slots may now hold other words).
   */
  private wordSums(t: TextFeatures): Float64Array | undefined {
    const cache = t.cache;
    if (t.epoch !== cache.epoch) return undefined;
    const H = this.z.length;
    let s = this.sums;
    if (!s || s.cache !== cache || s.epoch !== cache.epoch) {
      // A new epoch means slots were re-used: every stored sum is forgotten.
      if (s && s.cache === cache) s.ok.fill(0);
      else s = { cache, epoch: cache.epoch, ok: new Uint8Array(cache.slots), sum: new Float64Array(cache.slots * H) };
      s.epoch = cache.epoch;
      this.sums = s;
    }
    const { ok, sum } = s;
    const { words, slots } = t;
    const z = this.wordZ;
    for (let i = 0; i < words.length; i++) {
      const slot = slots[i];
      if (ok[slot]) continue;
      this.wordWeights(z, words[i]);
      sum.set(z, slot * H);
      ok[slot] = 1;
    }
    return sum;
  }

  /** The main score's calibrated log-odds of a featurised comment, with site `siteId`'s learned feedback (style-gate.ts). */
  logOdds(d: Doc, siteId?: string): number {
    const z = this.logits(d);
    if (siteId !== undefined && this.learner) this.learner.addSiteEvidence(siteId, d, z);
    return z[0];
  }

  score(input: ScoreInput, opts?: ScoreOptions): ModelResult {
    if (!input || typeof input.text !== 'string') throw new TypeError('score input needs a string "text"');
    const d = this.featurize(input);
    const z = this.logits(d);
    if (opts?.siteId !== undefined && this.learner) this.learner.addSiteEvidence(opts.siteId, d, z);
    const result: ModelResult = { score: sigmoid(z[0]) };
    if (z.length > 1) {
      result.attributes = {};
      const names = this.table.attributes!.names;
      for (let h = 1; h < z.length; h++) result.attributes[names[h - 1]] = sigmoid(z[h]);
    }
    if (opts?.explain) {
      const site = opts.siteId === undefined ? undefined : this.learner?.siteAdjustment(opts.siteId);
      result.explanation = explain(d, this.table, this.file.features, opts.explainTop, site, this.spanRule);
    }
    return result;
  }
}
