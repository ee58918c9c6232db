import { extract, G_META, type FeatureOptions } from './features';
import type { Doc } from './doc';
import { inputOf, type RuntimeHead } from './naive-bayes';
import type { Explanation } from './types';

/** How many tokens an explanation lists. @defaultValue 10 */
export const EXPLAIN_TOP = 10;

/**
 * Splits the calibrated log-odds over the tokens that produced each feature. A feature shared by
 * several tokens (a char n-gram in two words, a bigram) is split evenly between them, so the
 * contributions plus the bias and the length term add up to the score's log-odds.
 */
export function explain(d: Doc, head: RuntimeHead, opt: FeatureOptions, top = EXPLAIN_TOP): Explanation[] {
  const owners = new Map<number, { group: number; weight: number; tokens: number[] }>();
  extract(d.tokens, opt, (bucket, group, a, b, weight) => {
    let o = owners.get(bucket);
    if (!o) owners.set(bucket, (o = { group, weight, tokens: [] }));
    o.tokens.push(a);
    if (b >= 0) o.tokens.push(b);
  });
  const perToken = new Float64Array(d.tokens.length);
  for (const [bucket, o] of owners) {
    const { r, cls } = head.table;
    const c = (head.cal.weights[inputOf(o.group, cls[bucket])] * r[bucket] * o.weight) / o.tokens.length;
    for (const t of o.tokens) perToken[t] += c;
  }
  const byValue = new Map<string, Explanation>();
  d.tokens.forEach((t, i) => {
    let e = byValue.get(t.value);
    if (!e) byValue.set(t.value, (e = { token: t.value, contribution: 0, spans: [] }));
    e.contribution += perToken[i];
    e.spans.push([t.start, t.end]);
  });
  // Equal tokens share the same features, so their summed share is already counted once per occurrence.
  const out = [...byValue.values()];
  const { r, cls } = head.table;
  d.meta.forEach((bucket, i) => {
    const contribution = head.cal.weights[inputOf(G_META, cls[bucket])] * r[bucket];
    out.push({ token: 'meta:' + d.metaNames[i], contribution, spans: [] });
  });
  return out
    .filter((e) => Math.abs(e.contribution) > 1e-6)
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    .slice(0, top)
    .map((e) => ({ ...e, contribution: Math.round(e.contribution * 1e4) / 1e4 }));
}
