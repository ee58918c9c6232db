import { bucketOf, G_META, vectorize, type FeatureOptions, type FeatureVector } from './features';
import { metaFeatures } from './meta';
import { tokenize, type Token } from './tokenize';
import type { ScoreInput } from './types';

/** A comment turned into features: text features, plus metadata buckets for models that use them. */
export interface Doc {
  tokens: Token[];
  v: FeatureVector;
  metaNames: string[];
  meta: number[];
}

// The service scores one comment with the spam model and then the toxicity model; remembering the last
// text's features lets the second model skip tokenising and hashing again.
let lastKey = '';
let lastText: { tokens: Token[]; v: FeatureVector } | undefined;

/** Turns an input into features under `opt`; `useMeta` adds the metadata features. */
export function featurize(input: ScoreInput, opt: FeatureOptions, useMeta: boolean): Doc {
  const key = `${opt.bits}|${opt.bigrams}|${opt.char[0]}-${opt.char[1]}|${input.text}`;
  let t = lastText;
  if (key !== lastKey || !t) {
    const tokens = tokenize(input.text);
    t = { tokens, v: vectorize(tokens, opt) };
    lastKey = key;
    lastText = t;
  }
  const metaNames = useMeta ? metaFeatures(input, t.tokens) : [];
  const mask = (1 << opt.bits) - 1;
  return { tokens: t.tokens, v: t.v, metaNames, meta: metaNames.map((m) => bucketOf(m, G_META, mask)) };
}

/** Bucket of a metadata feature name, as `featurize` computes it. */
export function metaBucket(name: string, opt: FeatureOptions): number {
  return bucketOf(name, G_META, (1 << opt.bits) - 1);
}
