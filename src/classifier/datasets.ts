import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDelimited } from './csv';
import type { ScoreInput } from './types';
import { readXlsxRows } from './xlsx';

/** One labelled example. `natural` is false for sources whose class mix was enriched, so it is not used as a prior. */
export interface LabeledDoc {
  input: ScoreInput;
  label: 0 | 1;
  attrs?: Record<string, 0 | 1>;
  task: 'spam' | 'toxicity';
  source: string;
  natural: boolean;
  /**
   * The document labels only its `attrs` (the main score ignores it): civil-comments-toxicspans posts were
   * all rated toxic before sampling, so their overall label would teach the main score a wrong prior.
   */
  attrsOnly?: boolean;
  /** ISO 639-1 language of the set, where the loader knows it (language-datasets.ts). */
  lang?: string;
}

/** Toxicity attributes the model scores separately where the data labels them (Jigsaw only). */
export const ATTRIBUTES = ['toxic', 'obscene', 'insult', 'threat', 'identity_hate', 'severe_toxic'] as const;

// Tweet sets replace links by the word URL; making it a link again lets it share the link features.
const placeholders = (t: string): string => t.replace(/<LF>/g, '\n').replace(/\bURL\b/g, 'http://url.invalid');

// Two of the four YouTube files carry comments as HTML (entities, <br />, anchors) and two as plain text;
// turning them all into plain text keeps the markup from becoming a per-video feature.
function htmlToText(t: string): string {
  return t
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (_, href: string, inner: string) => (inner.includes('://') ? inner : `${inner} ${href}`))
    .replace(/<[^>]+>/g, '')
    .replace(/&(#39|quot|amp|lt|gt|nbsp);/g, (_, e: string) => ({ '#39': "'", quot: '"', amp: '&', lt: '<', gt: '>', nbsp: ' ' })[e]!);
}

/**
 * A civil-comments-toxicspans threat label from the share of raters who marked a threat span: a majority is a
 * threat, none is not; a minority (one rater of three) is left out of training, since single raters marked
 * words like "stupidity" as threats. Evaluations count those posts as non-threats (missing label = 0).
 */
function threatShare(share: number): Record<string, 0 | 1> {
  return raterShare('threat', share);
}

/** An attribute label from the share of raters who marked a span of its type (the rule of `threatShare`). */
function raterShare(attr: string, share: number): Record<string, 0 | 1> {
  if (share >= 0.5) return { [attr]: 1 };
  return share > 0 ? {} : { [attr]: 0 };
}

function lines(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l.trim() !== '');
}

function header(rows: string[][]): Record<string, number> {
  const h: Record<string, number> = {};
  rows[0].forEach((name, i) => (h[name.trim()] = i));
  return h;
}

/**
 * Reads a data set file, recognising the format by file name and header: YouTube spam CSV,
 * SMSSpamCollection, Jigsaw CSV, OLID TSV, Davidson CSV, OSACT txt, L-HSAB TSV, ParsOffensive xlsx.
 */
export function loadDataset(file: string, opts: { olidAttributes?: boolean } = {}): LabeledDoc[] {
  const base = path.basename(file);
  const source = base;
  if (/\.xlsx$/i.test(base)) {
    const rows = readXlsxRows(readFileSync(file));
    const h = header(rows);
    if (h.comment === undefined || h.label === undefined) throw new Error(`${file}: expected columns comment,label`);
    return rows.slice(1).filter((r) => r[h.comment]).map((r) => ({
      input: { text: r[h.comment] }, label: /offensive/i.test(r[h.label]) ? 1 : 0, task: 'toxicity', source, natural: false,
    }));
  }
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const first = text.slice(0, text.indexOf('\n'));
  if (/^COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS/.test(first)) {
    const rows = parseDelimited(text);
    return rows.slice(1).map((r) => ({
      input: { text: htmlToText(r[3]), author: r[1] }, label: r[4].trim() === '1' ? 1 : 0, task: 'spam', source, natural: true,
    }));
  }
  if (/^id,comment_text,toxicity,obscene,threat,insult,identity_attack/.test(first)) {
    const rows = parseDelimited(text);
    const h = header(rows);
    // Shares of raters; a type a majority marked counts. Threat, insult and identity attack are read; which heads
    // learn from them is a training option (train.ts `attrsOnlyHeads`): span types were asked mainly to engage
    // raters, and threat is the one the ToxicSpans authors vouch for at >= 0.5.
    return rows.slice(1).filter((r) => r.length > h.n_raters).map((r) => ({
      input: { text: r[h.comment_text] }, label: Number(r[h.toxicity]) >= 0.5 ? 1 : 0,
      attrs: { ...threatShare(Number(r[h.threat])), ...raterShare('insult', Number(r[h.insult])), ...raterShare('identity_hate', Number(r[h.identity_attack])) },
      task: 'toxicity', source, natural: false, attrsOnly: true,
    }));
  }
  if (/^comment;violence;directed_vs_generalized/.test(first)) {
    // ETHOS (GPL v3): evaluation only. Every row is hate speech; `violence` (incites violence) is the threat label.
    return lines(text).slice(1).map((l) => {
      const c = l.split(';');
      const v = Number(c[c.length - 8]) >= 0.5 ? 1 : 0;
      return { input: { text: c.slice(0, c.length - 8).join(';') }, label: 1, attrs: { threat: v }, task: 'toxicity', source, natural: false, attrsOnly: true };
    });
  }
  if (/^(ham|spam)\t/.test(first)) {
    return lines(text).map((l) => {
      const tab = l.indexOf('\t');
      return { input: { text: l.slice(tab + 1) }, label: l.startsWith('spam') ? 1 : 0, task: 'spam', source, natural: true };
    });
  }
  if (/^id,comment_text,toxic/.test(first)) {
    const rows = parseDelimited(text);
    const h = header(rows);
    const labels = ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate'];
    // The pools file is enriched to ~60% toxic, so its class ratio must not set the prior.
    const natural = !/pool|extra/i.test(base);
    return rows.slice(1).map((r) => {
      const attrs: Record<string, 0 | 1> = {};
      for (const a of ATTRIBUTES) attrs[a] = r[h[a]] === '1' ? 1 : 0;
      const any = labels.some((a) => r[h[a]] === '1');
      return { input: { text: r[h.comment_text] }, label: any ? 1 : 0, attrs, task: 'toxicity', source, natural };
    });
  }
  if (/^id\ttweet\tsubtask_a/.test(first)) {
    return lines(text).slice(1).map((l) => {
      const c = l.split('\t');
      // OLID tweets were gathered with keyword searches to raise the offensive share, so not a natural mix.
      // With `olidAttributes`: a targeted offence (TIN) is an insult, one at a group (GRP) an identity attack.
      const attrs = opts.olidAttributes ? { attrs: { insult: c[3] === 'TIN' ? 1 : 0, identity_hate: c[3] === 'TIN' && c[4] === 'GRP' ? 1 : 0 } as Record<string, 0 | 1> } : {};
      return { input: { text: placeholders(c[1]) }, label: c[2] === 'OFF' ? 1 : 0, ...attrs, task: 'toxicity', source, natural: false };
    });
  }
  if (/^,count,hate_speech,offensive_language,neither,class,tweet/.test(first)) {
    const rows = parseDelimited(text);
    // Sampled with a hate-speech lexicon (83% offensive), so not a natural mix.
    // Class 0 is hate speech, "language used to express hatred towards a targeted group": an identity attack.
    return rows.slice(1).map((r) => ({
      input: { text: r[6] }, label: r[5] === '2' ? 0 : 1, attrs: { identity_hate: r[5] === '0' ? 1 : 0 }, task: 'toxicity', source, natural: false,
    }));
  }
  if (/^Tweet\tClass/.test(first)) {
    const rows = parseDelimited(text, '\t');
    return rows.slice(1).filter((r) => r.length >= 2).map((r) => ({
      input: { text: r[0] }, label: r[1].trim() === 'normal' ? 0 : 1, task: 'toxicity', source, natural: false,
    }));
  }
  if (/\t(OFF|NOT_OFF)\t/.test(first)) {
    return lines(text).map((l) => {
      const c = l.split('\t');
      // Collected through the vocative particle يا, which raises the offensive share: not a natural mix.
      return { input: { text: placeholders(c[0]) }, label: c[1] === 'OFF' ? 1 : 0, task: 'toxicity', source, natural: false };
    });
  }
  throw new Error(`${file}: unrecognised data set format (first line: ${JSON.stringify(first.slice(0, 80))})`);
}
