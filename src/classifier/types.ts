/** Signals about a comment that are not its text; any of them may be unknown. */
export interface SpamMeta {
  linkCount?: number;
  fillTimeMs?: number;
  duplicateCount24h?: number;
  postsPerIp24h?: number;
  /** The linked domain posted by the most distinct authors on the site within the last `minutes` (this one included). */
  campaign?: { domain: string; authors: number; minutes: number };
}

export interface ScoreInput {
  text: string;
  author?: string;
  email?: string;
  url?: string;
  meta?: SpamMeta;
  /** The site's own domain lists (policy `links`): allowed links count as citations, denied ones as spam evidence. */
  domains?: { allow?: readonly string[]; deny?: readonly string[] };
}

/** One token's share of the log-odds, with where it occurs; spans are [start, end) offsets into the original text. */
export interface Explanation {
  token: string;
  contribution: number;
  spans: Array<[number, number]>;
  /** The word is one to highlight: its contribution passes the model's span rule (`Model.spanRule`). */
  marked?: boolean;
  /** What a metadata feature means for this comment, naming the deciding domain ("link to bit.ly (URL shortener)"). */
  detail?: string;
}

export interface ModelResult {
  /** Calibrated probability (0..1) that the comment is spam (spam model) or toxic (toxicity model). */
  score: number;
  /** Per-attribute probabilities (toxic, severe_toxic, obscene, insult, threat, identity_hate) where the model was trained for them. */
  attributes?: Record<string, number>;
  explanation?: Explanation[];
}

export interface ScoreOptions {
  /** Return the tokens that moved the score most. */
  explain?: boolean;
  /** How many tokens the explanation lists besides the marked ones. @defaultValue EXPLAIN_TOP (10) */
  explainTop?: number;
  /** Score as this site's comment: the site's own learned feedback counts extra (site-overlay.ts). */
  siteId?: string;
}

export interface Model {
  name: string;
  task: 'spam' | 'toxicity';
  version: number;
  /** Scores at or above `review` go to a human; at or above `reject` are rejected. */
  thresholds: { review: number; reject: number };
  /** Default thresholds of attribute heads that have their own (toxicity: `threat`). */
  attributeThresholds?: Record<string, { review: number; reject: number }>;
  /**
   * Which explanation tokens are the words to mark (highlights, Perspective spanScores): the `marked` flag of an
   * explanation follows it. Chosen on SemEval-2021 Toxic Spans training data (MODEL_CARD.md).
   */
  spanRule?: SpanRule;
  score(input: ScoreInput, opts?: ScoreOptions): ModelResult;
  /**
   * Adds one labelled example (1 = spam/toxic) to the in-memory counts; weight -1 withdraws one. With `siteId`
   * the example also counts extra for that site's own scores.
   */
  learn(input: ScoreInput, label: 0 | 1, weight?: number, siteId?: string): void;
  /** Adds (or with weight -1 withdraws) one example to site `siteId`'s own counts only; no other site's scores move. */
  learnSite(input: ScoreInput, label: 0 | 1, weight: number, siteId: string): void;
  /** Replaces site `siteId`'s own counts by a snapshot's buckets ([bucket, n0, n1]). */
  loadSite(siteId: string, buckets: Iterable<[number, number, number]>): void;
  /** Sets the global delta several sites agreed on (global counts = trained + delta, never below trained). */
  setAgreed(delta: ReadonlyMap<number, readonly [number, number]>): void;
  /** The buckets learning `input` touches, in the order a site's counts learn them. */
  learnable(input: ScoreInput): number[];
}

/** What makes an explanation's token a marked word: both a floor and a share of the strongest token (span-floor.ts). */
export interface SpanRule {
  /** Contribution to the main score's log-odds a marked token reaches at least. */
  floor: number;
  /** Share of the strongest token's contribution a marked token reaches at least (0: the floor alone). */
  relative: number;
  /** Span words learnt from token-level labels (span-words.ts); a marked word must pass their rule too. */
  words?: SpanWords;
}

/**
 * Which words annotators mark (span-words.ts): Naive Bayes counts over word buckets of marked and unmarked words, and
 * a logistic rule over a word's span evidence, contribution and share of the strongest word's.
 */
export interface SpanWords {
  /** Sparse counts as in a model head (model-file.ts HeadFile: entries, index, neg, pos, scale). */
  counts: { entries: number; index: string; neg: string; pos: string; scale: number };
  total: [number, number];
  vocab: number;
  alpha: number;
  bias: number;
  /** Weights of the rule's inputs (span-words.ts `spanInputs`). */
  weights: number[];
}
