import { layoutFor, type Doc } from './doc';
import { bigramBucket, tokenHash, type FeatureOptions } from './features';
import { META_DETAIL } from './meta';
import type { ScoringTable } from './scoring-table';
import { markExplanation, type SpanRule } from './span-floor';
import type { WordBuckets } from './span-words';
import type { Explanation } from './types';

/** How many tokens an explanation lists (besides every marked one). @defaultValue 10 */
export const EXPLAIN_TOP = 10;

/**
 * The rule for marked words (span-floor.ts) of a model file that carries none of its own (files trained before
 * it): a token adding at least 0.5 to the log-odds and a quarter of the strongest token's share. The shipped
 * toxicity model stores the rule chosen on SemEval-2021 Toxic Spans training data (MODEL_CARD.md).
 */
export const DEFAULT_SPAN_RULE: SpanRule = { floor: 0.5, relative: 0.25 };

/**
 * Splits the main score's calibrated log-odds over the tokens that produced each feature. A word's
 * unigram and char n-grams are its own (features.ts counts them once per distinct word); a bigram is
 * split evenly between its two words. The contributions plus the bias and the length term add up to
 * the score's log-odds.
 */
export function explain(d: Doc, t: ScoringTable, opt: FeatureOptions, top = EXPLAIN_TOP, site?: (f: number) => number, rule?: SpanRule): Explanation[] {
  const { entries, words } = explainWords(d, t, opt, site);
  // Every marked word is listed, even past `top`, so highlights never lose one.
  const sorted = entries.filter((e) => Math.abs(e.contribution) > 1e-6).sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  if (rule) markExplanation(sorted, rule, words);
  return sorted.filter((e, i) => i < top || e.marked).map((e) => ({ ...e, contribution: Math.round(e.contribution * 1e4) / 1e4 }));
}

/** Every token's share of the log-odds (unsorted, unrounded) and each word's buckets, for explanations and span training. */
export function explainWords(d: Doc, t: ScoringTable, opt: FeatureOptions, site?: (f: number) => number): { entries: Explanation[]; words: WordBuckets } {
  const H = t.heads.length;
  const l = layoutFor(opt);
  // With a site's learned feedback, each bucket also carries the site's adjustment (site-overlay.ts).
  const at = (f: number): number => t.q[f * H] + (site ? site(f) : 0);
  const byValue = new Map<string, Explanation>();
  const words: WordBuckets = new Map();
  const entryOf = (value: string): Explanation => {
    let e = byValue.get(value);
    if (!e) byValue.set(value, (e = { token: value, contribution: 0, spans: [] }));
    return e;
  };
  // Unique words appear in `d.text.words` in the order of their first occurrence.
  let w = 0;
  for (const tok of d.tokens) {
    const e = entryOf(tok.value);
    e.spans.push([tok.start, tok.end]);
    if (e.spans.length > 1) continue;
    const buckets = d.text.words[w++];
    if (!buckets) continue;
    words.set(e, buckets);
    for (let k = 1; k < buckets.length; k++) e.contribution += at(buckets[k]);
  }
  // Bigrams are re-derived in token order with the same de-duplication, so each is credited to its pair.
  if (d.text.bigrams.length) {
    const seen = new Set<number>();
    let prev = tokenHash(d.tokens[0].value);
    for (let i = 1; i < d.tokens.length; i++) {
      const hu = tokenHash(d.tokens[i].value);
      const b = bigramBucket(prev, hu, l);
      prev = hu;
      if (seen.has(b)) continue;
      seen.add(b);
      entryOf(d.tokens[i - 1].value).contribution += at(b) / 2;
      entryOf(d.tokens[i].value).contribution += at(b) / 2;
    }
  }
  const out = [...byValue.values()];
  d.meta.forEach((bucket, i) => {
    const detail = d.metaLabels?.[i] ?? META_DETAIL[d.metaNames[i]];
    out.push({ token: 'meta:' + d.metaNames[i], contribution: at(bucket), spans: [], ...(detail ? { detail } : {}) });
  });
  return { entries: out, words };
}
