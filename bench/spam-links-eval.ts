/**
 * The spam model on the comments news sites get: legitimate comments that link, and link spam. Trains fresh models
 * on training parts only and prints one table per recipe (MODEL_CARD.md, "Spam on news comments"):
 *   node scripts/run-ts.js bench/spam-links-eval.ts [--data DIR] [--weighting] [--gate] [--ablations] [--inner [--inner-youtube]]
 *     [--remedies] [--link-head] [--recipes JSON] [--spam-opts JSON] [--errors] [--write FILE]
 * `--weighting` adds the source-weighting alternatives (mass caps, the previous recipe), `--gate` the style gate
 * (style-gate.ts; it prints which expert scored how much of each set), `--ablations` the link features', `--remedies`
 * the remedies of decision 0098, `--link-head` the link head and stack of decision 0101 (every variant with `--inner`,
 * the measured candidate held out; both printed only, never recorded). `--errors` lists each set's flagged ham with links
 * and missed spam with the five tokens that weighed most.
 * `--write models/spam.json` also writes the first recipe's model (the one the table scores) as the shipped file.
 * Every trainable set is split 70/30 by text (seed 42, `splitHoldout`): the 30% part is only ever scored here.
 * blog-spam-datacamp and the two Globe and Mail sets are evaluation only and scored whole. YouTube: leave one video
 * out, as bench/classifier-eval.ts. `--inner` chooses recipes on training data only: the 70% parts split again
 * (30%, seed 7), no YouTube runs, no evaluation-only sets.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { forgetLastText } from '../src/classifier/doc';
import type { LabeledDoc } from '../src/classifier/datasets';
import { WORD_CUES } from '../src/classifier/cross-stack';
import { LINK_FEATURES } from '../src/classifier/links';
import { metricsAt, rocAuc } from '../src/classifier/metrics';
import { NaiveBayesModel } from '../src/classifier/model';
import { hasLink, loadSpamDataset } from '../src/classifier/spam-datasets';
import { splitHoldout } from '../src/classifier/split';
import { StyleGatedModel } from '../src/classifier/style-gate';
import { trainStyleGated } from '../src/classifier/style-train';
import { trainModel, type TrainOptions } from '../src/classifier/train';
import { commandLine, recordBench } from './record';

const { values } = parseArgs({ options: { data: { type: 'string' }, ablations: { type: 'boolean' }, inner: { type: 'boolean' }, 'spam-opts': { type: 'string' }, 'inner-youtube': { type: 'boolean' }, weighting: { type: 'boolean' }, gate: { type: 'boolean' }, remedies: { type: 'boolean' }, 'link-head': { type: 'boolean' }, recipes: { type: 'string' }, errors: { type: 'boolean' }, write: { type: 'string' } } });
const D = values.data ?? path.resolve(__dirname, '../../shared/datasets');
const REPO = path.resolve(__dirname, '..');
const extra: Partial<TrainOptions> = values['spam-opts'] ? JSON.parse(values['spam-opts']) : {};

const FILES = {
  sms: 'sms-spam/SMSSpamCollection',
  se: 'stackexchange-meta-comments/se_meta_comments_train80.csv',
  civil: 'civil-comments-toxicspans/toxicspans_civil_comments_train80.csv',
  semeval: 'toxic-spans-semeval2021/tsd_train_trial.csv',
  jigsaw: 'jigsaw/train5k_shared_80pct.csv',
  jigsawPools: 'jigsaw/train_pools_extra.csv',
  datacamp: 'blog-spam-datacamp/datacamp_comments_train80.csv',
  ucc: 'globe-ucc/ucc_val_as_train.csv',
  ctc: 'globe-ctc/ctc_globe_comments_train80.csv',
};
const VIDEOS = ['Youtube01-Psy', 'Youtube02-KatyPerry', 'Youtube03-LMFAO', 'Youtube04-Eminem'];
const load = (rel: string): LabeledDoc[] => loadSpamDataset(path.join(D, rel));
const sms = load(FILES.sms);
const yt = VIDEOS.map((v) => load(`youtube-spam/${v}.csv`));
const own = {
  spam: loadSpamDataset(path.join(REPO, 'datasets/news-spam/news-spam.tsv')),
  ham: loadSpamDataset(path.join(REPO, 'datasets/news-spam/news-ham.tsv')),
  // Written after the error analysis of decision 0098 (datasets/news-spam/README.md); trained only by recipes that
  // say `extra`, its own 30% part is always scored and kept out of the pooled figures, as news-eval is.
  extra: loadSpamDataset(path.join(REPO, 'datasets/news-spam/news-extra.tsv')),
};
const trainable: Record<string, LabeledDoc[]> = {
  'news-spam (ours)': own.spam, 'news-ham (ours)': own.ham, 'stackexchange meta': load(FILES.se),
  'civil comments': load(FILES.civil), 'semeval toxic spans': load(FILES.semeval), jigsaw: [...load(FILES.jigsaw), ...load(FILES.jigsawPools)],
  'news-extra (ours)': own.extra,
};
const split = (docs: LabeledDoc[], seed: number) => splitHoldout(docs, 0.3, seed);
const parts = Object.fromEntries(Object.entries(trainable).map(([k, d]) => [k, split(d, 42)]));
// Civil Comments and SemEval share posts; the split is by text, so a shared post is on the same side in both.
const trainParts = Object.fromEntries(Object.entries(parts).map(([k, p]) => [k, values.inner ? split(p.train, 7).train : p.train]));
const testParts: Record<string, LabeledDoc[]> = Object.fromEntries(Object.entries(parts).map(([k, p]) => [k, values.inner ? split(p.train, 7).test : p.test]));
const civilTexts = new Set(testParts['civil comments'].map((d) => d.input.text));
testParts['semeval toxic spans'] = testParts['semeval toxic spans'].filter((d) => !civilTexts.has(d.input.text));
if (!values.inner) {
  const datacamp = load(FILES.datacamp);
  testParts['blog-spam-datacamp (eval only)'] = datacamp;
  testParts['globe-ucc (eval only, links)'] = load(FILES.ucc).filter((d) => hasLink(d.input.text));
  testParts['globe-ctc (eval only, links)'] = load(FILES.ctc).filter((d) => hasLink(d.input.text));
  // Written after the shipped model, in other words and domains (datasets/news-spam/README.md); never trained on, and
  // left out of the pooled figure below so that it stays comparable with earlier runs.
  testParts['news-eval (ours, eval only)'] = loadSpamDataset(path.join(REPO, 'datasets/news-spam/news-eval.tsv'));
}
// News and blog comments, the target population of the ham-with-links figure (Stack Exchange is a forum, Jigsaw Wikipedia talk).
const NEWS_HAM = ['news-ham (ours)', 'civil comments', 'semeval toxic spans', 'blog-spam-datacamp (eval only)', 'globe-ucc (eval only, links)', 'globe-ctc (eval only, links)'];

interface Recipe {
  /** Train on the news sets too (their training parts). */
  news: boolean;
  weights?: Record<string, number>;
  features?: Partial<typeof LINK_FEATURES>;
  opts?: Partial<TrainOptions>;
  /** Count the news sets as natural class mixes: they then also set the calibration's bias and the thresholds. */
  natural?: boolean;
  /** A style gate (style-gate.ts): a short-message expert on YouTube and SMS beside the news expert. */
  gate?: boolean;
  /** Training options of the style gate only. */
  gateOpts?: Partial<TrainOptions>;
  /** Train on the training part of datasets/news-spam/news-extra.tsv too (decision 0098). */
  extra?: boolean;
}


/** The short-message sources of the style gate's second expert. */
const SHORT_SOURCE = (source: string): boolean => source === 'SMSSpamCollection' || source.startsWith('Youtube');

const SHIPPED_WEIGHTS = { SMSSpamCollection: 0.1 };
const SHIPPED_NEWS_WEIGHTS = {
  'news-spam.tsv': 2, 'news-ham.tsv': 3, 'toxicspans_civil_comments_train80.csv': 3, 'tsd_train_trial.csv': 3,
  'train5k_shared_80pct.csv': 2, 'train_pools_extra.csv': 2,
};
/** The shipped weights plus datasets/news-spam/news-extra.tsv, for the recipes that train on it (decision 0098). */
const EXTRA_WEIGHTS = { ...SHIPPED_NEWS_WEIGHTS, 'news-extra.tsv': 3 };
/** The news sources whose comments are mass-capped (TrainOptions.massCap): long news and forum comments. */
const NEWS_SOURCES = [
  'news-spam.tsv', 'news-ham.tsv', 'se_meta_comments_train80.csv', 'toxicspans_civil_comments_train80.csv', 'tsd_train_trial.csv',
  'train5k_shared_80pct.csv', 'train_pools_extra.csv',
];
/** The link stack's cues (decision 0101): how many links a comment has, and how much of its text they are. */
const LINK_COUNT_CUES = ['links=0', 'links=1', 'links=2', 'links=3+'];
const LINK_RATIO_CUES = ['lratio=lo', 'lratio=mid', 'lratio=hi'];
const linkHead = (cues: string[], more: { cueTimesLink?: boolean; words?: boolean; l2?: number } = {}, features: Partial<typeof LINK_FEATURES> = { counts: false }, extra = false): Recipe => ({
  news: true, weights: extra ? EXTRA_WEIGHTS : SHIPPED_NEWS_WEIGHTS, features, opts: { linkHead: { cues, ...more } }, ...(extra ? { extra } : {}),
});
/**
 * Decision 0101 (MODEL_CARD.md, "Link head"): a link head beside the word head and a logistic stack over both with a
 * few style cues (WORD_CUES: distinct words; links=N; lratio=: link share of the text, with the link counts on). All
 * are run by `--inner --inner-youtube --link-head`; held out, `--link-head` runs only the two measured: the inner
 * rule's choice and, measured before it, the relaxed rule's pick.
 */
const LINK_HEAD_RECIPES: Record<string, Recipe> = {
  'link head': linkHead([]),
  'link head + length': linkHead([...WORD_CUES]),
  'link head + length + link count': linkHead([...WORD_CUES, ...LINK_COUNT_CUES]),
  'link head + length + link ratio (link counts on)': linkHead([...WORD_CUES, ...LINK_RATIO_CUES], {}, {}),
  'link head + length + first-party shorteners': linkHead([...WORD_CUES], {}, { counts: false, firstParty: true }),
  'link head + link count': linkHead(LINK_COUNT_CUES),
  'link head + link count + first-party shorteners': linkHead(LINK_COUNT_CUES, {}, { counts: false, firstParty: true }),
  'link head + length + link count + first-party shorteners': linkHead([...WORD_CUES, ...LINK_COUNT_CUES], {}, { counts: false, firstParty: true }),
  'link head + no-link cue': linkHead(['links=0']),
  'link head + length + no-link cue': linkHead([...WORD_CUES, 'links=0']),
  'link head + length + no-link cue + first-party shorteners': linkHead([...WORD_CUES, 'links=0'], {}, { counts: false, firstParty: true }),
  'link head x cues + length': linkHead([...WORD_CUES], { cueTimesLink: true }),
  'link head x cues + length + link count': linkHead([...WORD_CUES, ...LINK_COUNT_CUES], { cueTimesLink: true }),
  'link head x cues + link count': linkHead(LINK_COUNT_CUES, { cueTimesLink: true }),
  'link head x cues + length + link ratio (link counts on)': linkHead([...WORD_CUES, ...LINK_RATIO_CUES], { cueTimesLink: true }, {}),
  'link head x cues + length + link count + first-party shorteners': linkHead([...WORD_CUES, ...LINK_COUNT_CUES], { cueTimesLink: true }, { counts: false, firstParty: true }),
  'link head x cues + length + no-link cue': linkHead([...WORD_CUES, 'links=0'], { cueTimesLink: true }),
  'link head + length + link count, stack L2 1': linkHead([...WORD_CUES, ...LINK_COUNT_CUES], { l2: 1 }),
  'link head + length + link count, stack L2 10': linkHead([...WORD_CUES, ...LINK_COUNT_CUES], { l2: 10 }),
  'link head + length + link count, stack L2 100': linkHead([...WORD_CUES, ...LINK_COUNT_CUES], { l2: 100 }),
  // With the extra data of decision 0098 (short citing comments among them), run after the rows above.
  'extra data + link head + length + link count': linkHead([...WORD_CUES, ...LINK_COUNT_CUES], {}, { counts: false }, true),
  'extra data + link head + length + no-link cue': linkHead([...WORD_CUES, 'links=0'], {}, { counts: false }, true),
  'extra data + link head + length + no-link cue + first-party shorteners': linkHead([...WORD_CUES, 'links=0'], {}, { counts: false, firstParty: true }, true),
  'extra data + link head + length + link count + first-party shorteners': linkHead([...WORD_CUES, ...LINK_COUNT_CUES], {}, { counts: false, firstParty: true }, true),
  'words apart + link head': linkHead([], { words: true }),
  'words apart + link head + link count': linkHead(LINK_COUNT_CUES, { words: true }),
  'words apart + link head + length + link count': linkHead([...WORD_CUES, ...LINK_COUNT_CUES], { words: true }),
  'words apart + link head + length + link ratio (link counts on)': linkHead([...WORD_CUES, ...LINK_RATIO_CUES], { words: true }, {}),
};
/**
 * The two measured held out: the relaxed rule's pick among the rows before "extra data" (at most one inner citation
 * flagged), then the inner rule's choice (the one row that met it, from the "extra data" rows run afterwards).
 */
const LINK_HEAD_HELD_OUT = ['link head + length + no-link cue + first-party shorteners', 'extra data + link head + length + no-link cue + first-party shorteners'];
const capped = (features: number): Recipe => ({ news: true, weights: SHIPPED_NEWS_WEIGHTS, features: { counts: false }, opts: { massCap: { features, sources: NEWS_SOURCES } } });
const RECIPES: Record<string, Recipe> = JSON.parse(values.recipes ?? 'null') ?? {
  shipped: { news: true, weights: SHIPPED_NEWS_WEIGHTS, features: { counts: false } },
  // The style gate (style-gate.ts): the shipped recipe as the news expert, its YouTube + SMS part as the short expert.
  // The inner choice among the gate's variants (MODEL_CARD.md, "Style gate"), and not shipped: on the held-out parts
  // it flagged more citations and caught less news spam, though it won back the YouTube figures.
  ...(values.gate ? { 'style gate': { news: true, gate: true, weights: SHIPPED_NEWS_WEIGHTS, features: { counts: false } } } : {}),
  // Source weighting by mass: mass cap 300 was the inner choice (--inner --inner-youtube), and is not shipped: on the
  // held-out parts it lost news-spam recall and YouTube accuracy (MODEL_CARD.md).
  ...(values.weighting
    ? {
        'mass cap 300': capped(300),
        'mass cap 150': capped(150),
        'mass cap 100': capped(100),
        'before (YouTube + SMS, last-two-labels domain, no link features)': { news: false, features: { psl: false, classes: false, counts: false, words: false } },
      }
    : {}),
  // Decision 0098 (MODEL_CARD.md, "What the model gets wrong"): remedies for the held-out errors, none shipped (every
  // one lets a held-out figure fall; the model card has both tables).
  ...(values.remedies
    ? {
        'first-party shorteners': { news: true, weights: SHIPPED_NEWS_WEIGHTS, features: { counts: false, firstParty: true } },
        'extra data': { news: true, extra: true, weights: EXTRA_WEIGHTS, features: { counts: false } },
        'extra data + first-party shorteners': { news: true, extra: true, weights: EXTRA_WEIGHTS, features: { counts: false, firstParty: true } },
        'domain shape': { news: true, weights: SHIPPED_NEWS_WEIGHTS, features: { counts: false, shape: true } },
        'first-party shorteners + domain shape': { news: true, weights: SHIPPED_NEWS_WEIGHTS, features: { counts: false, firstParty: true, shape: true } },
        'extra data + first-party shorteners + domain shape': { news: true, extra: true, weights: EXTRA_WEIGHTS, features: { counts: false, firstParty: true, shape: true } },
        // The style gate (0085) over the same: its gate learns news-extra's comments as news; run last, after the rows above.
        'style gate + extra data + first-party shorteners + domain shape': { news: true, gate: true, extra: true, weights: EXTRA_WEIGHTS, features: { counts: false, firstParty: true, shape: true } },
      }
    : {}),
  // Decision 0101 (MODEL_CARD.md, "Link head"): a link head beside the word head and a logistic stack over both with a
  // few style cues (WORD_CUES: distinct words; links=N; lratio=: link share of the text, with the link counts on).
  ...(values['link-head'] ? (values.inner ? LINK_HEAD_RECIPES : Object.fromEntries(LINK_HEAD_HELD_OUT.map((k) => [k, LINK_HEAD_RECIPES[k]]))) : {}),
  // Measured on the previous recipe (no mass cap), as the model card's link-feature ablation table says.
  ...(values.ablations
    ? {
        'before (YouTube + SMS, last-two-labels domain, no link features)': { news: false, features: { psl: false, classes: false, counts: false, words: false } },
        'YouTube + SMS with the link features': { news: false },
        'news data with weights 1': { news: true, features: { counts: false } },
        'news data, no link features, last-two-labels domain': { news: true, weights: SHIPPED_NEWS_WEIGHTS, features: { psl: false, classes: false, counts: false, words: false } },
        'news data, no link classes': { news: true, weights: SHIPPED_NEWS_WEIGHTS, features: { classes: false, counts: false } },
        'news data, with link counts (domains, ratio)': { news: true, weights: SHIPPED_NEWS_WEIGHTS },
        'news data, last-two-labels domain': { news: true, weights: SHIPPED_NEWS_WEIGHTS, features: { psl: false, counts: false } },
        'news data, no domain words': { news: true, weights: SHIPPED_NEWS_WEIGHTS, features: { words: false, counts: false } },
      }
    : {}),
};

function train(docs: LabeledDoc[], r: Recipe): NaiveBayesModel | StyleGatedModel {
  const opts: TrainOptions = { task: 'spam', name: 'spam', sourceWeights: { ...SHIPPED_WEIGHTS, ...(r.weights ?? {}) }, ...extra, ...(r.opts ?? {}) };
  if (!r.gate) return new NaiveBayesModel(trainModel(docs, opts));
  return new StyleGatedModel(trainStyleGated(docs, opts, SHORT_SOURCE, r.gateOpts));
}

const top = (m: NaiveBayesModel | StyleGatedModel, d: LabeledDoc): string =>
  m.score(d.input, { explain: true }).explanation!.slice(0, 5).map((e) => `${e.token}:${e.contribution.toFixed(1)}`).join(' ');
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const f3 = (x: number): string => x.toFixed(3);
const SET_COLUMNS = ['test set', 'ham with links', 'FPR at review', 'FPR at reject', 'spam', 'recall at review', 'recall at reject', 'ROC-AUC'];

/** What one recipe measured: its per-set table and the summary figures the model card's ablation table quotes. */
interface RunResult {
  name: string;
  review: number;
  reject: number;
  rows: string[][];
  pooled: { n: number; rev: number; rej: number };
  youtube?: { acc: number; fpr: number; auc: number; cells: string[] };
}

function run(name: string, r: Recipe): RunResult {
  // Every flag is reset, so a recipe never inherits the one before it.
  Object.assign(LINK_FEATURES, { psl: true, classes: true, counts: true, words: true, firstParty: false, shape: false }, r.features ?? {});
  forgetLastText();
  const sets = Object.entries(trainParts).filter(([k]) => r.extra || k !== 'news-extra (ours)').map(([, d]) => d);
  const news = r.news ? sets.flat().map((d) => (r.natural ? { ...d, natural: true } : d)) : [];
  const m = train([...sms, ...yt.flat(), ...news], r);
  const { review, reject } = m.thresholds;
  if (values.write && name === Object.keys(RECIPES)[0]) {
    writeFileSync(values.write, JSON.stringify({ ...m.file, training: { ...m.file.training, recipe: 'bench/spam-links-eval.ts (shipped)', heldOut: 'news sets 30% by text, seed 42' } }) + '\n');
  }
  console.log(`## ${name} (review ${review}, reject ${reject})\n`);
  console.log(`| ${SET_COLUMNS.join(' | ')} |\n|${SET_COLUMNS.map(() => '---').join('|')}|`);
  const rows: string[][] = [];
  const pooled = { n: 0, rev: 0, rej: 0 };
  for (const [set, docs] of Object.entries(testParts)) {
    const p = docs.map((d) => m.score(d.input).score);
    const hamLinks = docs.map((d, i) => ({ d, p: p[i] })).filter((x) => x.d.label === 0 && hasLink(x.d.input.text));
    const spam = p.filter((_, i) => docs[i].label === 1);
    const rev = hamLinks.filter((x) => x.p >= review).length;
    const rej = hamLinks.filter((x) => x.p >= reject).length;
    if (NEWS_HAM.includes(set)) {
      pooled.n += hamLinks.length;
      pooled.rev += rev;
      pooled.rej += rej;
    }
    if (values.errors) {
      for (const x of hamLinks) if (x.p >= review) console.log(`  FP ${x.p.toFixed(2)} ${JSON.stringify(x.d.input.text.slice(0, 140))} | ${top(m, x.d)}`);
      docs.forEach((d, i) => d.label === 1 && p[i] < review && console.log(`  FN ${p[i].toFixed(2)} ${JSON.stringify(d.input.text.slice(0, 140))} | ${top(m, d)}`));
    }
    const both = docs.some((d) => d.label === 1) && docs.some((d) => d.label === 0);
    const row = [
      set, String(hamLinks.length), hamLinks.length ? pct(rev / hamLinks.length) : '-', hamLinks.length ? pct(rej / hamLinks.length) : '-', String(spam.length),
      spam.length ? f3(spam.filter((x) => x >= review).length / spam.length) : '-', spam.length ? f3(spam.filter((x) => x >= reject).length / spam.length) : '-',
      both ? f3(rocAuc(p, docs.map((d) => d.label))) : '-',
    ];
    rows.push(row);
    console.log(`| ${row.join(' | ')} |`);
  }
  if (m instanceof StyleGatedModel) {
    // How the gate splits each set: the part the short-message expert scores.
    const shares = Object.entries(testParts).map(([set, docs]) => `${set} ${pct(docs.filter((d) => m.isShort(m.news.featurize(d.input))).length / Math.max(1, docs.length))}`);
    console.log(`\nstyle gate, scored by the short-message expert: ${shares.join('; ')}`);
  }
  console.log(`\nnews and blog ham with links, pooled: ${pooled.n}, at review ${pct(pooled.rev / Math.max(1, pooled.n))}, at reject ${pct(pooled.rej / Math.max(1, pooled.n))}`);
  const result: RunResult = { name, review, reject, rows, pooled };
  if (values.inner) {
    if (values['inner-youtube']) innerYoutube(r, news);
    console.log('');
    return result;
  }
  const lovo = { acc: 0, fpr: 0, auc: 0 };
  const cells: string[] = [];
  VIDEOS.forEach((v, k) => {
    const mk = train([...sms, ...yt.filter((_, j) => j !== k).flat(), ...news], r);
    const p = yt[k].map((d) => mk.score(d.input).score);
    const y = yt[k].map((d) => d.label as number);
    const a = metricsAt(p, y, mk.thresholds.review);
    if (mk instanceof StyleGatedModel) console.log(`  ${v}: scored by the short-message expert ${pct(yt[k].filter((d) => mk.isShort(mk.news.featurize(d.input))).length / yt[k].length)}`);
    const auc = rocAuc(p, y);
    cells.push(`${v.slice(10)} ${f3(a.accuracy)} / ${pct(a.fpr)} / ${f3(auc)}`);
    lovo.acc += a.accuracy / 4;
    lovo.fpr += a.fpr / 4;
    lovo.auc += auc / 4;
  });
  console.log(`YouTube leave one video out (accuracy / FPR / AUC): ${cells.join('; ')}; mean ${lovo.acc.toFixed(4)} / ${pct(lovo.fpr)} / ${lovo.auc.toFixed(4)}\n`);
  return { ...result, youtube: { ...lovo, cells } };
}

/**
 * YouTube for choosing recipes (`--inner --inner-youtube`): nested leave one video out, as bench/classifier-select.ts
 * does. For each outer video, the three others are left out in turn from a model trained on SMS, the remaining two
 * videos and the news training parts, so outer video k takes no part in the runs of outer fold k (the mean over all
 * twelve is what a recipe is chosen by).
 */
function innerYoutube(r: Recipe, news: LabeledDoc[]): void {
  const sum = { acc: 0, fpr: 0, auc: 0, n: 0 };
  VIDEOS.forEach((_, k) => {
    VIDEOS.forEach((v, j) => {
      if (j === k) return;
      const mj = train([...sms, ...yt.filter((_, x) => x !== k && x !== j).flat(), ...news], r);
      const p = yt[j].map((d) => mj.score(d.input).score);
      const y = yt[j].map((d) => d.label as number);
      const a = metricsAt(p, y, mj.thresholds.review);
      if (mj instanceof StyleGatedModel) {
        const g = yt[j].map((d) => mj.isShort(mj.news.featurize(d.input)));
        const toNews = (label: number) => yt[j].filter((d, i) => d.label === label && !g[i]).length / Math.max(1, yt[j].filter((d) => d.label === label).length);
        console.log(`  outer ${k} inner ${v}: to the news expert: spam ${pct(toNews(1))}, ham ${pct(toNews(0))}; accuracy ${f3(a.accuracy)}`);
      }
      sum.acc += a.accuracy;
      sum.fpr += a.fpr;
      sum.auc += rocAuc(p, y);
      sum.n++;
    });
  });
  console.log(`inner YouTube, nested leave one video out (${sum.n} runs): accuracy ${(sum.acc / sum.n).toFixed(4)} / FPR ${pct(sum.fpr / sum.n)} / AUC ${(sum.auc / sum.n).toFixed(4)}`);
}

const t0 = Date.now();
const results = Object.entries(RECIPES).map(([name, r]) => run(name, r));
console.log(`(${((Date.now() - t0) / 1000).toFixed(0)} s)`);

// The held-out run of the default recipes is the one the model card quotes (test/unit/docs-figures.test.ts compares
// them); inner runs and ad-hoc recipes or options print only.
if (!values.inner && !values.recipes && !values.remedies && !values['link-head'] && !values['spam-opts']) {
  const cell = (r: RunResult, set: string, col: number): string => r.rows.find((x) => x[0] === set)?.[col] ?? '-';
  const written = values.write ? createHash('sha256').update(readFileSync(values.write)).digest('hex') : undefined;
  recordBench('spam-links', {
    title: 'Spam model on news comments that link (held-out parts, recipes trained fresh)',
    command: commandLine('node scripts/run-ts.js bench/spam-links-eval.ts'),
    tables: [
      { caption: `${results[0].name}: review ${results[0].review}, reject ${results[0].reject}`, columns: SET_COLUMNS, rows: results[0].rows },
      {
        caption: 'Recipes (news and blog ham with links pooled; YouTube leave one video out):',
        columns: ['recipe', 'review / reject', 'ham with links at review / reject', 'news spam recall at review', 'datacamp recall at review / AUC', 'YouTube accuracy / FPR / AUC'],
        rows: results.map((r) => [
          r.name, `${r.review} / ${r.reject}`, `${pct(r.pooled.rev / Math.max(1, r.pooled.n))} / ${pct(r.pooled.rej / Math.max(1, r.pooled.n))}`,
          cell(r, 'news-spam (ours)', 5), `${cell(r, 'blog-spam-datacamp (eval only)', 5)} / ${cell(r, 'blog-spam-datacamp (eval only)', 7)}`,
          r.youtube ? `${r.youtube.acc.toFixed(4)} / ${pct(r.youtube.fpr)} / ${r.youtube.auc.toFixed(4)}` : '-',
        ]),
      },
    ],
    notes: written ? [`models/spam.json written by this run (${values.write}, sha256 ${written}).`] : [],
    raw: { results, ...(written ? { written: { file: values.write, sha256: written } } : {}) },
  });
}
