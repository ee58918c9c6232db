/**
 * Compares the language detectors the Perspective-compatible API could use (eld, franc-min, tinyld) on short
 * comments: accuracy per language on labelled comment sets from ../shared/datasets and time per comment.
 * A script, not a test: the numbers depend on the data folder and the machine.
 *
 *   node scripts/run-ts.js bench/language-detect.ts [--data ../shared/datasets] [--per-language 400] [--out bench/language-detect.json]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseDelimited } from '../src/classifier/csv';
import { readXlsxRows } from '../src/classifier/xlsx';
import { mulberry32, shuffle } from '../src/classifier/random';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: path.resolve(__dirname, '../../shared/datasets') },
    'per-language': { type: 'string', default: '400' },
    out: { type: 'string', default: path.join(__dirname, 'language-detect.json') },
  },
});
const dir = values.data!;
const N = Number(values['per-language']);

type Loader = () => string[];
const tsv = (file: string, col: number, header = false) => () =>
  parseDelimited(fs.readFileSync(path.join(dir, file), 'utf8'), '\t').slice(header ? 1 : 0).map((r) => r[col] ?? '');
const csv = (file: string, col: number) => () => parseDelimited(fs.readFileSync(path.join(dir, file), 'utf8')).slice(1).map((r) => r[col] ?? '');

/** One labelled comment set per language; the text is all that is read. */
const SOURCES: Record<string, Loader[]> = {
  en: [csv('jigsaw/train5k_shared_80pct.csv', 1)],
  ar: [tsv('arabic-osact2020/OSACT2020-sharedTask-train.txt', 0), tsv('arabic-lhsab/L-HSAB.tsv', 0, true)],
  fa: [() => readXlsxRows(fs.readFileSync(path.join(dir, 'persian-parsoffensive/ParsOffensive.xlsx'))).slice(1).map((r) => r[0] ?? '')],
  de: [tsv('de-germeval2018/germeval2018.training.txt', 0)],
  es: [tsv('es-offendes/training_set.tsv', 1, true)],
  fr: [csv('fr-mlma/fr_dataset_train80.csv', 1)],
  pt: [csv('pt-told-br/ptbr_validation_1annotator.csv', 0)],
  it: [tsv('it-haspeede2018-fb/haspeede_FB-train_train80.tsv', 1)],
};

/** Twitter handles, "RT" and URLs are not language; all three detectors are thrown by them. */
function clean(t: string): string {
  return t.replace(/<LF>/g, ' ').replace(/@\w+/g, ' ').replace(/\bRT\b/g, ' ').replace(/https?:\/\/\S+/g, ' ').replace(/\s+/g, ' ').trim();
}

const ISO3: Record<string, string> = { eng: 'en', arb: 'ar', pes: 'fa', deu: 'de', spa: 'es', fra: 'fr', por: 'pt', ita: 'it' };

async function main() {
  // eld and franc-min ship ESM only: a real import(), which the TypeScript-to-CommonJS compile would rewrite into require().
  const esm = new Function('s', 'return import(s)') as (s: string) => Promise<Record<string, unknown>>;
  type Eld = { detect(t: string): { language: string } };
  const eldExtraSmall = (await esm('eld/extrasmall')).eld as Eld;
  const eldSmall = (await esm('eld/small')).eld as Eld;
  const eldMedium = (await esm('eld/medium')).eld as Eld;
  const franc = (await esm('franc-min')).franc as (t: string, o?: { minLength?: number }) => string;
  const tinyld = await import('tinyld');
  const tinyldLight = await import('tinyld/light');
  const detectors: Record<string, (t: string) => string> = {
    'eld/extrasmall': (t) => eldExtraSmall.detect(t).language,
    'eld/small': (t) => eldSmall.detect(t).language,
    'eld/medium': (t) => eldMedium.detect(t).language,
    'franc-min': (t) => ISO3[franc(t, { minLength: 3 })] ?? franc(t, { minLength: 3 }),
    tinyld: (t) => tinyld.detect(t),
    'tinyld/light': (t) => tinyldLight.detect(t),
  };
  const rng = mulberry32(19);
  const samples: Array<{ lang: string; text: string }> = [];
  for (const [lang, loaders] of Object.entries(SOURCES)) {
    const texts = loaders.flatMap((l) => l()).map(clean).filter((t) => t.length >= 3 && t.length <= 280);
    for (const text of shuffle(texts, rng).slice(0, N)) samples.push({ lang, text });
  }
  const results: Record<string, { accuracy: Record<string, number>; overall: number; shortUnder60: number; microsPerComment: number; loadMs?: number; heapMB?: number }> = {};
  for (const [name, detect] of Object.entries(detectors)) {
    for (const s of samples.slice(0, 200)) detect(s.text); // warm-up
    const correct: Record<string, [number, number]> = {};
    let short = [0, 0];
    const t0 = process.hrtime.bigint();
    const answers = samples.map((s) => detect(s.text));
    const micros = Number(process.hrtime.bigint() - t0) / 1e3 / samples.length;
    samples.forEach((s, i) => {
      const c = (correct[s.lang] ??= [0, 0]);
      c[1]++;
      if (answers[i] === s.lang) c[0]++;
      if (s.text.length < 60) short = [short[0] + (answers[i] === s.lang ? 1 : 0), short[1] + 1];
    });
    const accuracy = Object.fromEntries(Object.entries(correct).map(([l, [k, n]]) => [l, round(k / n)]));
    const overall = round(Object.values(correct).reduce((a, [k]) => a + k, 0) / samples.length);
    results[name] = { accuracy, overall, shortUnder60: round(short[0] / short[1]), microsPerComment: round(micros) };
  }
  // Cost of loading each detector, in a fresh process (its n-gram tables are what a Vigil process would carry).
  const entries: Record<string, string> = {
    'eld/extrasmall': 'import("eld/extrasmall")', 'eld/small': 'import("eld/small")', 'eld/medium': 'import("eld/medium")',
    'franc-min': 'import("franc-min")', tinyld: 'Promise.resolve(require("tinyld"))', 'tinyld/light': 'Promise.resolve(require("tinyld/light"))',
  };
  for (const [name, load] of Object.entries(entries)) {
    const script = `gc();const h=process.memoryUsage().heapUsed;const t=process.hrtime.bigint();${load}.then(()=>{const ms=Number(process.hrtime.bigint()-t)/1e6;gc();console.log(JSON.stringify({ms,mb:(process.memoryUsage().heapUsed-h)/1e6}))})`;
    const r = JSON.parse(execFileSync(process.execPath, ['--expose-gc', '-e', script], { cwd: path.resolve(__dirname, '..') }).toString()) as { ms: number; mb: number };
    Object.assign(results[name], { loadMs: Math.round(r.ms), heapMB: round(r.mb) });
  }
  const out = {
    at: new Date().toISOString(),
    command: 'node scripts/run-ts.js bench/language-detect.ts --per-language ' + N,
    machine: `${os.cpus()[0]?.model} x${os.cpus().length}, node ${process.version}`,
    samples: samples.length,
    perLanguage: N,
    results,
  };
  fs.writeFileSync(values.out!, JSON.stringify(out, null, 2) + '\n');
  console.log(JSON.stringify(out, null, 2));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
