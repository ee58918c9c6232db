/**
 * Reproduces every quality figure in models/MODEL_CARD.md from ../shared/datasets:
 *   node scripts/run-ts.js bench/classifier-eval.ts [--data DIR] [--ablations] [--targets] [--spam-opts JSON] [--tox-opts JSON]
 * --targets adds the attribute, threat and highlight targets (bench/toxicity-targets.ts), with --ablations their ablations.
 * The JSON options (TrainOptions, e.g. '{"alpha":1}') train variants for comparison.
 * Spam: leave one YouTube video out (train on SMS + the other three videos). Toxicity: a 20% held-out
 * split of every file (seed 42, the split `vigil train/eval --holdout 0.2 --seed 42` use).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadDataset, type LabeledDoc } from '../src/classifier/datasets';
import { bestMacroF1, metricsAt, rocAuc } from '../src/classifier/metrics';
import { NaiveBayesModel } from '../src/classifier/model';
import { splitHoldout } from '../src/classifier/split';
import { trainModel, type TrainOptions } from '../src/classifier/train';
import { TOXICITY_FILES } from './toxicity-files';
import { toxicityTargets } from './toxicity-targets';
import { DEFAULT_FEATURES } from '../src/classifier/features';

const { values } = parseArgs({ options: { data: { type: 'string' }, ablations: { type: 'boolean' }, targets: { type: 'boolean' }, 'spam-opts': { type: 'string' }, 'tox-opts': { type: 'string' } } });
const spamOpts: Partial<TrainOptions> = values['spam-opts'] ? JSON.parse(values['spam-opts']) : {};
const toxOpts: Partial<TrainOptions> = values['tox-opts'] ? JSON.parse(values['tox-opts']) : {};
const D = values.data ?? path.resolve(__dirname, '../../shared/datasets');
const f3 = (x: number): string => x.toFixed(3);

function row(name: string, m: NaiveBayesModel, test: LabeledDoc[]): string {
  const p = test.map((d) => m.score(d.input).score);
  const y = test.map((d) => d.label as number);
  const a = metricsAt(p, y, m.thresholds.review);
  const best = bestMacroF1(p, y);
  return `| ${name} | ${test.length} | ${f3(rocAuc(p, y))} | ${f3(a.accuracy)} | ${f3(a.precision)} | ${f3(a.recall)} | ${f3(a.f1)} | ${f3(a.macroF1)} | ${f3(a.fpr)} | ${f3(best.macroF1)} @ ${best.threshold.toFixed(2)} |`;
}
const HEAD = '| test set | n | ROC-AUC | accuracy | precision | recall | F1 | macro-F1 | FPR | best macro-F1 (oracle threshold) |\n|---|---|---|---|---|---|---|---|---|---|';

function spam(): void {
  const videos = ['Youtube01-Psy', 'Youtube02-KatyPerry', 'Youtube03-LMFAO', 'Youtube04-Eminem'];
  const sms = loadDataset(path.join(D, 'sms-spam/SMSSpamCollection'));
  const yt = videos.map((v) => loadDataset(path.join(D, `youtube-spam/${v}.csv`)));
  console.log('## Spam: leave one YouTube video out (train SMS x0.1 + other videos)\n');
  console.log(HEAD);
  const all = { p: [] as number[], y: [] as number[], acc: 0, fpr: 0, auc: 0 };
  videos.forEach((v, k) => {
    const train = [...sms, ...yt.filter((_, j) => j !== k).flat()];
    const m = new NaiveBayesModel(trainModel(train, { task: 'spam', name: 'spam', sourceWeights: { SMSSpamCollection: 0.1 }, ...spamOpts }));
    console.log(row(`${v} (review ${m.thresholds.review})`, m, yt[k]));
    const mm = metricsAt(yt[k].map((d) => m.score(d.input).score), yt[k].map((d) => d.label), m.thresholds.review);
    all.acc += mm.accuracy / 4;
    all.fpr += mm.fpr / 4;
    all.auc += rocAuc(yt[k].map((d) => m.score(d.input).score), yt[k].map((d) => d.label)) / 4;
  });
  const f4 = (x: number): string => x.toFixed(4);
  console.log(`\nmean over the four videos: accuracy ${f4(all.acc)}, FPR ${f4(all.fpr)}, ROC-AUC ${f4(all.auc)}\n`);
}

function toxicity(): void {
  const split: Record<string, { train: LabeledDoc[]; test: LabeledDoc[] }> = {};
  for (const [k, file] of Object.entries(TOXICITY_FILES)) split[k] = splitHoldout(loadDataset(path.join(D, file)), 0.2, 42);
  const shipped = ['jigsaw', 'jigsaw-pools', 'olid', 'osact', 'lhsab', 'parsoffensive'];
  const run = (title: string, sources: string[], opts: Partial<TrainOptions> = {}): void => {
    const m = new NaiveBayesModel(trainModel(sources.flatMap((s) => split[s].train), { task: 'toxicity', name: 't', seed: 42, ...toxOpts, ...opts }));
    console.log(`## Toxicity: ${title} (review threshold ${m.thresholds.review})\n\n${HEAD}`);
    for (const s of ['jigsaw', 'olid', 'osact', 'lhsab', 'parsoffensive', 'davidson']) console.log(row(s, m, split[s].test));
    console.log('');
  };
  run(`shipped recipe, trained on ${shipped.join(' + ')}`, shipped);
  if (values.ablations) {
    run('English only (jigsaw + pools + olid)', ['jigsaw', 'jigsaw-pools', 'olid']);
    run('shipped recipe + davidson', [...shipped, 'davidson']);
    run('shipped recipe with confidence classes [4, 30]', shipped, { confidenceEdges: [4, 30] });
  }
}

const t0 = Date.now();
spam();
toxicity();
// Attributes, threats and highlights (bench/toxicity-targets.ts): every toxicity target of the model card.
if (values.targets) {
  toxicityTargets({ data: D, opts: toxOpts }, 'Attributes, threats and highlights: shipped recipe (+ civil-comments-toxicspans for the threat head)');
  if (values.ablations) {
    toxicityTargets({ data: D, opts: { ...toxOpts, features: DEFAULT_FEATURES }, spans: false }, 'ablation: no threat cues');
    toxicityTargets({ data: D, opts: toxOpts, civil: false, spans: false }, 'ablation: no civil-comments-toxicspans');
    toxicityTargets({ data: D, opts: { ...toxOpts, stackHeads: false, weightedHeads: [] }, spans: false }, 'ablation: heads not stacked, threat head plain NB');
  }
}
console.log(`(${((Date.now() - t0) / 1000).toFixed(0)} s)`);
