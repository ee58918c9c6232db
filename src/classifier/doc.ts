import { layoutOf, metaBucket, vectorize, type FeatureOptions, type FeatureVector, type Layout } from './features';
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

const layouts = new Map<string, Layout>();

/** The layout for feature options (cached: it is needed for every document). */
export function layoutFor(opt: FeatureOptions): Layout {
  const key = `${opt.bits}`;
  let l = layouts.get(key);
  if (!l) layouts.set(key, (l = layoutOf(opt)));
  return l;
}

// The service scores one comment with the spam model and then the toxicity model; remembering the last
// text's features lets the second model skip tokenising and hashing again.
let lastInput: string | undefined;
let lastOpt: FeatureOptions | undefined;
let lastText: { tokens: Token[]; v: FeatureVector } | undefined;

/** Turns an input into features under `opt`; `useMeta` adds the metadata features. */
export function featurize(input: ScoreInput, opt: FeatureOptions, useMeta: boolean): Doc {
  const l = layoutFor(opt);
  let t = lastText;
  const same = lastOpt && lastOpt.bits === opt.bits && lastOpt.bigrams === opt.bigrams && lastOpt.char[0] === opt.char[0] && lastOpt.char[1] === opt.char[1];
  if (!t || !same || input.text !== lastInput) {
    const tokens = tokenize(input.text);
    t = { tokens, v: vectorize(tokens, opt, l) };
    lastInput = input.text;
    lastOpt = opt;
    lastText = t;
  }
  const metaNames = useMeta ? metaFeatures(input, t.tokens) : [];
  return { tokens: t.tokens, v: t.v, metaNames, meta: metaNames.map((m) => metaBucket(m, l)) };
}
