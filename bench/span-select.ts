/**
 * Measures the span rule on SemEval-2021 Toxic Spans training posts only, to compare variants of its code: the training
 * part (80%, seed 42, as bench/toxicity-targets.ts) is split again (20%, `--inner` seed) and the rule learnt on the rest
 * is measured on that inner part. Needs a toxicity model trained without the held-out posts' comments (any model: the posts are not in
 * the toxicity training data), e.g. one saved by `bench/toxicity-targets.ts --save F`:
 *   node scripts/run-ts.js bench/span-select.ts --model F [--inner 7] [--data DIR] [--variants]
 * `--variants` also prints the learnt rule with a gate on the comment's own score (no marks under it) and with runs
 * joined across more than spaces, on the training posts (the rule's marks there, not out of fold) and the inner part.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { explainWords } from '../src/classifier/explain';
import { NaiveBayesModel } from '../src/classifier/model';
import type { ModelFile } from '../src/classifier/model-file';
import { markExplanation } from '../src/classifier/span-floor';
import { learnSpanRule, spanF1Of } from '../src/classifier/span-train';
import { loadToxicSpans, spanF1, type SpanPost } from '../src/classifier/spans';
import { isHeldOut } from '../src/classifier/split';
import type { Explanation, SpanRule } from '../src/classifier/types';

const { values } = parseArgs({ options: { model: { type: 'string' }, inner: { type: 'string' }, data: { type: 'string' }, variants: { type: 'boolean' } } });
const D = values.data ?? path.resolve(__dirname, '../../shared/datasets');
const inner = Number(values.inner ?? 7);
const m = new NaiveBayesModel(JSON.parse(readFileSync(values.model!, 'utf8')) as ModelFile);
const posts = loadToxicSpans(path.join(D, 'toxic-spans-semeval2021/tsd_train_trial.csv')).filter((p) => !isHeldOut(p.text, 0.2, 42));
const tr = posts.filter((p) => !isHeldOut(p.text, 0.2, inner));
const te = posts.filter((p) => isHeldOut(p.text, 0.2, inner));
const f3 = (x: number): string => x.toFixed(3);
const t0 = Date.now();
const rule = learnSpanRule(m, tr, 1);
console.log(`learnt on ${tr.length} posts in ${((Date.now() - t0) / 1000).toFixed(0)} s, measured on ${te.length} inner posts (seed ${inner})`);
console.log(`- plain rule ${JSON.stringify({ floor: rule.plain.floor, relative: rule.plain.relative })}: training ${f3(rule.plain.f1)}, inner ${f3(spanF1Of(m, te, rule.plain))}`);
if (rule.words) console.log(`- span words: training ${f3(rule.f1)} (out of fold), inner ${f3(spanF1Of(m, te, rule))}`);

/** Gaps that join two marked runs: spaces (shipped), or up to 3 characters of punctuation, or one unmarked word. */
const JOINS: Record<string, (gap: string) => boolean> = {
  spaces: (g) => /^ +$/.test(g),
  punctuation: (g) => g.length <= 3 && /^[^\p{L}\p{N}.!?\n]+$/u.test(g),
  'one word': (g) => /^ +[\p{L}']{1,12} +$/u.test(g) || (g.length <= 3 && /^[^\p{L}\p{N}.!?\n]+$/u.test(g)),
};

function offsets(text: string, ex: Explanation[], join: (gap: string) => boolean): number[] {
  const spans: Array<[number, number]> = [];
  for (const e of ex) if (e.marked) for (const s of e.spans) spans.push(s);
  spans.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  let last = -1;
  for (const [s, e] of spans) {
    if (last >= 0 && s > last && join(text.slice(last, s))) for (let k = last; k < s; k++) out.push(k);
    for (let k = Math.max(s, last); k < e; k++) out.push(k);
    last = Math.max(last, e);
  }
  return out;
}

function variants(r: SpanRule): void {
  const prep = (ps: SpanPost[]) => ps.map((p) => {
    const { entries, words } = explainWords(m.featurize({ text: p.text }), m.table, m.file.features);
    return { p, score: m.score({ text: p.text }).score, ex: markExplanation(entries, r, words) };
  });
  const P = prep(tr);
  const Q = prep(te);
  const f1 = (xs: typeof P, gate: number, join: (g: string) => boolean) => xs.reduce((a, x) => a + spanF1(x.score < gate ? [] : offsets(x.p.text, x.ex, join), x.p.gold), 0) / xs.length;
  const none = P.filter((x) => !x.p.gold.length).map((x) => x.score).sort((a, b) => a - b);
  const some = P.filter((x) => x.p.gold.length).map((x) => x.score).sort((a, b) => a - b);
  console.log(`training posts without a gold span: ${none.length} of ${P.length}, median score ${f3(none[none.length >> 1])} (with a span: ${f3(some[some.length >> 1])})`);
  for (const [name, join] of Object.entries(JOINS)) {
    for (const gate of [0, 0.02, 0.05, 0.1, 0.2, 0.5]) console.log(`- join ${name}, gate ${gate}: training ${f3(f1(P, gate, join))}, inner ${f3(f1(Q, gate, join))}`);
  }
}

if (values.variants) variants(rule);
