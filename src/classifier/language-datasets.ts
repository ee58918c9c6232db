import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDelimited } from './csv';
import { loadDataset, type LabeledDoc } from './datasets';

/**
 * Toxicity data in German, Portuguese, Spanish, French and Italian (../shared/datasets, each with a SOURCE.md), recognised
 * by file name and first line like datasets.ts. Every document carries its language in `lang`; the binary label
 * follows each set's SOURCE.md.
 */

/** Languages with a shipped toxicity model of their own (models/toxicity-<lang>.json). */
export const MODEL_LANGS = ['de', 'pt', 'es', 'fr'] as const;
export type ModelLang = (typeof MODEL_LANGS)[number];

/**
 * Sources with no licence to train on (none stated, or non-commercial): `vigil train` refuses them, the eval script
 * scores them. GermEval 2021 and OffComBR state no licence; HaSpeeDe is CC BY-NC-SA. Matched on the file name.
 */
export const EVAL_ONLY_LANGUAGE_SOURCES = [/GermEval21/i, /OffComBR/i, /haspeede/i];

/** The first evaluation-only source among `files`, if any. */
export function evalOnlyLanguageSource(files: string[]): string | undefined {
  return files.find((f) => EVAL_ONLY_LANGUAGE_SOURCES.some((re) => re.test(path.basename(f))));
}

const doc = (text: string, label: 0 | 1, lang: string, source: string): LabeledDoc => ({
  input: { text }, label, task: 'toxicity', source, natural: true, lang,
});

const lines = (text: string): string[] => text.split(/\r?\n/).filter((l) => l.trim() !== '');

/** An ARFF string value: single-quoted, with backslash escapes. */
function arffString(v: string): string {
  const s = v.trim();
  if (!s.startsWith("'") || !s.endsWith("'")) return s;
  return s.slice(1, -1).replace(/\\(.)/g, '$1');
}

/**
 * The documents of a language data set, or undefined when `text` (the content of `file`) is not one. Every set counts
 * as a natural class mix: a language's model trains on one source (two files of it at most), so its own mix is the
 * only prior there is, and the review threshold is chosen on it (train.ts uses natural documents for both). GermEval
 * 2018 and MLMA were sampled with offensive keywords, so their share of toxic texts is higher than a comment section's.
 */
export function loadLanguageDataset(file: string, text: string): LabeledDoc[] | undefined {
  const source = path.basename(file);
  const first = text.slice(0, text.indexOf('\n')).replace(/\r$/, '');
  if (/\t(OFFENSE|OTHER)\t(ABUSE|INSULT|PROFANITY|OTHER)$/.test(first)) {
    // GermEval 2018: tweet, coarse label, fine label; line breaks inside tweets are written |LBR|.
    return lines(text).map((l) => {
      const c = l.split('\t');
      return doc(c[0].replace(/\|LBR\|/g, '\n'), c[1] === 'OFFENSE' ? 1 : 0, 'de', source);
    });
  }
  if (/^comment_id,comment_text,Sub1_Toxic/.test(first)) {
    const rows = parseDelimited(text).slice(1).filter((r) => r.length >= 3);
    return rows.map((r) => doc(r[1], r[2].trim() === '1' ? 1 : 0, 'de', source));
  }
  if (/^text,toxic$/.test(first)) {
    // ToLD-Br, one-annotator labels: toxic when any of the three annotators flagged the tweet.
    const rows = parseDelimited(text).slice(1).filter((r) => r.length >= 2);
    return rows.map((r) => doc(r[0], r[1].trim() === '1' ? 1 : 0, 'pt', source));
  }
  if (/^@relation/i.test(first) && /OffComBR/i.test(source)) {
    const data = text.slice(text.search(/^@data/im));
    return lines(data).slice(1).map((l) => {
      const comma = l.indexOf(',');
      return doc(arffString(l.slice(comma + 1)), l.slice(0, comma) === 'yes' ? 1 : 0, 'pt', source);
    });
  }
  if (/^comment_id\tcomment\tinfluencer\tinfluencer_gender\tmedia\tlabel/.test(first)) {
    // OffendES: offensive to a person or a group is toxic; non-offensive with expletives is not.
    const rows = parseDelimited(text, '\t').slice(1).filter((r) => r.length >= 6);
    return rows.map((r) => doc(r[1], r[5].trim() === 'OFP' || r[5].trim() === 'OFG' ? 1 : 0, 'es', source));
  }
  if (/^HITId,tweet,sentiment/.test(first)) {
    // MLMA: single-label "normal" is not toxic, every other hostility type is.
    const rows = parseDelimited(text).slice(1).filter((r) => r.length >= 3);
    return rows.map((r) => doc(r[1], r[2].trim() === 'normal' ? 0 : 1, 'fr', source));
  }
  if (/haspeede/i.test(source) && /^\d+\t.*\t[01]$/.test(first)) {
    return lines(text).map((l) => {
      const c = l.split('\t');
      return doc(c.slice(1, -1).join('\t'), c[c.length - 1].trim() === '1' ? 1 : 0, 'it', source);
    });
  }
  return undefined;
}

/** Reads a toxicity data set file in any language: the sets above, else whatever loadDataset recognises. */
export function loadToxicityDataset(file: string): LabeledDoc[] {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  return loadLanguageDataset(file, text) ?? loadDataset(file);
}
