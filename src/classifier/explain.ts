import { layoutFor, type Doc } from './doc';
import { extract, type FeatureOptions } from './features';
import type { ScoringTable } from './scoring-table';
import type { Explanation } from './types';

/** How many tokens an explanation lists. @defaultValue 10 */
export const EXPLAIN_TOP = 10;

/**
 * Splits the main score's calibrated log-odds over the tokens that produced each feature. A feature
 * shared by several tokens (a char n-gram in two words, a bigram) is split evenly between them, so the
 * contributions plus the bias and the length term add up to the score's log-odds.
 */
export function explain(d: Doc, t: ScoringTable, opt: FeatureOptions, top = EXPLAIN_TOP): Explanation[] {
  const H = t.heads.length;
  const owners = new Map<number, number[]>();
  extract(d.tokens, opt, layoutFor(opt), (bucket, a, b) => {
    let o = owners.get(bucket);
    if (!o) owners.set(bucket, (o = []));
    o.push(a);
    if (b >= 0) o.push(b);
  });
  const perToken = new Float64Array(d.tokens.length);
  for (const [bucket, o] of owners) {
    const c = t.q[bucket * H] / o.length;
    for (const i of o) perToken[i] += c;
  }
  const byValue = new Map<string, Explanation>();
  d.tokens.forEach((tok, i) => {
    let e = byValue.get(tok.value);
    if (!e) byValue.set(tok.value, (e = { token: tok.value, contribution: 0, spans: [] }));
    e.contribution += perToken[i];
    e.spans.push([tok.start, tok.end]);
  });
  const out = [...byValue.values()];
  d.meta.forEach((bucket, i) => out.push({ token: 'meta:' + d.metaNames[i], contribution: t.q[bucket * H], spans: [] }));
  return out
    .filter((e) => Math.abs(e.contribution) > 1e-6)
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    .slice(0, top)
    .map((e) => ({ ...e, contribution: Math.round(e.contribution * 1e4) / 1e4 }));
}
