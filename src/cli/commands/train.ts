import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadDataset } from '../../classifier/datasets';
import { evalOnlyLanguageSource, loadToxicityDataset, MODEL_LANGS, type ModelLang } from '../../classifier/language-datasets';
import { heldOutFigures, trainLanguageModel } from '../../classifier/language-train';
import { NaiveBayesModel } from '../../classifier/model';
import { learnSpanRule } from '../../classifier/span-train';
import { loadToxicSpans } from '../../classifier/spans';
import { evalOnlySource, loadSpamDataset } from '../../classifier/spam-datasets';
import { isHeldOut, splitHoldout } from '../../classifier/split';
import { trainModel } from '../../classifier/train';
import { parseCommandArgs, type CliIo } from '../io';

/** Usage text, for the dispatcher's help. */
export const help =
  'usage: vigil train --task spam|toxicity --data PATH [--data PATH...] --out models/NAME.json [--seed N] [--name NAME] [--version N]\n' +
  '                   [--weight FILE_NAME=W ...] [--holdout FRACTION] [--spans SEMEVAL_TOXIC_SPANS.csv] [--language de|pt|es|fr]\n';

/** `vigil train`: trains a model from data set files and writes it as JSON. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(
    argv,
    {
      task: { type: 'string' },
      data: { type: 'string', multiple: true },
      out: { type: 'string' },
      seed: { type: 'string', default: '1' },
      name: { type: 'string' },
      version: { type: 'string', default: '1' },
      weight: { type: 'string', multiple: true },
      holdout: { type: 'string', default: '0' },
      spans: { type: 'string' },
      language: { type: 'string' },
    },
    // `--data a.csv b.csv` is accepted: paths after the options count as more data files.
    true,
    help,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const task = values.task;
  const data = [...(values.data ?? []), ...positionals];
  if ((task !== 'spam' && task !== 'toxicity') || !data.length || !values.out) {
    io.stderr.write(help);
    return 2;
  }
  const seed = Number(values.seed);
  const version = Number(values.version);
  if (!Number.isInteger(seed) || !Number.isInteger(version)) {
    io.stderr.write(`--seed and --version must be integers\n${help}`);
    return 2;
  }
  const sourceWeights: Record<string, number> = {};
  for (const w of values.weight ?? []) {
    const [file, num] = w.split('=');
    if (!file || !(Number(num) >= 0)) {
      io.stderr.write(`--weight takes FILE_NAME=NUMBER, got ${w}\n`);
      return 2;
    }
    sourceWeights[file] = Number(num);
  }
  const holdout = Number(values.holdout);
  if (!(holdout >= 0 && holdout < 1)) {
    io.stderr.write('--holdout must be a fraction in [0, 1)\n');
    return 2;
  }
  const language = values.language as ModelLang | undefined;
  if (language !== undefined && (task !== 'toxicity' || !MODEL_LANGS.includes(language))) {
    io.stderr.write(`--language takes ${MODEL_LANGS.join(', ')}, with --task toxicity\n`);
    return 2;
  }
  try {
    const started = Date.now();
    // With --holdout, the part `vigil eval --holdout` scores (same fraction and seed) is left out here.
    // Sets without a licence to train on (blog-spam-datacamp, the Globe and Mail corpora) are for evaluation only.
    const refused = task === 'spam' ? evalOnlySource(data) : evalOnlyLanguageSource(data);
    if (refused) throw new Error(`${refused} is for evaluation only (see its SOURCE.md); it must not train a model`);
    const load = task === 'spam' ? loadSpamDataset : language ? loadToxicityDataset : loadDataset;
    const byFile = data.map((p) => splitHoldout(load(p), holdout, seed));
    const docs = byFile.flatMap((s) => s.train);
    const name = values.name ?? path.basename(values.out, '.json');
    const model = language
      ? trainLanguageModel(language, docs, { name, seed, version, sourceWeights })
      : trainModel(docs, { task, name, seed, version, sourceWeights });
    if (language && holdout > 0) {
      // A language model records what it scores on each file's held-out part, for the model card (docs-figures test).
      // Files of one data set (ToLD-Br's train and validation files) are also measured together, as `all files`.
      const scored = new NaiveBayesModel(model);
      const heldOut = Object.fromEntries(data.map((p, i) => [path.basename(p), heldOutFigures(scored, byFile[i].test)]));
      if (data.length > 1) heldOut['all files'] = heldOutFigures(scored, byFile.flatMap((s) => s.test));
      model.training = { ...model.training, holdout: { fraction: holdout, seed }, heldOut };
    }
    if (values.spans) {
      // Which words the highlights mark is chosen on the toxic-spans posts outside the held-out part.
      const posts = loadToxicSpans(values.spans).filter((p) => !isHeldOut(p.text, holdout, seed));
      // Span words are learnt from the posts' token labels and kept when they beat the plain rule (span-train.ts).
      const rule = learnSpanRule(new NaiveBayesModel(model), posts, seed);
      model.spanRule = { floor: rule.floor, relative: rule.relative, ...(rule.words ? { words: rule.words } : {}) };
      const f1 = (x: number): number => Math.round(x * 1000) / 1000;
      model.training = { ...model.training, spans: { source: path.basename(values.spans), posts: posts.length, f1: f1(rule.f1), plain: { floor: rule.plain.floor, relative: rule.plain.relative, f1: f1(rule.plain.f1) } } };
    }
    mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
    writeFileSync(values.out, JSON.stringify(model) + '\n');
    const t = model.thresholds;
    io.stderr.write(
      `trained ${task} model "${name}" on ${docs.length} documents in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `thresholds review ${t.review}, reject ${t.reject}; wrote ${values.out}\n`,
    );
    return 0;
  } catch (e) {
    io.stderr.write(`train failed: ${(e as Error).message}\n`);
    return 1;
  }
}
