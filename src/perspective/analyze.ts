import type { ModelResult, ScoringModels } from '../classifier';
import { toxicityModelFor } from '../classifier/language/toxicity-models';
import { markedRuns } from '../classifier/marked-runs';
import { linkListsOf } from '../moderation/link-lists';
import { effectiveThresholds } from '../moderation/policy';
import type { Site } from '../sites/site-store';
import { headValue, lookupAttribute, type AttributeSource } from './attributes';
import { invalid } from './google-error';
import { languageRefusal, languagesOf } from './languages';
import type { AnalyzeRequest } from './request';

interface Score { value: number; type: 'PROBABILITY' }
interface AttributeScores { summaryScore: Score; spanScores?: Array<{ begin: number; end: number; score: Score }> }

export interface AnalyzeResponse {
  attributeScores: Record<string, AttributeScores>;
  languages: string[];
  detectedLanguages: string[];
  clientToken?: string;
}


/** Most spans an answer lists; the marked runs past it are left out. */
export const MAX_SPANS = 100;

const probability = (value: number): Score => ({ value: Math.round(value * 1e6) / 1e6, type: 'PROBABILITY' });

/**
 * comments:analyze. Scores the text with the site's view of the models (its own learnt feedback counts) and stores
 * nothing, whatever doNotStore says. Request checks follow Perspective: an unknown attribute or a score type other than
 * PROBABILITY is refused; an attribute the models do not serve, or not in the request's language, is refused unless
 * dropUnsupportedAttributes, in which case it is left out. SPAM reads the site's link lists as /v1/comments does.
 */
export function analyzeComment(models: ScoringModels, site: Pick<Site, 'id' | 'policy'>, req: AnalyzeRequest): AnalyzeResponse {
  const text = req.comment.text;
  const langs = languagesOf(text, req.languages);
  const wanted: Array<{ name: string; source: AttributeSource; threshold?: number }> = [];
  for (const [name, params] of Object.entries(req.requestedAttributes)) {
    const found = lookupAttribute(name, models);
    if (found.kind === 'unknown') throw invalid(`Unknown attribute: ${name.slice(0, 64)}.`);
    if (params.scoreType !== undefined && params.scoreType !== 'PROBABILITY' && params.scoreType !== 'SCORE_TYPE_UNSPECIFIED') {
      throw invalid(`Unsupported scoreType for ${name}: ${params.scoreType.slice(0, 64)}; only PROBABILITY is available.`);
    }
    const refusal = found.kind === 'served' ? languageRefusal(name, found.languages, langs) : `Attribute ${name} is not supported by this server.`;
    if (refusal) {
      if (req.dropUnsupportedAttributes) continue;
      throw invalid(refusal);
    }
    if (found.kind === 'served') wanted.push({ name, source: found.source, threshold: params.scoreThreshold });
  }

  const opts = { siteId: site.id };
  const lists = linkListsOf(site.policy);
  // The toxicity attributes are read from the model of the (first) effective language: its own where it has one.
  const byModel = { spam: models.spam, toxicity: toxicityModelFor(models, langs.effective[0], text).model };
  const results: Partial<Record<'spam' | 'toxicity', ModelResult>> = {};
  // With spans, the comment is scored with its explanation (only the marked words: explainTop 0).
  const explainOpts = req.spanAnnotations ? { ...opts, explain: true, explainTop: 0 } : opts;
  const scoreWith = (m: 'spam' | 'toxicity', t: string, o: typeof explainOpts = opts) => byModel[m].score(m === 'spam' ? { text: t, ...lists } : { text: t }, o);
  for (const w of wanted) results[w.source.model] ??= scoreWith(w.source.model, text, explainOpts);

  // The spans are the runs of words the model's span rule marks, as /moderate highlights them (marked-runs.ts): only
  // for a model whose score reached the site's review threshold (toxicity: or threat its own), since the rule, chosen
  // on toxic posts, marks the likeliest words of any comment. Each run is scored once per model, whatever number of
  // attributes read it. A text with no run shown is one span, scored as the whole comment.
  const th = effectiveThresholds(site.policy, {
    spam: byModel.spam.thresholds, toxicity: byModel.toxicity.thresholds, threat: byModel.toxicity.attributeThresholds?.threat,
  });
  const marksShown = (m: 'spam' | 'toxicity', r: ModelResult): boolean => r.score >= th[m].review
    || (m === 'toxicity' && th.threat !== undefined && (r.attributes?.threat ?? 0) >= th.threat.review);
  const spanResults: Partial<Record<'spam' | 'toxicity', { runs: Array<[number, number]>; scored: ModelResult[] }>> = {};
  if (req.spanAnnotations) {
    for (const w of wanted) {
      const m = w.source.model;
      if (spanResults[m]) continue;
      const runs = marksShown(m, results[m]!) ? markedRuns(text, results[m]!.explanation).slice(0, MAX_SPANS) : [];
      spanResults[m] = runs.length ? { runs, scored: runs.map(([b, e]) => scoreWith(m, text.slice(b, e))) } : { runs: [[0, text.length]], scored: [results[m]!] };
    }
  }

  const attributeScores: Record<string, AttributeScores> = {};
  for (const w of wanted) {
    const value = headValue(results[w.source.model]!, w.source.head);
    if (w.threshold !== undefined && value < w.threshold) continue;
    const a: AttributeScores = { summaryScore: probability(value) };
    const perSpan = spanResults[w.source.model];
    if (perSpan) a.spanScores = perSpan.runs.map(([begin, end], i) => ({ begin, end, score: probability(headValue(perSpan.scored[i], w.source.head)) }));
    attributeScores[w.name] = a;
  }
  return {
    attributeScores,
    languages: langs.effective,
    detectedLanguages: langs.detected,
    ...(req.clientToken !== undefined ? { clientToken: req.clientToken } : {}),
  };
}
