import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDelimited } from './csv';
import { loadDataset, type LabeledDoc } from './datasets';
import { tokenize } from './tokenize';

/**
 * Spam data beyond YouTube and SMS: legitimate comments that link (news and forum comments) and comment spam of
 * the kinds news sites get. Formats are recognised by header, like datasets.ts; anything else goes to loadDataset.
 */

/**
 * Sources that are for evaluation only (no licence, or non-commercial; our own news-eval.tsv, kept apart so it measures
 * spam the model never saw the like of): `vigil train --task spam` refuses them.
 * Matched on the file name.
 */
export const EVAL_ONLY_SPAM_SOURCES = [/datacamp_comments/i, /ucc_val/i, /ctc_globe/i, /globe/i, /news-eval/i];

/** Whether a text holds a link as the model sees one (the tokenizer's `__url__`). */
export function hasLink(text: string): boolean {
  return tokenize(text).some((t) => t.value === '__url__');
}

function header(rows: string[][]): Record<string, number> {
  const h: Record<string, number> = {};
  rows[0].forEach((name, i) => (h[name.trim()] = i));
  return h;
}

const ham = (text: string, source: string): LabeledDoc => ({ input: { text }, label: 0, task: 'spam', source, natural: false });

/**
 * Reads a spam data set file. Comments from toxicity sets (Jigsaw, Civil Comments ToxicSpans, SemEval-2021 toxic
 * spans) become spam-ham, and only those that contain a link: rude is not spam, and the model needs to see readers
 * who cite. Jigsaw's toxic rows are left out (toxic Wikipedia talk is a different kind of text).
 */
export function loadSpamDataset(file: string): LabeledDoc[] {
  const base = path.basename(file);
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const first = text.slice(0, text.indexOf('\n'));
  if (/^label\tcategory\tauthor\tauthor_url\ttext/.test(first)) {
    // Vigil's own news-comment examples (datasets/news-spam/README.md).
    return text.split(/\r?\n/).slice(1).filter((l) => l.trim()).map((l) => {
      const [label, , author, url, body] = l.split('\t');
      return {
        input: { text: body, ...(author ? { author } : {}), ...(url ? { url } : {}) },
        label: label === 'spam' ? 1 : 0, task: 'spam', source: base, natural: false,
      };
    });
  }
  const rows = () => parseDelimited(text).filter((r) => r.length > 1);
  if (/^site,id,post_id,user_id,creation_date,score,content_license,comment_url,text,label,has_url/.test(first)) {
    // Stack Exchange meta comments: all ham; the ones with links (CC BY-SA, attribution in MODEL_CARD.md).
    const r = rows();
    const h = header(r);
    return r.slice(1).filter((x) => hasLink(x[h.text])).map((x) => ham(x[h.text], base));
  }
  if (/^id,text,label,(article,has_url|has_url,)/.test(first)) {
    // blog-spam-datacamp, globe-ucc, globe-ctc: evaluation only; every row.
    const r = rows();
    const h = header(r);
    return r.slice(1).map((x) => ({ input: { text: x[h.text] }, label: x[h.label] === 'spam' ? 1 : 0, task: 'spam', source: base, natural: false }));
  }
  if (/^id,comment_text,toxicity,obscene,threat/.test(first)) {
    const r = rows();
    const h = header(r);
    return r.slice(1).filter((x) => hasLink(x[h.comment_text])).map((x) => ham(x[h.comment_text], base));
  }
  if (/^spans,text/.test(first)) {
    const r = rows();
    return r.slice(1).filter((x) => hasLink(x[1])).map((x) => ham(x[1], base));
  }
  if (/^id,comment_text,toxic/.test(first)) {
    return loadDataset(file).filter((d) => d.label === 0 && hasLink(d.input.text)).map((d) => ham(d.input.text, base));
  }
  return loadDataset(file);
}

/** The name of an evaluation-only source among `files`, if any. */
export function evalOnlySource(files: string[]): string | undefined {
  return files.find((f) => EVAL_ONLY_SPAM_SOURCES.some((re) => re.test(path.basename(f))));
}
