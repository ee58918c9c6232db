import { explainWords } from './explain';
import type { NaiveBayesModel } from './model';
import { chooseSpanRule, markExplanation } from './span-floor';
import { learnSpanWords, spanWordMarked, type SpanExample } from './span-words';
import { markedOffsets, spanF1, type SpanPost } from './spans';
import type { Explanation, SpanRule } from './types';

/**
 * Chooses the span rule of a toxicity model on SemEval-2021 Toxic Spans training posts (training only: the held-out
 * F1 is reported, never tuned): the best floor / share-of-the-strongest rule (span-floor.ts), and span words learnt
 * from the posts' token-level labels (span-words.ts). The span words are kept only when their out-of-fold F1 on the
 * training posts beats the plain rule's.
 */
export function learnSpanRule(model: NaiveBayesModel, posts: SpanPost[], seed = 1): SpanRule & { f1: number; plain: SpanRule & { f1: number } } {
  const plain = chooseSpanRule(model, posts);
  const examples: SpanExample[] = [];
  // Per post, its words (with a contribution) and the index of each word's example.
  const perPost: Array<{ entries: Explanation[]; ex: number[] }> = [];
  posts.forEach((p, k) => {
    const d = model.featurize({ text: p.text });
    const { entries, words } = explainWords(d, model.table, model.file.features);
    const gold = new Set(p.gold);
    let top = 0;
    for (const e of entries) if (e.spans.length && e.contribution > top) top = e.contribution;
    const kept: Explanation[] = [];
    const ex: number[] = [];
    for (const e of entries) {
      const b = words.get(e);
      if (!e.spans.length || !b) continue;
      let n = 0;
      let g = 0;
      for (const [s, t] of e.spans) for (let c = s; c < t; c++, n++) if (gold.has(c)) g++;
      kept.push(e);
      ex.push(examples.length);
      examples.push({ post: k, buckets: b, c: e.contribution, top, gold: n > 0 && g * 2 >= n ? 1 : 0 });
    }
    perPost.push({ entries: kept, ex });
  });
  const choose = (w: Parameters<typeof spanWordMarked>[0], x: number[][], shift: number): number => {
    let sum = 0;
    posts.forEach((p, k) => {
      const { entries, ex } = perPost[k];
      entries.forEach((e, j) => (e.marked = examples[ex[j]].c > 0 && spanWordMarked(w, x[ex[j]], shift)));
      sum += spanF1(markedOffsets(p.text, entries), p.gold);
    });
    return posts.length ? sum / posts.length : 0;
  };
  const learnt = learnSpanWords(examples, posts.length, choose, seed);
  if (learnt.f1 <= plain.f1) return { floor: plain.floor, relative: plain.relative, f1: plain.f1, plain };
  const { f1, ...words } = learnt;
  return { floor: 0, relative: 0, words, f1, plain };
}

/**
 * Mean SemEval-2021 Task 5 F1 of a NaiveBayesModel's highlights under `rule` (span-floor.ts `spanF1ByRule` for
 * rules with span words, which need each word's buckets).
 */
export function spanF1Of(model: NaiveBayesModel, posts: SpanPost[], rule: SpanRule): number {
  let sum = 0;
  for (const p of posts) {
    const { entries, words } = explainWords(model.featurize({ text: p.text }), model.table, model.file.features);
    sum += spanF1(markedOffsets(p.text, markExplanation(entries, rule, words)), p.gold);
  }
  return posts.length ? sum / posts.length : 0;
}
