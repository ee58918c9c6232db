import { z } from 'zod';

/** Perspective's limit on comment.text, in bytes of UTF-8. */
export const MAX_TEXT_BYTES = 20480;

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const textType = z.enum(['TEXT_TYPE_UNSPECIFIED', 'PLAIN_TEXT', 'HTML']).optional();

/** The comment: text of 1 to 20,480 bytes. */
export const commentEntrySchema = z.object({
  text: z
    .string({ error: 'comment.text is required.' })
    .refine((t) => t.trim().length > 0, 'Comment text was empty.')
    .refine((t) => bytes(t) <= MAX_TEXT_BYTES, `Comment text too long: at most ${MAX_TEXT_BYTES} bytes.`),
  type: textType,
});

/** Context entries are read by no model; they are capped so a request cannot be made large through them. */
const contextSchema = z
  .object({
    entries: z.array(z.object({ text: z.string().max(MAX_TEXT_BYTES).optional(), type: textType })).max(20).optional(),
    articleAndParentComment: z
      .object({
        article: z.object({ text: z.string().max(MAX_TEXT_BYTES).optional(), type: textType }).optional(),
        parentComment: z.object({ text: z.string().max(MAX_TEXT_BYTES).optional(), type: textType }).optional(),
      })
      .optional(),
  })
  .optional();

const attributeName = z.string().min(1).max(64);
const common = {
  comment: commentEntrySchema,
  context: contextSchema,
  languages: z.array(z.string().max(35)).max(10).optional(),
  clientToken: z.string().max(1000).optional(),
  sessionId: z.string().max(1000).optional(),
  communityId: z.string().max(1000).optional(),
};

/** AnalyzeCommentRequest, as Google's discovery document defines it; unknown fields are ignored, as Google does. */
export const analyzeRequestSchema = z.object({
  ...common,
  requestedAttributes: z
    .record(
      attributeName,
      z.object({
        scoreType: z.string().max(64).optional(),
        scoreThreshold: z.number().min(0).max(1).optional(),
      }),
    )
    .refine((m) => Object.keys(m).length > 0, 'requestedAttributes must name at least one attribute.')
    .refine((m) => Object.keys(m).length <= 32, 'requestedAttributes names at most 32 attributes.'),
  spanAnnotations: z.boolean().optional(),
  doNotStore: z.boolean().optional(),
  dropUnsupportedAttributes: z.boolean().optional(),
});

const score = z.object({ value: z.number().min(0).max(1), type: z.string().max(64).optional() });

/** SuggestCommentScoreRequest: the caller's own scores for a comment (Coral sends 0 or 1 for its model). */
export const suggestRequestSchema = z.object({
  ...common,
  attributeScores: z
    .record(
      attributeName,
      z.object({
        summaryScore: score.optional(),
        spanScores: z.array(z.object({ begin: z.number().int().optional(), end: z.number().int().optional(), score: score.optional() })).max(100).optional(),
      }),
    )
    .refine((m) => Object.keys(m).length > 0, 'attributeScores must name at least one attribute.')
    .refine((m) => Object.keys(m).length <= 32, 'attributeScores names at most 32 attributes.'),
});

export type AnalyzeRequest = z.output<typeof analyzeRequestSchema>;
export type SuggestRequest = z.output<typeof suggestRequestSchema>;
