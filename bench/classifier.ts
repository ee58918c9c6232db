/**
 * Speed and accuracy of Vigil's Naive Bayes against natural's BayesClassifier, trained on the same
 * documents (a seeded sample of --max, because natural's training time grows with documents times
 * vocabulary) and tested on the same held-out 20%, each in its own child process so RSS figures do not mix:
 *   node scripts/run-ts.js bench/classifier.ts [--data DIR] [--max N]
 *   node scripts/run-ts.js bench/classifier.ts --worker shipped [--models DIR]   (only the shipped-models part)
 *   node scripts/run-ts.js bench/classifier.ts --worker languages [--models DIR] (only the per-language part)
 * Prints one side-by-side table. Times are CPU time of the measuring process (the machine may be shared).
 * A script, not a timed test: numbers depend on the machine.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { commandLine, recordBench } from './record';
import { loadDataset, type LabeledDoc } from '../src/classifier/datasets';
import { metricsAt, rocAuc } from '../src/classifier/metrics';
import { mulberry32, shuffle } from '../src/classifier/random';
import { splitHoldout } from '../src/classifier/split';
import { trainModel } from '../src/classifier/train';
import { loadBundledModels, loadModelFile, toxicityModelFor } from '../src/classifier';
import { loadToxicityDataset } from '../src/classifier/language-datasets';
import { LANGUAGE_FILES } from './language-files';

const { values } = parseArgs({
  options: { data: { type: 'string' }, worker: { type: 'string' }, task: { type: 'string' }, max: { type: 'string', default: '4000' }, models: { type: 'string' } },
});
const D = values.data ?? path.resolve(__dirname, '../../shared/datasets');
const REPO = path.resolve(__dirname, '..');

const FILES: Record<string, string[]> = {
  spam: ['youtube-spam/Youtube01-Psy.csv', 'youtube-spam/Youtube02-KatyPerry.csv', 'youtube-spam/Youtube03-LMFAO.csv', 'youtube-spam/Youtube04-Eminem.csv', 'sms-spam/SMSSpamCollection'],
  toxicity: ['jigsaw/train5k_shared_80pct.csv', 'jigsaw/train_pools_extra.csv'],
};

function data(task: string): { train: LabeledDoc[]; test: LabeledDoc[] } {
  const { train, test } = splitHoldout(FILES[task].flatMap((f) => loadDataset(path.join(D, f))), 0.2, 42);
  return { train: shuffle(train, mulberry32(42)).slice(0, Number(values.max)), test };
}

interface Result {
  who: string;
  task: string;
  trainDocs: number;
  trainMs: number;
  perSec: number;
  accuracy: number;
  auc: number;
  maxRssMb: number;
  loadMs?: number;
}

/** CPU milliseconds used by this process: steadier than wall time on a machine shared with other work. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Comments per CPU-second of `fn` over `texts`: one untimed warm-up pass (JIT, caches), then `rounds`
 * rounds of at least `minMs` CPU ms each; the median round is the figure, the best one is also kept.
 * Rounds, because on a shared machine one slow stretch should not decide the result.
 */
function rate(texts: string[], fn: (t: string) => unknown, minMs = 300, rounds = 5): { median: number; best: number } {
  for (const t of texts) fn(t);
  const r: number[] = [];
  for (let k = 0; k < rounds; k++) {
    let n = 0;
    const t0 = cpuMs();
    do {
      for (const t of texts) fn(t);
      n += texts.length;
    } while (cpuMs() - t0 < minMs);
    r.push(n / ((cpuMs() - t0) / 1000));
  }
  r.sort((a, b) => a - b);
  return { median: r[Math.floor(rounds / 2)], best: r[rounds - 1] };
}

function quality(p: number[], test: LabeledDoc[], threshold: number): { accuracy: number; auc: number } {
  const y = test.map((d) => d.label as number);
  return { accuracy: metricsAt(p, y, threshold).accuracy, auc: rocAuc(p, y) };
}

function worker(who: string, task: 'spam' | 'toxicity'): Result {
  const { train, test } = data(task);
  const texts = test.map((d) => d.input.text);
  if (who === 'natural') {
    // The baseline, and the only place natural's classifier is loaded.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const BayesClassifier = require('natural/lib/natural/classifiers/bayes_classifier');
    const docs = train;
    const c = new BayesClassifier();
    const t0 = cpuMs();
    for (const d of docs) c.addDocument(d.input.text, String(d.label));
    c.train();
    const trainMs = cpuMs() - t0;
    // getClassifications gives per-class values; products of probabilities, which underflow on long texts.
    const prob = (t: string): number => {
      const cl = c.getClassifications(t) as Array<{ label: string; value: number }>;
      const pos = cl.find((x) => x.label === '1')?.value ?? 0;
      const neg = cl.find((x) => x.label === '0')?.value ?? 0;
      return pos + neg > 0 ? pos / (pos + neg) : 0.5;
    };
    const p = texts.map(prob);
    const perSec = rate(texts.slice(0, 300), (t) => c.classify(t), 300, 3).median;
    return { who, task, trainDocs: docs.length, trainMs, perSec, ...quality(p, test, 0.5), maxRssMb: process.resourceUsage().maxRSS / 1024 };
  }
  const t0 = cpuMs();
  const file = trainModel(train, { task, name: task, ...(task === 'spam' ? { sourceWeights: { SMSSpamCollection: 0.1 } } : {}) });
  const trainMs = cpuMs() - t0;
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-')), `${task}.json`);
  writeFileSync(out, JSON.stringify(file));
  const t1 = cpuMs();
  const m = loadModelFile(out);
  const loadMs = cpuMs() - t1;
  const p = texts.map((t) => m.score({ text: t }).score);
  const perSec = rate(texts, (t) => m.score({ text: t })).median;
  return { who, task, trainDocs: train.length, trainMs, perSec, loadMs, ...quality(p, test, m.thresholds.review), maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

/** Both shipped models on Wikipedia comments, in a fresh process: load time, joint rate, RSS. */
function shipped(): Record<string, number> {
  const texts = data('toxicity').test.map((d) => d.input.text);
  const rss0 = process.memoryUsage().rss;
  const t0 = cpuMs();
  // `--models DIR` measures other model files (e.g. candidates) the same way; default: the shipped ones.
  const { spam, toxicity } = loadBundledModels(values.models ?? path.join(REPO, 'models'));
  const loadMs = cpuMs() - t0;
  const rssModels = (process.memoryUsage().rss - rss0) / 1e6;
  const both = rate(texts, (t) => (spam.score({ text: t }), toxicity.score({ text: t })), 600, 5);
  const avgChars = texts.reduce((a, t) => a + t.length, 0) / texts.length;
  return { loadMs, rssModelsMb: rssModels, bothPerSec: both.median, bothBest: both.best, avgChars, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

/**
 * Every shipped model, the per-language ones included, in a fresh process: load time and RSS of all of them, then per
 * language the rate of spam + that language's toxicity model on its held-out comments, both with the language
 * declared and detected (eld, docs/decisions/0036). English is measured the same way, on Jigsaw.
 */
function languages(): Record<string, unknown> {
  const dir = values.models ?? path.join(REPO, 'models');
  const rss0 = process.memoryUsage().rss;
  const t0 = cpuMs();
  const models = loadBundledModels(dir);
  const own = models.languages.loadAll();
  const loadMs = cpuMs() - t0;
  const rssModelsMb = (process.memoryUsage().rss - rss0) / 1e6;
  const sets: Record<string, string[]> = { en: data('toxicity').test.map((d) => d.input.text) };
  for (const lang of Object.keys(own)) {
    const files = LANGUAGE_FILES[lang as keyof typeof LANGUAGE_FILES].train;
    sets[lang] = files.flatMap((f) => splitHoldout(loadToxicityDataset(path.join(D, f)), 0.2, 42).test.map((d) => d.input.text)).slice(0, 2000);
  }
  const per: Record<string, Record<string, number>> = {};
  for (const [lang, texts] of Object.entries(sets)) {
    const declared = rate(texts, (t) => (models.spam.score({ text: t }), toxicityModelFor(models, lang, t).model.score({ text: t })), 300, 5);
    const detected = rate(texts, (t) => (models.spam.score({ text: t }), toxicityModelFor(models, undefined, t).model.score({ text: t })), 300, 5);
    const picked = texts.filter((t) => toxicityModelFor(models, undefined, t).model === (own[lang] ?? models.toxicity)).length / texts.length;
    per[lang] = { comments: texts.length, avgChars: texts.reduce((a, t) => a + t.length, 0) / texts.length, declaredPerSec: declared.median, detectedPerSec: detected.median, pickedOwnModel: picked };
  }
  return { loadMs, rssModelsMb, maxRssMb: process.resourceUsage().maxRSS / 1024, languages: Object.keys(own), per };
}

function child(args: string[]): unknown {
  const out = execFileSync(process.execPath, [path.join(REPO, 'scripts/run-ts.js'), __filename, ...args, '--data', D, '--max', values.max!], {
    encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

if (values.worker === 'shipped') console.log(JSON.stringify(shipped()));
else if (values.worker === 'languages') console.log(JSON.stringify(languages()));
else if (values.worker) console.log(JSON.stringify(worker(values.worker, values.task as 'spam' | 'toxicity')));
else {
  const rows: Result[] = [];
  for (const task of ['spam', 'toxicity']) for (const who of ['vigil', 'natural']) rows.push(child(['--worker', who, '--task', task]) as Result);
  const f = (x: number | undefined, d = 0): string => (x === undefined ? '-' : x.toFixed(d));
  console.log('| task | classifier | train docs | train CPU ms | comments per CPU-s (median round) | load CPU ms | accuracy | ROC-AUC | peak RSS MB |\n|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.task} | ${r.who} | ${r.trainDocs} | ${f(r.trainMs)} | ${f(r.perSec)} | ${f(r.loadMs)} | ${f(r.accuracy, 3)} | ${f(r.auc, 3)} | ${f(r.maxRssMb)} |`);
  }
  for (const task of ['spam', 'toxicity']) {
    const [a, b] = rows.filter((r) => r.task === task);
    console.log(`${task}: Vigil scores ${(a.perSec / b.perSec).toFixed(0)}x faster than natural's BayesClassifier`);
  }
  const s = child(['--worker', 'shipped']) as Record<string, number>;
  console.log(
    `shipped models (spam + toxicity) on Wikipedia comments (avg ${f(s.avgChars)} chars): load ${f(s.loadMs)} CPU ms, ` +
      `${f(s.bothPerSec)} comments per CPU-second scored by both (median of 5 rounds; best ${f(s.bothBest)}), models add ${f(s.rssModelsMb)} MB RSS, peak RSS ${f(s.maxRssMb)} MB`,
  );
  const L = child(['--worker', 'languages']) as { loadMs: number; rssModelsMb: number; maxRssMb: number; per: Record<string, Record<string, number>> };
  console.log(`all shipped models (spam, toxicity, ${Object.keys(L.per).filter((l) => l !== 'en').join(', ')}): load ${f(L.loadMs)} CPU ms, ${f(L.rssModelsMb)} MB RSS`);
  const langRows = Object.entries(L.per).map(([lang, r]) => [lang, r.comments, f(r.avgChars), f(r.declaredPerSec), f(r.detectedPerSec), f(r.pickedOwnModel, 3)]);
  for (const r of langRows) console.log(`| ${r.join(' | ')} |`);
  recordBench('classifier', {
    title: "Classifier speed and memory against natural's BayesClassifier",
    command: commandLine('npm run bench:classify --'),
    tables: [
      {
        columns: ['task', 'classifier', 'train docs', 'train CPU ms', 'comments per CPU-s (median round)', 'load CPU ms', 'accuracy', 'ROC-AUC', 'peak RSS MB'],
        rows: rows.map((r) => [r.task, r.who, r.trainDocs, f(r.trainMs), f(r.perSec), f(r.loadMs), f(r.accuracy, 3), f(r.auc, 3), f(r.maxRssMb)]),
      },
      {
        caption: 'The shipped models (spam + toxicity) on Wikipedia comments:',
        columns: ['avg chars', 'load CPU ms', 'comments per CPU-s, both models (median of 5)', 'best round', 'models RSS MB', 'peak RSS MB'],
        rows: [[f(s.avgChars), f(s.loadMs), f(s.bothPerSec), f(s.bothBest), f(s.rssModelsMb), f(s.maxRssMb)]],
      },
      {
        caption: `Per language, spam + the language's toxicity model (all shipped models load in ${f(L.loadMs)} CPU ms, ${f(L.rssModelsMb)} MB RSS):`,
        columns: ['language', 'held-out comments', 'avg chars', 'comments per CPU-s, language declared', 'language detected', 'share detected as its language'],
        rows: langRows,
      },
    ],
    notes: [`Target: >= 30,000 comments per CPU-second on English with both models (${s.bothPerSec >= 30000 ? 'PASS' : 'FAIL'}).`],
    raw: { rows, shipped: s, languages: L },
  });
}
