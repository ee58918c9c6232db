import { sigmoid } from './calibration';
import type { Doc } from './doc';
import type { ModelFile } from './model-file';
import { NaiveBayesModel } from './model';
import type { Model, ModelResult, ScoreInput, ScoreOptions, SpanRule } from './types';

/**
 * The spam model with a style gate (ModelFile.style; docs/decisions/0085-spam-style-gate.md). Readers of news sites
 * cite sources, and on YouTube or by SMS a link nearly always means spam; one Naive Bayes model trained on both
 * ranked each worse than one trained on its own. So there are two experts, and a third small model, the gate, says
 * from the words alone whether a comment reads like a news or forum comment (probability >= 0.5) or like a short
 * message; that expert alone scores it. (Mixing the two experts' log-odds or probabilities by the gate's probability
 * was measured on training data and flagged more citations: MODEL_CARD.md.) Moderator feedback teaches both experts
 * the same buckets; the gate learns nothing (it is about style, not spam).
 */
export class StyleGatedModel implements Model {
  readonly name: string;
  readonly task: 'spam' | 'toxicity';
  readonly version: number;
  readonly thresholds: { review: number; reject: number };
  readonly spanRule?: SpanRule;
  readonly file: ModelFile;
  readonly news: NaiveBayesModel;
  readonly short: NaiveBayesModel;
  readonly gate: NaiveBayesModel;
  private readonly a: number;
  private readonly b: number;

  constructor(file: ModelFile) {
    const style = file.style;
    if (!style) throw new Error('a style-gated model needs a style gate');
    this.file = file;
    const { style: _drop, ...news } = file;
    this.news = new NaiveBayesModel(news);
    this.short = new NaiveBayesModel(style.short);
    this.gate = new NaiveBayesModel(style.gate);
    [this.a, this.b] = style.map;
    this.name = file.name;
    this.task = file.task;
    this.version = file.version;
    this.thresholds = { ...file.thresholds };
    this.spanRule = this.news.spanRule;
  }

  /** Heads this model scores (Perspective reads them by name). */
  get headNames(): string[] {
    return ['score'];
  }

  /** Whether the short-message expert scores `d`: the gate's probability of a news or forum comment is below 0.5. */
  isShort(d: Doc): boolean {
    return this.gate.logOdds(d) < 0;
  }

  /** The expert for `d`, and its log-odds of spam on the news expert's scale. */
  private route(d: Doc, siteId?: string): { z: number; expert: NaiveBayesModel } {
    if (!this.isShort(d)) return { z: this.news.logOdds(d, siteId), expert: this.news };
    return { z: this.a * this.short.logOdds(d, siteId) + this.b, expert: this.short };
  }

  score(input: ScoreInput, opts?: ScoreOptions): ModelResult {
    if (!input || typeof input.text !== 'string') throw new TypeError('score input needs a string "text"');
    const d = this.news.featurize(input);
    const { z, expert } = this.route(d, opts?.siteId);
    const result: ModelResult = { score: sigmoid(z) };
    // The expert that scored the comment explains it (in its own log-odds: the short expert's before the map).
    if (opts?.explain) result.explanation = expert.score(input, opts).explanation;
    return result;
  }

  learn(input: ScoreInput, label: 0 | 1, weight = 1, siteId?: string): void {
    this.news.learn(input, label, weight, siteId);
    this.short.learn(input, label, weight, siteId);
  }

  learnSite(input: ScoreInput, label: 0 | 1, weight: number, siteId: string): void {
    this.news.learnSite(input, label, weight, siteId);
    this.short.learnSite(input, label, weight, siteId);
  }

  loadSite(siteId: string, buckets: Iterable<[number, number, number]>): void {
    const all = [...buckets];
    this.news.loadSite(siteId, all);
    this.short.loadSite(siteId, all);
  }

  setAgreed(delta: ReadonlyMap<number, readonly [number, number]>): void {
    this.news.setAgreed(delta);
    this.short.setAgreed(delta);
  }

  /** Both experts share the feature layout and hand-set priors, so they learn the same buckets. */
  learnable(input: ScoreInput): number[] {
    return this.news.learnable(input);
  }

  /** The model with everything learned so far (with a site: as that site scores), as one model file. */
  toFile(siteId?: string): ModelFile {
    return { ...this.news.toFile(siteId), style: { ...this.file.style!, short: this.short.toFile(siteId) } };
  }
}

/** The model for a model file: style-gated when the file has a gate. */
export function modelOf(file: ModelFile): Model {
  return file.style ? new StyleGatedModel(file) : new NaiveBayesModel(file);
}
