import type Redis from 'ioredis';
import type { ScoringModels } from '../classifier';
import { recordFeedback, type Feedback, type RecordOptions } from '../learning/feedback';
import { lookupAttribute } from './attributes';
import { invalid } from './google-error';
import { languageRefusal, languagesOf } from './languages';
import type { SuggestRequest } from './request';

export interface SuggestResponse {
  clientToken?: string;
  detectedLanguages: string[];
  requestedLanguages: string[];
}

/** A suggested summary score at or above this means the attribute applies (Coral sends 0 or 1). */
export const APPLIES = 0.5;

/**
 * comments:suggestscore. The caller's verdict on a comment becomes the site's own feedback: the toxicity attributes
 * teach the toxicity model (the comment is toxic when any of them applies), SPAM teaches the spam model. The example is
 * not tied to a comment Vigil stored, so it moves only this site's scores, and it counts against the site's hourly
 * feedback limit like POST /v1/comments/{id}/feedback. Attributes Perspective had but Vigil has no model for are
 * accepted and learn nothing.
 */
export async function suggestScore(
  redis: Redis, models: ScoringModels, siteId: string, req: SuggestRequest, limits: RecordOptions,
): Promise<SuggestResponse> {
  const text = req.comment.text;
  const langs = languagesOf(text, req.languages);
  const labels: Partial<Record<Feedback['task'], boolean>> = {};
  for (const [name, scores] of Object.entries(req.attributeScores)) {
    const found = lookupAttribute(name, models);
    if (found.kind === 'unknown') throw invalid(`Unknown attribute: ${name.slice(0, 64)}.`);
    if (found.kind === 'unsupported') continue;
    if (scores.summaryScore === undefined) throw invalid(`attributeScores.${name}.summaryScore.value is required.`);
    const type = scores.summaryScore.type;
    if (type !== undefined && type !== 'PROBABILITY' && type !== 'SCORE_TYPE_UNSPECIFIED') throw invalid(`Unsupported score type for ${name}: only PROBABILITY is available.`);
    const refusal = languageRefusal(name, found.languages, langs);
    if (refusal) throw invalid(refusal);
    const task = found.source.model;
    labels[task] = (labels[task] ?? false) || scores.summaryScore.value >= APPLIES;
  }
  for (const [task, positive] of Object.entries(labels) as Array<[Feedback['task'], boolean]>) {
    await recordFeedback(redis, siteId, { task, positive, text, source: 'site' }, limits);
  }
  return {
    ...(req.clientToken !== undefined ? { clientToken: req.clientToken } : {}),
    detectedLanguages: langs.detected,
    requestedLanguages: langs.requested,
  };
}
