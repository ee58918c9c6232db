/**
 * Portuguese recipe ideas that `bench/language-eval.ts --opts` cannot express, because they change the documents rather
 * than the training options: ToLD-Br labels weighed by its annotator votes, informal spellings expanded, shouting
 * marked. Each is measured like every recipe choice (docs/decisions/0079-language-recipe-choices.md): on validation
 * parts of the training part (25 %, seeds 7, 8, 9) of the seeded split the shipped model uses (20 %, seed 42), scored
 * against the labels the target is measured on (toxic when any annotator flagged the tweet). Nothing here reads the
 * held-out part. Prints one line per variant; records nothing (a choice that won would move into the recipe and
 * bench/language-eval.ts).
 *
 * --strata explains the gap instead of choosing anything: it scores the shipped models/toxicity-pt.json (trained on the
 * training part only) on the held-out part, the toxic tweets split by how many votes they got.
 *
 *   node scripts/run-ts.js bench/pt-recipe-eval.ts [--data DIR] [--variants recipe,drop1,...] [--opts JSON] [--strata]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseDelimited } from '../src/classifier/csv';
import type { LabeledDoc } from '../src/classifier/datasets';
import { loadModelFile } from '../src/classifier';
import { loadToxicityDataset } from '../src/classifier/language-datasets';
import { heldOutFigures, trainLanguageModel } from '../src/classifier/language-train';
import { rocAuc } from '../src/classifier/metrics';
import { NaiveBayesModel } from '../src/classifier/model';
import { splitHoldout } from '../src/classifier/split';
import type { TrainOptions } from '../src/classifier/train';
import { LANGUAGE_FILES } from './language-files';

const { values } = parseArgs({
  options: { data: { type: 'string' }, variants: { type: 'string' }, opts: { type: 'string' }, strata: { type: 'boolean' } },
});
const D = values.data ?? path.resolve(__dirname, '../../shared/datasets');
const extra: Partial<TrainOptions> = values.opts ? JSON.parse(values.opts) : {};

// ToLD-Br's vote file: per tweet, how many of the 3 annotators flagged each category (pt-told-br/SOURCE.md).
const votes = new Map<string, number>();
for (const r of parseDelimited(readFileSync(path.join(D, 'pt-told-br/ToLD-BR_votes_trainval.csv'), 'utf8')).slice(1)) {
  if (r.length >= 7) votes.set(r[0], r.slice(1, 7).reduce((a, v) => a + Number(v), 0));
}
/** A toxic tweet that one annotator flagged in one category only: the labels the annotators disagree on most. */
const oneVote = (d: LabeledDoc): boolean => d.label === 1 && (votes.get(d.input.text) ?? 0) <= 1;

// Brazilian Twitter spellings and abbreviations, expanded to the words they stand for (profanity acronyms included), and
// laughter ("kkkk", "rsrs", "hahaha") as one word.
const SLANG: Record<string, string> = {
  vc: 'voce', vcs: 'voces', q: 'que', pq: 'porque', porq: 'porque', tb: 'tambem', tbm: 'tambem', msm: 'mesmo', mt: 'muito',
  mto: 'muito', hj: 'hoje', td: 'tudo', tds: 'todos', cmg: 'comigo', ctz: 'certeza', vdd: 'verdade', blz: 'beleza',
  dps: 'depois', agr: 'agora', nd: 'nada', ngm: 'ninguem', mds: 'meu deus', pfv: 'por favor', vlw: 'valeu', p: 'para',
  pra: 'para', ñ: 'nao', n: 'nao', eh: 'e', pqp: 'puta que pariu', vsf: 'vai se foder', fdp: 'filho da puta',
  tnc: 'tomar no cu', vtnc: 'vai tomar no cu', vtmnc: 'vai tomar no cu', tmnc: 'tomar no cu', krl: 'caralho', crl: 'caralho',
  caraio: 'caralho', prr: 'porra', fds: 'foda se', bct: 'buceta', mlk: 'moleque',
};
// Each alternative is anchored and unnested, so the test is linear in the word.
const LAUGH = /^(?:k{2,}|(?:rs){2,}r?|(?:ha){2,}h?|(?:he){2,}h?|(?:hue)+|(?:ja){2,})$/;
const slang = (t: string): string => t.replace(/\p{L}+/gu, (w) => {
  const l = w.toLowerCase();
  return LAUGH.test(l) ? 'risos' : (SLANG[l] ?? w);
});
/** Two tokens for shouting (normalisation folds case away): a word of 3+ capitals, and more than two of them. */
const caps = (t: string): string => {
  const n = (t.match(/\b[A-ZÀ-Ý]{3,}\b/g) ?? []).filter((w) => w !== 'RT').length;
  return t + (n ? ' capsword' : '') + (n > 2 ? ' capsmany' : '');
};

type Variant = {
  name: string;
  /** Applied to the training documents only (labels, weights). */
  train?: (ds: LabeledDoc[]) => LabeledDoc[];
  /** Applied to every text, training and validation alike (a tokenisation change). */
  text?: (t: string) => string;
  opts?: Partial<TrainOptions>;
};
const source = (ds: LabeledDoc[]): LabeledDoc[] => ds.map((d) => (oneVote(d) ? { ...d, source: 'one-vote' } : d));
const VARIANTS: Record<string, Variant> = {
  recipe: { name: 'recipe' },
  drop1: { name: 'one-vote toxic tweets left out of training', train: (ds) => ds.filter((d) => !oneVote(d)) },
  w05: { name: 'one-vote toxic tweets weigh 0.5', train: source, opts: { sourceWeights: { 'one-vote': 0.5 } } },
  w15: { name: 'one-vote toxic tweets weigh 1.5', train: source, opts: { sourceWeights: { 'one-vote': 1.5 } } },
  w025: { name: 'one-vote toxic tweets weigh 0.25', train: source, opts: { sourceWeights: { 'one-vote': 0.25 } } },
  votes2: { name: 'trained as toxic only with 2+ votes', train: (ds) => ds.map((d) => (oneVote(d) ? { ...d, label: 0 as const } : d)) },
  slang: { name: 'informal spellings expanded, laughter one word', text: slang },
  caps: { name: 'shouting tokens', text: caps },
};

const f3 = (x: number): string => x.toFixed(3);
const split = LANGUAGE_FILES.pt.train.map((f) => splitHoldout(loadToxicityDataset(path.join(D, f)), 0.2, 42));
if (values.strata) {
  const model = loadModelFile(path.resolve(__dirname, '../models/toxicity-pt.json'));
  const test = split.flatMap((s) => s.test);
  const clean = test.filter((d) => d.label === 0).map((d) => model.score(d.input).score);
  const t = model.thresholds.review;
  console.log(`| held out (all files), shipped toxicity-pt.json | tweets | ROC-AUC against the ${clean.length} clean ones | share at or above review (${t}) |\n|---|---|---|---|`);
  console.log(`| clean | ${clean.length} | | ${f3(clean.filter((p) => p >= t).length / clean.length)} |`);
  const strata: Array<[string, (v: number) => boolean]> = [['toxic, one vote (or none in the vote file)', (v) => v <= 1], ['toxic, two votes', (v) => v === 2], ['toxic, three or more votes', (v) => v >= 3]];
  for (const [name, inStratum] of strata) {
    const toxic = test.filter((d) => d.label === 1 && inStratum(votes.get(d.input.text) ?? 0)).map((d) => model.score(d.input).score);
    const auc = rocAuc([...clean, ...toxic], [...clean.map(() => 0), ...toxic.map(() => 1)]);
    console.log(`| ${name} | ${toxic.length} | ${f3(auc)} | ${f3(toxic.filter((p) => p >= t).length / toxic.length)} |`);
  }
  process.exit(0);
}
const parts = [7, 8, 9].map((seed) => splitHoldout(split.flatMap((s) => s.train), 0.25, seed));
const retext = (ds: LabeledDoc[], f?: (t: string) => string): LabeledDoc[] => (f ? ds.map((d) => ({ ...d, input: { ...d.input, text: f(d.input.text) } })) : ds);
console.log(`pt validation parts (${parts.map((p) => p.test.length).join(' / ')} documents, seeds 7, 8, 9)${values.opts ? `, options ${values.opts}` : ''}`);
for (const key of (values.variants ?? Object.keys(VARIANTS).join(',')).split(',')) {
  const v = VARIANTS[key];
  if (!v) throw new Error(`unknown variant ${key}: ${Object.keys(VARIANTS).join(', ')}`);
  const figs = parts.map((p) => {
    const trainDocs = retext((v.train ?? ((ds) => ds))(p.train), v.text);
    const model = new NaiveBayesModel(trainLanguageModel('pt', trainDocs, { seed: 42, ...v.opts, ...extra }));
    return heldOutFigures(model, retext(p.test, v.text));
  });
  const mean = (k: 'auc' | 'macroF1'): string => f3(figs.reduce((a, f) => a + f[k], 0) / figs.length);
  console.log(`| ${key}: ${v.name} | ROC-AUC ${mean('auc')} (${figs.map((f) => f3(f.auc)).join(' / ')}) | macro-F1 ${mean('macroF1')} |`);
}
