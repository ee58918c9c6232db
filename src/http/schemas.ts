import { z } from 'zod';
import { LANGUAGE_TAG } from '../classifier/language/supported';

/** Request and response schemas shared by validation and /openapi.json, so the two cannot drift apart. */

const text = (max: number) => z.string().max(max);

/** A BCP 47 tag or ISO 639-1 code (`de`, `pt-BR`); bounded repeats only, and capped before the pattern runs. */
const languageTag = z
  .string()
  .max(35)
  .regex(LANGUAGE_TAG, 'must be a language tag such as "de" or "pt-BR"')
  .describe("The comment's language (BCP 47 or ISO 639-1). It picks the toxicity model; without it the language is detected. See docs/models.md.");

export const captchaAnswerSchema = z.object({
  id: z.string().min(1).max(2000).describe('The id of the captcha (or proof-of-work challenge) being answered.'),
  answer: z.string().min(1).max(200).describe('The characters in the image (case-insensitive), or the proof-of-work solution.'),
  pow: z.string().regex(/^\d{1,16}$/).optional().describe('In pow+svg mode, the proof-of-work solution (the answer is then the characters in the image).'),
});

/** The article a thread belongs to, as moderators see it; stored once per thread (comments/thread-info.ts). */
export const threadInfoSchema = z
  .object({
    title: z.string().trim().min(1).max(300).optional().describe("The article's headline."),
    url: z.string().max(2000).pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })).optional()
      .describe("The article's address; from a browser (site key) it must be on one of the site's allowed origins."),
  })
  .strict()
  .refine((t) => t.title !== undefined || t.url !== undefined, { message: 'give a title, a url or both' })
  .describe('Optional: the article this thread belongs to. The first value is kept per thread; the server\'s wins over a browser\'s.');

export const commentSchema = z.object({
  threadId: z.string().trim().min(1).max(500).describe('Article id or URL.'),
  parentId: z.string().min(1).max(100).optional().describe('The comment this one replies to.'),
  author: z.object({
    name: z.string().trim().min(1).max(100),
    email: z.string().trim().max(320).pipe(z.email()),
    url: z.string().max(2000).pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })).optional(),
    verified: z.boolean().optional().describe(
      'Server key only: true when the site vouches for this e-mail (a signed-in user of its CMS). Only verified identities carry a reputation (trusted, often rejected) across comments; see docs/security.md.',
    ),
  }),
  body: z.string().trim().min(1, 'must not be empty').max(10000, 'must be at most 10,000 characters'),
  honeypot: text(1000).optional().describe('A hidden form field; must be empty.'),
  renderedAt: z.iso.datetime({ offset: true }).optional().describe('When the form was shown to the reader.'),
  client: z
    .object({
      ip: z.union([z.ipv4(), z.ipv6()]).optional(),
      userAgent: text(1000).optional(),
      referrer: text(2000).optional(),
    })
    .optional()
    .describe("The commenter's IP, user agent and referrer; server callers must pass the IP."),
  captcha: captchaAnswerSchema.optional(),
  thread: threadInfoSchema.optional(),
  language: languageTag.optional(),
});

export const checkSchema = z.object({
  body: z.string().trim().min(1).max(10000),
  author: z.object({ name: z.string().max(100).optional(), email: z.string().max(320).optional(), url: z.string().max(2000).optional() }).optional(),
  language: languageTag.optional(),
});

export const threadQuerySchema = z.object({
  status: z.enum(['approved', 'pending', 'rejected']).default('approved'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: z.coerce.number().min(0).default(0).describe('Return comments created after this time (ms since epoch), for paging.'),
});

export const explainQuerySchema = z.object({ explain: z.enum(['true', 'false', '1', '0']).optional() });

export const scoresSchema = z.object({ spam: z.number(), toxicity: z.number(), attributes: z.record(z.string(), z.number()).optional() });

export const moderationResultSchema = z.object({
  id: z.string(),
  status: z.enum(['approved', 'pending', 'rejected']),
  scores: scoresSchema,
  reasons: z.array(z.string()),
  explanation: z.unknown().optional(),
});

export const problemSchema = z.object({
  type: z.string(), title: z.string(), status: z.number(), code: z.string(), detail: z.string(), instance: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export const feedbackSchema = z.object({
  label: z.enum(['spam', 'ham', 'toxic', 'ok']).describe('spam / ham teach the spam model; toxic / ok the toxicity model.'),
});
