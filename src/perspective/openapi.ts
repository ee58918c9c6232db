import { z } from 'zod';
import type { Operation } from '../http/openapi';
import { analyzeRequestSchema, suggestRequestSchema } from './request';

const score = z.object({ value: z.number(), type: z.literal('PROBABILITY') });
const googleError = z.object({ error: z.object({ code: z.number(), message: z.string(), status: z.string() }) });
const keyQuery = z.object({ key: z.string().describe("The site's secret key (sk_...); X-Goog-Api-Key works too. Never logged.") });

const errors = {
  '400': { description: 'INVALID_ARGUMENT (Google error shape): bad or missing key, unknown attribute, bad scoreType, empty or too long text, malformed JSON, unsupported language', schema: googleError },
  '403': { description: 'PERMISSION_DENIED: a site key (pk_...) instead of the secret key', schema: googleError },
  '429': { description: 'RESOURCE_EXHAUSTED: over the site\'s rateLimits.perspectivePerMinute', schema: googleError },
  '503': { description: 'UNAVAILABLE: Vigil cannot reach Redis', schema: googleError },
};

/** The two v1alpha1 routes as /openapi.json documents them. Errors use Google's shape, not problem+json. */
export const perspectiveOperations: Operation[] = [
  {
    method: 'post', path: '/v1alpha1/comments:analyze', auth: 'none', query: keyQuery, body: analyzeRequestSchema,
    summary: "Perspective-compatible (Comment Analyzer v1alpha1) analyze: TOXICITY, SEVERE_TOXICITY (when the model has the head), IDENTITY_ATTACK, INSULT, PROFANITY, THREAT and SPAM as PROBABILITY scores, with spanScores on request (the runs of words the span rule marks, as /moderate highlights them). Stores nothing, whatever doNotStore says.",
    responses: {
      '200': {
        description: 'AnalyzeCommentResponse',
        schema: z.object({
          attributeScores: z.record(z.string(), z.object({ summaryScore: score, spanScores: z.array(z.object({ begin: z.number(), end: z.number(), score })).optional() })),
          languages: z.array(z.string()), detectedLanguages: z.array(z.string()), clientToken: z.string().optional(),
        }),
      },
      ...errors,
    },
  },
  {
    method: 'post', path: '/v1alpha1/comments:suggestscore', auth: 'none', query: keyQuery, body: suggestRequestSchema,
    summary: "Perspective-compatible suggestscore: the caller's verdict (summaryScore >= 0.5 means the attribute applies) becomes this site's feedback for learning.",
    responses: {
      '200': { description: 'SuggestCommentScoreResponse', schema: z.object({ clientToken: z.string().optional(), detectedLanguages: z.array(z.string()), requestedLanguages: z.array(z.string()) }) },
      ...errors,
    },
  },
];
