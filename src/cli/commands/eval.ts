import { bundledModelPath, loadModelFile, type Model } from '../../classifier';
import { loadToxicityDataset } from '../../classifier/language-datasets';
import { loadSpamDataset } from '../../classifier/spam-datasets';
import { metricsAt, rocAuc, thresholdTable, type BinaryMetrics } from '../../classifier/metrics';
import { splitHoldout } from '../../classifier/split';
import { parseCommandArgs, type CliIo } from '../io';

/** Usage text, for the dispatcher's help. */
export const help =
  'usage: vigil eval --model spam|toxicity|PATH --data PATH [--data PATH...] [--threshold T] [--holdout FRACTION --seed N] [--json]\n';

const pct = (x: number): string => (x * 100).toFixed(1).padStart(5) + '%';

function report(name: string, probs: number[], labels: number[], threshold: number): { text: string; json: object } {
  const m = metricsAt(probs, labels, threshold);
  const auc = rocAuc(probs, labels);
  const c = m.confusion;
  const row = (t: BinaryMetrics): string =>
    `  ${t.threshold.toFixed(2)}  ${pct(t.precision)}  ${pct(t.recall)}  ${t.f1.toFixed(3)}  ${t.macroF1.toFixed(3)}  ${pct(t.fpr)}  ${pct(t.accuracy)}`;
  const table = thresholdTable(probs, labels, [...new Set([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, threshold])].sort((a, b) => a - b));
  const text = [
    `== ${name}: ${labels.length} documents, ${labels.filter(Boolean).length} positive`,
    `threshold ${threshold}`,
    `accuracy  ${m.accuracy.toFixed(4)}`,
    `precision ${m.precision.toFixed(4)}`,
    `recall    ${m.recall.toFixed(4)}`,
    `F1        ${m.f1.toFixed(4)}`,
    `macro-F1  ${m.macroF1.toFixed(4)}`,
    `ROC-AUC   ${auc.toFixed(4)}`,
    `FPR       ${m.fpr.toFixed(4)}`,
    `confusion matrix (rows = truth, columns = predicted)`,
    `             pred 0  pred 1`,
    `  true 0  ${String(c.tn).padStart(8)}${String(c.fp).padStart(8)}`,
    `  true 1  ${String(c.fn).padStart(8)}${String(c.tp).padStart(8)}`,
    `threshold table`,
    `  thr   precision  recall  F1     macroF1  FPR     accuracy`,
    ...table.map(row),
    '',
  ].join('\n');
  return { text, json: { name, n: labels.length, auc, ...m, table } };
}

/** `vigil eval`: scores labelled data with a model and prints the metrics, overall and per file. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(
    argv,
    {
      model: { type: 'string' },
      data: { type: 'string', multiple: true },
      threshold: { type: 'string' },
      holdout: { type: 'string', default: '0' },
      seed: { type: 'string', default: '1' },
      json: { type: 'boolean' },
    },
    true,
    help,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const data = [...(values.data ?? []), ...positionals];
  if (!values.model || !data.length) {
    io.stderr.write(help);
    return 2;
  }
  try {
    const which = values.model;
    const model: Model = loadModelFile(which === 'spam' || which === 'toxicity' ? bundledModelPath(which) : which);
    const threshold = values.threshold !== undefined ? Number(values.threshold) : model.thresholds.review;
    const holdout = Number(values.holdout);
    const all = { probs: [] as number[], labels: [] as number[] };
    const out: Array<{ text: string; json: object }> = [];
    for (const file of data) {
      // Spam models read link-bearing comments of toxicity sets as spam-ham (spam-datasets.ts).
      let docs = model.task === 'spam' ? loadSpamDataset(file) : loadToxicityDataset(file);
      if (docs.some((d) => d.task !== model.task)) throw new Error(`${file} is not ${model.task} data`);
      // Same split as `vigil train --holdout`: only the held-out part is scored.
      if (holdout > 0) docs = splitHoldout(docs, holdout, Number(values.seed)).test;
      const probs = docs.map((d) => model.score(d.input).score);
      const labels = docs.map((d) => d.label as number);
      all.probs.push(...probs);
      all.labels.push(...labels);
      if (data.length > 1) out.push(report(file, probs, labels, threshold));
    }
    out.push(report(data.length > 1 ? 'all files' : data[0], all.probs, all.labels, threshold));
    io.stdout.write(values.json ? JSON.stringify(out.map((o) => o.json), null, 2) + '\n' : out.map((o) => o.text).join('\n'));
    return 0;
  } catch (e) {
    io.stderr.write(`eval failed: ${(e as Error).message}\n`);
    return 1;
  }
}
