import { flatten, layoutOf, metaBucket, scanFeatures, type FeatureOptions, type FeatureVector, type Layout, type LinkInfo, type TextFeatures } from './features';
import { metaFeatures } from './meta';
import { IDENTITY_MASK, cueNames } from './threat-cues';
import { tokenize, type Token } from './tokenize';
import type { ScoreInput } from './types';

/** A comment turned into features: text features, plus metadata buckets for models that use them. */
export interface Doc {
  tokens: Token[];
  /** The text features by unique word, as scoring reads them. */
  text: TextFeatures;
  /** The same features as one flat bucket list (built on first use: scoring does not need it). */
  readonly v: FeatureVector;
  metaNames: string[];
  meta: number[];
  /** Per metadata feature, a sentence for explanations where it names something (a link's domain), else undefined. */
  metaLabels?: Array<string | undefined>;
}

class FeaturizedDoc implements Doc {
  private flat?: FeatureVector;
  private toks?: Token[];

  constructor(
    private readonly input: string,
    readonly text: TextFeatures,
    readonly metaNames: string[],
    readonly meta: number[],
    readonly metaLabels?: Array<string | undefined>,
  ) {}

  /** Tokens with their spans, made on first use (explanations): scoring works from `text` alone. */
  get tokens(): Token[] {
    return (this.toks ??= tokenize(this.input));
  }

  get v(): FeatureVector {
    return (this.flat ??= flatten(this.text));
  }
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
let lastText: { text: TextFeatures; links: number; found?: LinkInfo; cues: number } | undefined;

/** Forgets the remembered features of the last text (benches that switch feature settings between runs). */
export function forgetLastText(): void {
  lastInput = undefined;
  lastText = undefined;
}

// Metadata names are mostly constant strings ("links=0", "caps=lo"), so their buckets are remembered.
const metaBuckets = new Map<Layout, Map<string, number>>();

function metaBucketOf(name: string, l: Layout): number {
  let m = metaBuckets.get(l);
  if (!m) metaBuckets.set(l, (m = new Map()));
  let b = m.get(name);
  if (b === undefined) {
    b = metaBucket(name, l);
    // E-mail domains are open-ended: the bound keeps a flood of them from growing the map.
    if (m.size < 10000) m.set(name, b);
  }
  return b;
}

// Cue buckets per layout and cue mask: most comments with cues share a few masks, so their bucket lists are
// made once instead of once per comment (the lists are read-only: callers must not change them).
const cueBucketLists = new Map<Layout, number[][]>();

function cueBuckets(mask: number, l: Layout): number[] {
  let byMask = cueBucketLists.get(l);
  if (!byMask) cueBucketLists.set(l, (byMask = []));
  return (byMask[mask] ??= cueNames(mask).map((m) => metaBucketOf(m, l)));
}

/** Turns an input into features under `opt`; `useMeta` adds the metadata features. */
export function featurize(input: ScoreInput, opt: FeatureOptions, useMeta: boolean): Doc {
  const l = layoutFor(opt);
  let t = lastText;
  const same = lastOpt && lastOpt.bits === opt.bits && lastOpt.bigrams === opt.bigrams && lastOpt.char[0] === opt.char[0] && lastOpt.char[1] === opt.char[1] && lastOpt.stem === opt.stem && lastOpt.unigrams === opt.unigrams;
  if (!t || !same || input.text !== lastInput) {
    t = scanFeatures(input.text, opt, l);
    lastInput = input.text;
    lastOpt = opt;
    lastText = t;
  }
  if (!useMeta) {
    // Threat cues ride in the metadata group: a few whole-comment features, like the spam model's signals.
    const mask = opt.identity ? t.cues : t.cues & ~IDENTITY_MASK;
    if (!opt.threat || mask === 0) return new FeaturizedDoc(input.text, t.text, [], []);
    return new FeaturizedDoc(input.text, t.text, cueNames(mask), cueBuckets(mask, l));
  }
  // Only link features carry labels, so most comments allocate no label list.
  const labels: Array<string | undefined> | undefined = t.found || input.url || input.meta?.campaign ? [] : undefined;
  const metaNames = metaFeatures(input, t.links, t.found, labels);
  return new FeaturizedDoc(input.text, t.text, metaNames, metaNames.map((m) => metaBucketOf(m, l)), labels?.length ? labels : undefined);
}
