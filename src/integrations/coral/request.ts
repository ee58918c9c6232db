import { z } from 'zod';

/** Coral's ExternalModerationRequest (server/src/core/server/services/comments/pipeline/phases/external.ts). */
export const coralRequestSchema = z.object({
  action: z.enum(['NEW', 'EDIT']),
  comment: z.object({
    // The HTML format is longer than the text it carries; the text is capped after conversion.
    body: z.string().max(60000),
    parentID: z.string().max(200).nullable().optional(),
  }),
  author: z.object({ id: z.string().min(1).max(200), role: z.string().max(50) }),
  story: z.object({ id: z.string().min(1).max(500), url: z.string().max(2000).optional() }),
  site: z.object({ id: z.string().max(200) }).optional(),
  tenantID: z.string().max(200).optional(),
  tenantDomain: z.string().max(253).optional(),
});

export type CoralRequest = z.output<typeof coralRequestSchema>;

/** Coral's ExternalModerationResponse, as Vigil fills it in. */
export const coralResponseSchema = z.object({
  status: z.enum(['SYSTEM_WITHHELD', 'REJECTED', 'PREMOD']),
  actions: z.array(z.object({ actionType: z.literal('FLAG'), reason: z.enum(['COMMENT_DETECTED_TOXIC', 'COMMENT_DETECTED_SPAM']) })).optional(),
});

export type CoralResponse = z.output<typeof coralResponseSchema>;
