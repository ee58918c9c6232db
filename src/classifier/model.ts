import { applyCalibration, sigmoid } from './calibration';
import { featurize, metaBucket, type Doc } from './doc';
import { explain } from './explain';
import { decodeCounts, type ModelFile } from './model-file';
import { buildTable, CONFIDENCE_EDGES, groupSums, N_INPUTS, type RuntimeHead } from './naive-bayes';
import type { Model, ModelResult, ScoreInput } from './types';

const N_CONF_TOP = CONFIDENCE_EDGES.length;

/** Builds the log-ratio table of one head, with metadata priors written over their buckets. */
function buildHead(file: ModelFile, name: string): RuntimeHead {
  const h = file.heads[name];
  const size = 2 ** file.features.bits;
  const table = buildTable(decodeCounts(h, size), h.alpha);
  if (file.meta && file.metaPriors && name === 'score') {
    for (const [k, llr] of Object.entries(file.metaPriors)) {
      const f = metaBucket(k, file.features);
      table.r[f] = llr;
      // Priors count as well-supported evidence: the highest confidence class.
      table.cls[f] = (N_CONF_TOP << 1) | (llr < 0 ? 1 : 0);
    }
  }
  if (h.calibration.weights.length !== N_INPUTS) throw new Error(`head ${name}: calibration has ${h.calibration.weights.length} weights, expected ${N_INPUTS}`);
  return { name, table, cal: h.calibration };
}

/** The Naive Bayes model behind both the spam and the toxicity score. */
export class NaiveBayesModel implements Model {
  readonly name: string;
  readonly task: 'spam' | 'toxicity';
  readonly version: number;
  readonly thresholds: { review: number; reject: number };
  readonly file: ModelFile;
  private readonly main: RuntimeHead;
  private readonly attrs: RuntimeHead[];
  private readonly x = new Float64Array(N_INPUTS);

  constructor(file: ModelFile) {
    this.file = file;
    this.name = file.name;
    this.task = file.task;
    this.version = file.version;
    this.thresholds = { ...file.thresholds };
    this.main = buildHead(file, 'score');
    this.attrs = Object.keys(file.heads)
      .filter((k) => k !== 'score')
      .map((k) => buildHead(file, k));
  }

  /** Features of an input as this model sees them. */
  featurize(input: ScoreInput): Doc {
    return featurize(input, this.file.features, this.file.meta);
  }

  /** Calibrated log-odds of one head for a featurised document. */
  logit(head: RuntimeHead, d: Doc): number {
    return applyCalibration(head.cal, groupSums(head.table, d, this.x));
  }

  score(input: ScoreInput, opts?: { explain?: boolean }): ModelResult {
    if (!input || typeof input.text !== 'string') throw new TypeError('score input needs a string "text"');
    const d = this.featurize(input);
    const result: ModelResult = { score: sigmoid(this.logit(this.main, d)) };
    if (this.attrs.length) {
      result.attributes = {};
      for (const h of this.attrs) result.attributes[h.name] = sigmoid(this.logit(h, d));
    }
    if (opts?.explain) result.explanation = explain(d, this.main, this.file.features);
    return result;
  }
}
