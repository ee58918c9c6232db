import { readFileSync } from 'node:fs';
import type { FeatureOptions } from './features';
import type { Calibration } from './calibration';
import { vocabulary, type NbCounts } from './naive-bayes';

/** Bumped whenever the file layout or the meaning of features changes; loaders refuse other versions. */
export const FORMAT = 'vigil-naive-bayes';
export const FORMAT_VERSION = 2;

/** One binary Naive Bayes head: the main score or one toxicity attribute. Counts are sparse and delta-encoded. */
export interface HeadFile {
  docs: [number, number];
  total: [number, number];
  alpha: number;
  /** Buckets seen in training before pruning; smoothing uses it so loaded ratios equal the trained ones. */
  vocab: number;
  /** Sorted bucket ids, each stored as the difference from the previous one. */
  index: number[];
  neg: number[];
  pos: number[];
  calibration: Calibration;
}

export interface ModelFile {
  format: typeof FORMAT;
  formatVersion: number;
  name: string;
  task: 'spam' | 'toxicity';
  version: number;
  features: FeatureOptions;
  /** Document-frequency edges of the calibration's confidence classes (see naive-bayes.ts). */
  confidenceEdges: number[];
  /** Whether metadata features (links, author, fill time...) are used. */
  meta: boolean;
  /** Fixed log-odds for metadata features absent from the training data (see meta.ts). */
  metaPriors?: Record<string, number>;
  thresholds: { review: number; reject: number };
  heads: Record<string, HeadFile>;
  /** Free-form training provenance and measurements; not read when scoring. */
  training?: Record<string, unknown>;
}

/** Sparse-encodes counts, dropping buckets seen fewer than `minCount` times in total (pruning keeps files small). */
export function encodeCounts(c: NbCounts, minCount: number): Pick<HeadFile, 'index' | 'neg' | 'pos' | 'docs' | 'total' | 'vocab'> {
  const index: number[] = [];
  const neg: number[] = [];
  const pos: number[] = [];
  let prev = 0;
  for (let f = 0; f < c.size; f++) {
    if (c.neg[f] + c.pos[f] < Math.max(minCount, 1e-9)) continue;
    index.push(f - prev);
    prev = f;
    neg.push(Math.round(c.neg[f] * 1000) / 1000);
    pos.push(Math.round(c.pos[f] * 1000) / 1000);
  }
  return { index, neg, pos, docs: [...c.docs], total: [...c.total], vocab: vocabulary(c) };
}

/** Calls `visit` for every stored bucket of a head with its counts. */
export function forEachBucket(h: HeadFile, size: number, visit: (f: number, neg: number, pos: number) => void): void {
  let f = 0;
  for (let i = 0; i < h.index.length; i++) {
    f += h.index[i];
    if (f >= size) throw new Error(`bucket ${f} out of range (feature space ${size})`);
    visit(f, h.neg[i], h.pos[i]);
  }
}

/** Reads and checks a model file; every failure names the file and what is wrong with it. */
export function readModelFile(path: string): ModelFile {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read model file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let data: ModelFile;
  try {
    data = JSON.parse(raw) as ModelFile;
  } catch (e) {
    throw new Error(`model file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (!data || typeof data !== 'object' || data.format !== FORMAT) {
    throw new Error(`model file ${path} is not a ${FORMAT} model (format field is ${JSON.stringify(data?.format)})`);
  }
  if (data.formatVersion !== FORMAT_VERSION) {
    throw new Error(`model file ${path} has format version ${data.formatVersion}; this build reads version ${FORMAT_VERSION}`);
  }
  if (!Array.isArray(data.confidenceEdges)) throw new Error(`model file ${path} has no confidenceEdges`);
  if (data.task !== 'spam' && data.task !== 'toxicity') throw new Error(`model file ${path} has unknown task ${data.task}`);
  const head = data.heads?.score;
  if (!head || !Array.isArray(head.index) || head.index.length !== head.neg?.length || head.index.length !== head.pos?.length) {
    throw new Error(`model file ${path} has no valid "score" head`);
  }
  return data;
}
