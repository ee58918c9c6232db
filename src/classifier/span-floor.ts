import type { Explanation, Model, SpanRule } from './types';
import { markedOffsets, spanF1, type SpanPost } from './spans';
import { maxEvidence, spanEvidence, spanInputs, spanWordMarked, type WordBuckets } from './span-words';

export type { SpanRule };

/** Whether a token with contribution `c` is marked in an explanation whose strongest positive contribution is `top`. */
export function isMarked(c: number, top: number, rule: SpanRule): boolean {
  return c >= rule.floor && c >= rule.relative * top && c > 0;
}

/**
 * Sets `marked` on every token with spans: whether `rule` marks it. A rule with span words also needs each word's
 * buckets (`words`); a word without them is judged by the floor alone.
 */
export function markExplanation(ex: Explanation[], rule: SpanRule, words?: WordBuckets): Explanation[] {
  let top = 0;
  for (const e of ex) if (e.spans.length && e.contribution > top) top = e.contribution;
  const sw = rule.words;
  // Span evidence of every word the main score counts as toxic, and the comment's highest.
  const ev = new Map<Explanation, [number, number]>();
  if (sw && words) {
    for (const e of ex) {
      const b = words.get(e);
      if (e.spans.length && e.contribution > 0 && b) ev.set(e, spanEvidence(sw, b));
    }
  }
  const maxEv = maxEvidence([...ev.values()]);
  // Every word gets the flag, false included, so a reader can tell "nothing to mark" from an older explanation.
  for (const e of ex) {
    if (!e.spans.length) {
      delete e.marked;
      continue;
    }
    let m = isMarked(e.contribution, top, rule);
    const v = ev.get(e);
    if (m && sw && v) m = spanWordMarked(sw, spanInputs(v, e.contribution, top, maxEv));
    e.marked = m;
  }
  return ex;
}

const FLOORS = [0, 0.2, 0.4, 0.6, 0.8, 1, 1.2, 1.5, 2, 2.5];
const RELATIVE = [0, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9];

/** Mean SemEval-2021 Task 5 F1 of a model's highlights under each rule (explanations listing every token). */
export function spanF1ByRule(model: Model, posts: SpanPost[], rules: SpanRule[]): number[] {
  const sums = rules.map(() => 0);
  for (const p of posts) {
    const ex = model.score({ text: p.text }, { explain: true, explainTop: Infinity }).explanation ?? [];
    rules.forEach((r, k) => (sums[k] += spanF1(markedOffsets(p.text, markExplanation(ex, r)), p.gold)));
  }
  return sums.map((s) => (posts.length ? s / posts.length : 0));
}

/** The rule with the best mean span F1 on `posts` (training posts only: the held-out F1 is reported, never tuned). */
export function chooseSpanRule(model: Model, posts: SpanPost[]): SpanRule & { f1: number } {
  const rules = FLOORS.flatMap((floor) => RELATIVE.map((relative) => ({ floor, relative })));
  const f1 = spanF1ByRule(model, posts, rules);
  let best = 0;
  for (let k = 1; k < rules.length; k++) if (f1[k] > f1[best]) best = k;
  return { ...rules[best], f1: f1[best] };
}
