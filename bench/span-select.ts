/**
 * Measures the span rule on SemEval-2021 Toxic Spans training posts only, to compare variants of its code: the training
 * part (80%, seed 42, as bench/toxicity-targets.ts) is split again (20%, `--inner` seed) and the rule learnt on the rest
 * is measured on that inner part. Needs a toxicity model trained without the held-out posts' comments (any model: the posts are not in
 * the toxicity training data), e.g. one saved by `bench/toxicity-targets.ts --save F`:
 *   node scripts/run-ts.js bench/span-select.ts --model F [--inner 7] [--data DIR]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { NaiveBayesModel } from '../src/classifier/model';
import type { ModelFile } from '../src/classifier/model-file';
import { learnSpanRule, spanF1Of } from '../src/classifier/span-train';
import { loadToxicSpans } from '../src/classifier/spans';
import { isHeldOut } from '../src/classifier/split';

const { values } = parseArgs({ options: { model: { type: 'string' }, inner: { type: 'string' }, data: { type: 'string' } } });
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
