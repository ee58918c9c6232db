/**
 * Chooses training variants on training data only (the held-out parts of bench/classifier-eval.ts are
 * never read):
 *   node scripts/run-ts.js bench/classifier-select.ts [--data DIR] [--task spam|toxicity] --variants JSON [--train-on olid,...]
 * `--variants` is an object of name -> TrainOptions overrides, e.g. '{"plain":{},"w1":{"bucketWeights":{"l2":1}}}'.
 * Spam: nested leave one video out. For each outer held-out video, each of the three other videos is
 * left out in turn and predicted by a model trained on SMS (x0.1) + the remaining two; the table shows
 * the mean over those inner runs per outer video, then the mean over all twelve.
 * Toxicity: the 80% training part of each file (seed 42, as classifier-eval.ts) is split again
 * (20%, seeds 7 and 8); models train on the inner 80% and are measured on the inner 20%.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadDataset, type LabeledDoc } from '../src/classifier/datasets';
import { bestMacroF1, metricsAt, rocAuc } from '../src/classifier/metrics';
import { NaiveBayesModel } from '../src/classifier/model';
import { splitHoldout } from '../src/classifier/split';
import { trainModel, type TrainOptions } from '../src/classifier/train';
import { TOXICITY_FILES } from './toxicity-files';

const { values } = parseArgs({ options: { data: { type: 'string' }, task: { type: 'string' }, variants: { type: 'string' }, thresholds: { type: 'string' }, 'train-on': { type: 'string' } } });
// Toxicity: train only on these sources (e.g. "olid"), still measuring every source; to see what the mixture costs one.
const trainOn = values['train-on']?.split(',').filter(Boolean);
// Fixed thresholds at which the spam table also reports inner accuracy / FPR (e.g. "0.6,0.8"), to see the trade-off.
const fixed = (values.thresholds ?? '').split(',').filter(Boolean).map(Number);
const D = values.data ?? path.resolve(__dirname, '../../shared/datasets');
const variants: Record<string, Partial<TrainOptions>> = JSON.parse(values.variants ?? '{"plain":{}}');
const f3 = (x: number): string => x.toFixed(3);

function measure(m: NaiveBayesModel, test: LabeledDoc[]) {
  const p = test.map((d) => m.score(d.input).score);
  const y = test.map((d) => d.label as number);
  return { ...metricsAt(p, y, m.thresholds.review), auc: rocAuc(p, y), bestMacroF1: bestMacroF1(p, y).macroF1, at: fixed.map((t) => metricsAt(p, y, t)) };
}

function spam(): void {
  const videos = ['Youtube01-Psy', 'Youtube02-KatyPerry', 'Youtube03-LMFAO', 'Youtube04-Eminem'];
  const sms = loadDataset(path.join(D, 'sms-spam/SMSSpamCollection'));
  const yt = videos.map((v) => loadDataset(path.join(D, `youtube-spam/${v}.csv`)));
  console.log('## Spam, nested leave one video out: inner mean accuracy / FPR / AUC per outer held-out video\n');
  console.log(`| variant | ${videos.map((v) => `outer ${v.slice(7, 9)}`).join(' | ')} | all inner runs |\n|---|---|---|---|---|---|`);
  for (const [name, opts] of Object.entries(variants)) {
    const cells: string[] = [];
    const tot = { acc: 0, fpr: 0, auc: 0 };
    const atFixed = fixed.map(() => ({ acc: 0, fpr: 0 }));
    for (let k = 0; k < 4; k++) {
      const inner = { acc: 0, fpr: 0, auc: 0 };
      for (let j = 0; j < 4; j++) {
        if (j === k) continue;
        const train = [...sms, ...yt.filter((_, i) => i !== k && i !== j).flat()];
        const m = new NaiveBayesModel(trainModel(train, { task: 'spam', name: 'spam', sourceWeights: { SMSSpamCollection: 0.1 }, ...opts }));
        const r = measure(m, yt[j]);
        inner.acc += r.accuracy / 3;
        inner.fpr += r.fpr / 3;
        inner.auc += r.auc / 3;
        r.at.forEach((x, i) => {
          atFixed[i].acc += x.accuracy / 12;
          atFixed[i].fpr += x.fpr / 12;
        });
      }
      cells.push(`${f3(inner.acc)} / ${f3(inner.fpr)} / ${f3(inner.auc)}`);
      tot.acc += inner.acc / 4;
      tot.fpr += inner.fpr / 4;
      tot.auc += inner.auc / 4;
    }
    console.log(`| ${name} | ${cells.join(' | ')} | ${f3(tot.acc)} / ${f3(tot.fpr)} / ${f3(tot.auc)} |`);
    if (fixed.length) console.log(`  at fixed thresholds: ${fixed.map((t, i) => `${t}: ${f3(atFixed[i].acc)} / ${f3(atFixed[i].fpr)}`).join(', ')}`);
  }
  console.log('');
}

function toxicity(): void {
  const train: Record<string, LabeledDoc[]> = {};
  for (const [k, file] of Object.entries(TOXICITY_FILES).filter(([k]) => k !== 'davidson')) train[k] = splitHoldout(loadDataset(path.join(D, file)), 0.2, 42).train;
  const sets = ['jigsaw', 'olid', 'osact', 'lhsab', 'parsoffensive'];
  console.log('## Toxicity, inner 20% of the training parts (seeds 7 and 8, mean): Jigsaw F1 / AUC, OLID macro-F1 / AUC, ar/fa AUC\n');
  console.log('| variant | Jigsaw F1 | Jigsaw AUC | OLID macro-F1 | OLID AUC | OLID best macro-F1 | OSACT AUC | L-HSAB AUC | ParsOffensive AUC |\n|---|---|---|---|---|---|---|---|---|');
  for (const [name, opts] of Object.entries(variants)) {
    const acc: Record<string, { f1: number; mf1: number; auc: number; best: number }> = {};
    for (const s of sets) acc[s] = { f1: 0, mf1: 0, auc: 0, best: 0 };
    for (const seed of [7, 8]) {
      const parts = Object.fromEntries(Object.entries(train).map(([k, docs]) => [k, splitHoldout(docs, 0.2, seed)]));
      const used = Object.entries(parts).filter(([k]) => !trainOn || trainOn.includes(k)).flatMap(([, p]) => p.train);
      const m = new NaiveBayesModel(trainModel(used, { task: 'toxicity', name: 't', seed: 42, ...opts }));
      for (const s of sets) {
        const r = measure(m, parts[s].test);
        acc[s].f1 += r.f1 / 2;
        acc[s].mf1 += r.macroF1 / 2;
        acc[s].auc += r.auc / 2;
        acc[s].best += r.bestMacroF1 / 2;
      }
    }
    console.log(`| ${name} | ${f3(acc.jigsaw.f1)} | ${f3(acc.jigsaw.auc)} | ${f3(acc.olid.mf1)} | ${f3(acc.olid.auc)} | ${f3(acc.olid.best)} | ${f3(acc.osact.auc)} | ${f3(acc.lhsab.auc)} | ${f3(acc.parsoffensive.auc)} |`);
  }
  console.log('');
}

const t0 = Date.now();
if (values.task !== 'toxicity') spam();
if (values.task !== 'spam') toxicity();
console.log(`(${((Date.now() - t0) / 1000).toFixed(0)} s)`);
