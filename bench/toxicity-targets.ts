/**
 * The toxicity targets of MODEL_CARD.md ("Attributes, threats and highlights"), against seeded held-out splits
 * (20%, seed 42, the split `vigil train/eval --holdout 0.2 --seed 42` use) of every file:
 *   node scripts/run-ts.js bench/toxicity-targets.ts [--data DIR] [--tox-opts JSON] [--no-civil] [--no-spans] [--save F | --model F] [--inner SEED] [--identity-davidson] [--olid-attributes]
 * Trains on the training parts of the shipped toxicity files plus civil-comments-toxicspans (threat head only);
 * ETHOS (GPL, never trained on) is scored whole. The span floor is chosen on the training part of
 * toxic-spans-semeval2021 and the F1 reported on its held-out part. `--inner SEED` compares variants on training data
 * only: each training part is split again (20%, SEED) and everything is measured on that inner part.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import type { ModelFile } from '../src/classifier/model-file';
import { loadDataset, type LabeledDoc } from '../src/classifier/datasets';
import { metricsAt, rocAuc } from '../src/classifier/metrics';
import { NaiveBayesModel } from '../src/classifier/model';
import { DEFAULT_SPAN_RULE, explainWords } from '../src/classifier/explain';
import { markExplanation } from '../src/classifier/span-floor';
import { learnSpanRule, spanF1Of } from '../src/classifier/span-train';
import { loadToxicSpans } from '../src/classifier/spans';
import { isHeldOut, splitHoldout } from '../src/classifier/split';
import { trainModel, type TrainOptions } from '../src/classifier/train';
import { decide } from '../src/moderation/policy';
import { defaultPolicy } from '../src/sites/policy';
import { TOXICITY_FILES } from './toxicity-files';

const f3 = (x: number): string => x.toFixed(3);
const SHIPPED = ['jigsaw', 'jigsaw-pools', 'olid', 'osact', 'lhsab', 'parsoffensive'];
const CIVIL = 'civil-comments-toxicspans/toxicspans_civil_comments_train80.csv';
const ETHOS = 'ethos/Ethos_Dataset_Multi_Label_train80.csv';
const SPANS = 'toxic-spans-semeval2021/tsd_train_trial.csv';
const FIXTURE = path.resolve(__dirname, '../test/fixtures/classifier/threat-sentences.json');
const DEV_FIXTURE = path.resolve(__dirname, '../test/fixtures/classifier/threat-dev-sentences.json');

/** Whether decide() sends a comment with these toxicity scores to review or rejects it (spam left out). */
function reachesReview(m: NaiveBayesModel, text: string): boolean {
  const r = m.score({ text });
  const d = decide({
    policy: defaultPolicy(), scores: { spam: 0, toxicity: r.score, threat: r.attributes?.threat },
    modelThresholds: { spam: { review: 1, reject: 1 }, toxicity: m.thresholds, threat: m.attributeThresholds?.threat }, reasons: [],
  });
  return d.status !== 'approved' || d.needsReview;
}

/** How `toxicityTargets` runs: data folder, training options, whether civil comments train the threat head. */
export interface TargetRun {
  data: string;
  opts?: Partial<TrainOptions>;
  civil?: boolean;
  spans?: boolean;
  /** A model file written earlier with `save`, scored instead of training again. */
  model?: string;
  save?: string;
  /**
   * Selection mode: every training part is split again (20%, this seed) and the figures are measured on that inner
   * part, so variants are compared without reading the held-out parts.
   */
  inner?: number;
  /** Also train the identity_hate head on Davidson et al.'s hate-speech class (attribute only). */
  identityExtra?: boolean;
  /** Also train the insult and identity_hate heads on OLID's targeted (TIN) and group-targeted (GRP) offences. */
  olidAttributes?: boolean;
}

/** Trains (or reads) a model on the training parts and prints every toxicity target; returns the figures. */
export function toxicityTargets(run: TargetRun, title: string): Record<string, number> {
  const D = run.data;
  const opts = run.opts ?? {};
  const civil = run.civil ?? true;
  const values = { model: run.model, save: run.save, 'no-spans': run.spans === false };
  const split: Record<string, { train: LabeledDoc[]; test: LabeledDoc[] }> = {};
  for (const k of SHIPPED) split[k] = splitHoldout(loadDataset(path.join(D, TOXICITY_FILES[k]), { olidAttributes: run.olidAttributes }), 0.2, 42);
  split.civil = splitHoldout(loadDataset(path.join(D, CIVIL)), 0.2, 42);
  // Davidson et al. (MIT): its hate-speech class as identity_hate labels only (the main score never learns from it).
  if (run.identityExtra) split.davidson = splitHoldout(loadDataset(path.join(D, TOXICITY_FILES.davidson)).map((d) => ({ ...d, attrsOnly: true })), 0.2, 42);
  if (run.inner !== undefined) for (const k of Object.keys(split)) split[k] = splitHoldout(split[k].train, 0.2, run.inner);
  const train = [...SHIPPED.flatMap((s) => split[s].train), ...(civil ? split.civil.train : []), ...(run.identityExtra ? split.davidson.train : [])];
  const t0 = Date.now();
  // --model reads a file trained earlier by this script (--save), to re-measure without training again.
  const file = values.model ? (JSON.parse(readFileSync(values.model, 'utf8')) as ModelFile) : trainModel(train, { task: 'toxicity', name: 't', seed: 42, ...opts });
  if (values.save) writeFileSync(values.save, JSON.stringify(file));
  const m = new NaiveBayesModel(file);
  console.log(`threat head, out of fold: ${JSON.stringify(file.training?.threatOutOfFold)}`);
  const out: Record<string, number> = {};
  console.log(`## ${title}\n\n(trained on ${train.length} comments in ${((Date.now() - t0) / 1000).toFixed(0)} s; review ${m.thresholds.review}, threat review/reject ${JSON.stringify(m.attributeThresholds?.threat)})\n`);
  // English figures that must not drop.
  const score = (docs: LabeledDoc[]): number[] => docs.map((d) => m.score(d.input).score);
  for (const s of ['jigsaw', 'olid']) {
    const p = score(split[s].test);
    const y = split[s].test.map((d) => d.label as number);
    const a = metricsAt(p, y, m.thresholds.review);
    out[`${s}.auc`] = rocAuc(p, y);
    out[`${s}.f1`] = a.f1;
    out[`${s}.macroF1`] = a.macroF1;
    console.log(`${s}: ROC-AUC ${f3(rocAuc(p, y))}, F1 ${f3(a.f1)}, macro-F1 ${f3(a.macroF1)} at review ${m.thresholds.review} (n ${p.length})`);
  }
  // Attributes on the held-out Jigsaw parts (natural sample + enriched pools).
  const jig = [...split.jigsaw.test, ...split['jigsaw-pools'].test];
  console.log('\n| attribute (Perspective) | head | held-out data | n | positives | ROC-AUC | target |\n|---|---|---|---|---|---|---|');
  const heads: Array<[string, string, number]> = [['TOXICITY', 'score', 0.95], ['SEVERE_TOXICITY', 'severe_toxic', 0.95], ['IDENTITY_ATTACK', 'identity_hate', 0.95], ['INSULT', 'insult', 0.95], ['PROFANITY', 'obscene', 0.95], ['THREAT', 'threat', 0.92]];
  const probs = jig.map((d) => m.score(d.input));
  for (const [persp, head, target] of heads) {
    const p = probs.map((r) => (head === 'score' ? r.score : r.attributes?.[head] ?? 0));
    const y = jig.map((d) => (head === 'score' ? d.label : d.attrs?.[head] ?? 0) as number);
    const auc = rocAuc(p, y);
    out[`auc.${head}`] = auc;
    console.log(`| ${persp} | ${head} | Jigsaw 20% (both files) | ${y.length} | ${y.filter(Boolean).length} | ${f3(auc)} | >= ${target} ${auc >= target ? 'met' : '**not met**'} |`);
  }
  // Threat on news comments and on ETHOS.
  const civilTest = split.civil.test;
  const ethos = loadDataset(path.join(D, ETHOS));
  const threatRow = (name: string, docs: LabeledDoc[]): void => {
    const p = docs.map((d) => m.score(d.input).attributes?.threat ?? 0);
    const y = docs.map((d) => d.attrs?.threat ?? 0);
    out[`threat.auc.${name}`] = rocAuc(p, y);
    console.log(`| THREAT | threat | ${name} | ${y.length} | ${y.filter(Boolean).length} | ${f3(rocAuc(p, y))} | >= 0.92 |`);
  };
  threatRow('civil-comments-toxicspans 20% (threat share >= 0.5)', civilTest);
  threatRow('Jigsaw 20% + civil 20%', [...jig, ...civilTest]);
  threatRow('ETHOS violence (evaluation only, whole file)', ethos);
  const threats = [...jig, ...civilTest].filter((d) => d.attrs?.threat);
  const reached = threats.filter((d) => reachesReview(m, d.input.text)).length;
  out['threat.review'] = reached / threats.length;
  const thr = m.attributeThresholds?.threat?.review ?? 1;
  const byThreat = threats.filter((d) => (m.score(d.input).attributes?.threat ?? 0) >= thr).length;
  console.log(`\nheld-out threats (Jigsaw + civil) reaching review on a default site: ${reached}/${threats.length} = ${f3(reached / threats.length)} (target >= 0.8); by the threat threshold alone ${byThreat}/${threats.length}`);
  const ethosT = ethos.filter((d) => d.attrs?.threat);
  const er = ethosT.filter((d) => reachesReview(m, d.input.text)).length;
  console.log(`ETHOS violent comments reaching review: ${er}/${ethosT.length} = ${f3(er / ethosT.length)}`);
  const nonThreat = [...jig, ...civilTest].filter((d) => !d.attrs?.threat);
  const fpr = nonThreat.filter((d) => (m.score(d.input).attributes?.threat ?? 0) >= thr).length / nonThreat.length;
  out['threat.fpr'] = fpr;
  console.log(`held-out non-threats flagged by the threat threshold: ${f3(fpr)} (Jigsaw natural part alone: ${f3(split.jigsaw.test.filter((d) => !d.attrs?.threat && (m.score(d.input).attributes?.threat ?? 0) >= thr).length / split.jigsaw.test.filter((d) => !d.attrs?.threat).length)})`);
  // The test fixture is left out when choosing (--inner), so no choice can lean on it.
  if (run.inner === undefined) {
    const fx = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { threats: string[]; newsNonThreats: string[] };
    const fxT = fx.threats.filter((t) => reachesReview(m, t)).length;
    const fxN = fx.newsNonThreats.filter((t) => (m.score({ text: t }).attributes?.threat ?? 0) >= thr).length;
    out['fixture.threats'] = fxT / fx.threats.length;
    out['fixture.news'] = fxN / fx.newsNonThreats.length;
    console.log(`fixture: threats reaching review ${fxT}/${fx.threats.length}; strongly worded news sentences flagged by threat ${fxN}/${fx.newsNonThreats.length} = ${f3(fxN / fx.newsNonThreats.length)} (target <= 0.05)`);
  }
  // The development sentences the cue rules were revised against (the fixture above is the test).
  const dev = JSON.parse(readFileSync(DEV_FIXTURE, 'utf8')) as { threats: string[]; newsNonThreats: string[] };
  const devT = dev.threats.filter((t) => reachesReview(m, t)).length;
  const devN = dev.newsNonThreats.filter((t) => (m.score({ text: t }).attributes?.threat ?? 0) >= thr).length;
  out['dev.threats'] = devT / dev.threats.length;
  out['dev.news'] = devN / dev.newsNonThreats.length;
  console.log(`development sentences: threats reaching review ${devT}/${dev.threats.length}; news sentences flagged by threat ${devN}/${dev.newsNonThreats.length}`);
  if (!values['no-spans']) {
    const posts = loadToxicSpans(path.join(D, SPANS));
    let tr = posts.filter((p) => !isHeldOut(p.text, 0.2, 42));
    let te = posts.filter((p) => isHeldOut(p.text, 0.2, 42));
    if (run.inner !== undefined) {
      te = tr.filter((p) => isHeldOut(p.text, 0.2, run.inner!));
      tr = tr.filter((p) => !isHeldOut(p.text, 0.2, run.inner!));
    }
    const best = learnSpanRule(m, tr);
    const f1 = spanF1Of(m, te, best);
    const f1Plain = spanF1Of(m, te, best.plain);
    const f1Old = spanF1Of(m, te, DEFAULT_SPAN_RULE);
    out['spans.floor'] = best.plain.floor;
    out['spans.relative'] = best.plain.relative;
    out['spans.f1'] = f1;
    out['spans.f1.plain'] = f1Plain;
    console.log(`\nspans (SemEval-2021 Task 5 F1), chosen on ${tr.length} training posts, measured on ${te.length} held-out posts (target >= 0.68):`);
    console.log(`- ${best.words ? 'span words (learnt from token labels)' : 'plain rule (span words did not beat it on training posts)'}: training F1 ${f3(best.f1)}, held-out F1 ${f3(f1)}`);
    console.log(`- plain rule floor ${best.plain.floor}, relative ${best.plain.relative}: training F1 ${f3(best.plain.f1)}, held-out F1 ${f3(f1Plain)}`);
    console.log(`- the rule for files without one ${JSON.stringify(DEFAULT_SPAN_RULE)}: held-out F1 ${f3(f1Old)}`);
    // SemEval posts were all rated toxic, so their F1 cannot see marks in clean comments; /moderate and the Perspective
    // spanScores show a model's marks only when its score reached review (toxicity: or threat its own).
    const shown = (text: string): boolean => {
      const r = m.score({ text });
      return r.score >= m.thresholds.review || (r.attributes?.threat ?? 0) >= (m.attributeThresholds?.threat?.review ?? 1);
    };
    const anyMark = (text: string): boolean => {
      const { entries, words } = explainWords(m.featurize({ text }), m.table, m.file.features);
      return markExplanation(entries, best, words).some((e) => e.marked);
    };
    const clean = split.jigsaw.test.filter((d) => d.label === 0).map((d) => d.input.text);
    const marked = clean.filter(anyMark).length;
    const cleanShown = clean.filter((t) => shown(t) && anyMark(t)).length;
    out['spans.cleanMarked'] = marked / clean.length;
    out['spans.cleanShown'] = cleanShown / clean.length;
    const gated = te.reduce((a, p) => a + (shown(p.text) ? spanF1Of(m, [p], best) : p.gold.length ? 0 : 1), 0) / te.length;
    out['spans.f1.shown'] = gated;
    console.log(`- clean comments (Jigsaw natural sample 20%, no label) with a marked word: ${marked}/${clean.length}; shown (score at review, or threat at its own): ${cleanShown}/${clean.length}`);
    console.log(`- held-out F1 counting only the marks shown (no mark under review): ${f3(gated)}`);
  }
  console.log('');
  return out;
}

if (require.main === module) {
  const { values } = parseArgs({
    options: { data: { type: 'string' }, 'tox-opts': { type: 'string' }, 'no-civil': { type: 'boolean' }, 'no-spans': { type: 'boolean' }, save: { type: 'string' }, model: { type: 'string' }, inner: { type: 'string' }, 'identity-davidson': { type: 'boolean' }, 'olid-attributes': { type: 'boolean' } },
  });
  toxicityTargets({
    data: values.data ?? path.resolve(__dirname, '../../shared/datasets'), opts: values['tox-opts'] ? JSON.parse(values['tox-opts']) : {},
    civil: !values['no-civil'], spans: !values['no-spans'], model: values.model, save: values.save,
    inner: values.inner === undefined ? undefined : Number(values.inner), identityExtra: values['identity-davidson'], olidAttributes: values['olid-attributes'],
  }, `${values['no-civil'] ? 'without civil-comments-toxicspans' : 'shipped recipe'}${values.inner === undefined ? '' : ` (inner split, seed ${values.inner}: training data only)`}`);
}
