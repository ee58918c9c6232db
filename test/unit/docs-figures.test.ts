import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { blatantSpamScore } from '../../src/akismet/comment-check';

/**
 * Figures the docs quote from the model files must be the files' own: a retrained model fails this until the docs
 * say what the new file says.
 */
const root = path.join(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
type ModelFile = {
  thresholds: { review: number; reject: number };
  training: { outOfFold: { atReview: Record<string, number>; atReject: Record<string, number>; auc: number } };
};
const model = (name: string) => JSON.parse(read(`models/${name}.json`)) as ModelFile;
const spam = model('spam');
const toxicity = model('toxicity');
const card = read('models/MODEL_CARD.md');

/** The cells of the first table row that starts with `| <first> |`. */
function row(text: string, first: string): string[] {
  const line = text.split('\n').find((l) => l.startsWith(`| ${first} |`));
  if (!line) throw new Error(`no table row for ${first}`);
  return line.split('|').slice(1, -1).map((c) => c.trim());
}
const two = (x: number) => x.toFixed(2);
const three = (x: number) => x.toFixed(3);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

describe('figures in the docs match the model files', () => {
  it.each([
    ['spam', spam],
    ['toxicity', toxicity],
  ] as const)('when docs/models.md gives the %s thresholds, then they are the model file\'s', (name, m) => {
    const cells = row(read('docs/models.md'), `\`${name}\``);
    expect(cells.slice(1, 3)).toEqual([two(m.thresholds.review), two(m.thresholds.reject)]);
  });

  it.each([
    ['spam.json', spam],
    ['toxicity.json', toxicity],
  ] as const)('when the model card lists %s, then its thresholds are the file\'s', (file, m) => {
    expect(row(card, file)[3]).toBe(`${two(m.thresholds.review)} / ${two(m.thresholds.reject)}`);
  });

  it.each([
    ['spam', spam],
    ['toxicity', toxicity],
  ] as const)('when the model card gives the %s out-of-fold headline, then it is training.outOfFold of the file', (name, m) => {
    const oof = m.training.outOfFold;
    const cells = row(card, name);
    expect(cells[2]).toBe(three(oof.auc));
    expect(cells[3]).toBe(`${three(oof.atReview.precision)} / ${three(oof.atReview.recall)} / ${three(oof.atReview.f1)} / ${pct(oof.atReview.fpr).replace('.0%', '%')}`);
    expect(cells[4]).toBe(`${three(oof.atReject.precision)} / ${three(oof.atReject.recall)} / ${pct(oof.atReject.fpr).replace('.0%', '%')}`);
  });

  it('when a doc quotes the spam model\'s reject threshold, then it is the one in models/spam.json', () => {
    const reject = two(spam.thresholds.reject);
    for (const file of ['docs/akismet.md', 'docs/models.md']) {
      const quoted = [...read(file).matchAll(/reject threshold (?:of )?(0\.\d\d)/g)].map((m) => m[1]);
      expect(quoted.filter((q) => q !== reject)).toEqual([]);
    }
    expect(read('docs/akismet.md')).toContain(`${reject} from \`models/spam.json\``);
  });

  it('when Akismet calls a spam score blatant, then that score is above the model\'s reject threshold', () => {
    expect(blatantSpamScore(spam.thresholds.reject)).toBeGreaterThan(spam.thresholds.reject);
  });

  it('when the model card states the Davidson false-positive rate, then every mention agrees with its table', () => {
    const tableFpr = row(card, 'Davidson (not trained on)').at(-1);
    const mentions = [...card.matchAll(/Davidson[^\n]*\n?[^\n]*?FPR (\d+(?:\.\d+)?%)/g)].map((m) => m[1]);
    expect(mentions.length).toBeGreaterThan(0);
    expect(mentions.filter((m) => m !== tableFpr)).toEqual([]);
  });

  describe('the spam model on news comments', () => {
    // Written by `node scripts/run-ts.js bench/spam-links-eval.ts --gate --write models/spam.json`.
    const rec = JSON.parse(read('bench/results/spam-links.json')) as {
      tables: Array<{ rows: string[][] }>;
      raw: { results: Array<{ review: number; reject: number }>; written?: { sha256: string } };
    };

    it('when the bench recorded the file it wrote, then that file is models/spam.json', () => {
      const sha = createHash('sha256').update(fs.readFileSync(path.join(root, 'models/spam.json'))).digest('hex');
      expect(rec.raw.written?.sha256).toBe(sha);
      expect([rec.raw.results[0].review, rec.raw.results[0].reject]).toEqual([spam.thresholds.review, spam.thresholds.reject]);
    });

    it('when the model card gives the held-out row of a test set, then it is the recorded one', () => {
      expect(rec.tables[0].rows.length).toBeGreaterThan(5);
      for (const r of rec.tables[0].rows) expect(row(card, r[0])).toEqual(r);
    });
  });
});

describe('per-language figures in the model card match the language model files', () => {
  type Figures = { n: number; positive: number; auc: number; threshold: number; macroF1: number; precision: number; recall: number; fpr: number };
  const langs = fs.readdirSync(path.join(root, 'models')).map((f) => /^toxicity-([a-z]{2})\.json$/.exec(f)?.[1]).filter((l): l is string => !!l);

  it('when language models ship, then German, Spanish and Portuguese are among them', () => {
    expect(langs).toEqual(expect.arrayContaining(['de', 'es', 'pt']));
  });

  it.each(langs)('when the model card gives the held-out figures of toxicity-%s.json, then they are training.heldOut of the file', (lang) => {
    const m = JSON.parse(read(`models/toxicity-${lang}.json`)) as ModelFile & { language: string; training: { heldOut: Record<string, Figures> } };
    expect(m.language).toBe(lang);
    expect(row(card, `toxicity-${lang}.json`)[3]).toBe(`${two(m.thresholds.review)} / ${two(m.thresholds.reject)}`);
    for (const [file, f] of Object.entries(m.training.heldOut)) {
      const cells = row(card, `${lang}: ${file}`);
      expect(cells.slice(1)).toEqual([`${f.n} (${f.positive})`, three(f.auc), `${three(f.macroF1)} @ ${two(f.threshold)}`, three(f.precision), three(f.recall), three(f.fpr)]);
    }
  });
});
