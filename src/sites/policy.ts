import { z } from 'zod';

const threshold = z.number().min(0).max(1);

/** What a browser must solve: an image, proof of work, both (for high-risk sites), or nothing. */
export const CAPTCHA_MODES = ['svg', 'pow', 'pow+svg', 'off'] as const;
export type CaptchaMode = (typeof CAPTCHA_MODES)[number];
/**
 * The mode createSite gives a new site unless told otherwise. Not the schema's default: a stored policy written before
 * the field existed was an image-captcha site and must keep reading as one, so changing this never moves an existing
 * site to another mode.
 */
export const NEW_SITE_CAPTCHA: CaptchaMode = 'pow';
const pair = z
  .object({ review: threshold, reject: threshold })
  .refine((t) => t.review <= t.reject, { message: 'review must not exceed reject' });

/** A site's moderation policy. Every field has a default so a new site works at once. */
export const policySchema = z.object({
  /** auto: the scores decide; pre: every comment waits for a moderator; post: publish at once, review borderline. */
  moderation: z.enum(['auto', 'pre', 'post']).default('auto'),
  /** Record what Vigil would decide but approve everything, so a site can try Vigil before it enforces. */
  shadowMode: z.boolean().default(false),
  captcha: z.enum(CAPTCHA_MODES).default('svg'),
  /** Leading zero bits a proof-of-work solution needs; each bit doubles the browser's work. */
  powDifficulty: z.number().int().min(8).max(26).default(16),
  /** Per-model thresholds; when absent the model card's defaults apply. */
  thresholds: z.object({ spam: pair.optional(), toxicity: pair.optional(), threat: pair.optional() }).default({}),
  /** A form submitted faster than this after it was shown counts against the comment. */
  minFillTimeMs: z.number().int().min(0).max(600000).default(3000),
  rateLimits: z
    .object({
      commentsPerIpPerMinute: z.number().int().min(1).max(100000).default(10),
      commentsPerEmailPerHour: z.number().int().min(1).max(100000).default(30),
      captchasPerIpPerMinute: z.number().int().min(1).max(100000).default(30),
      /** Calls to the Perspective-compatible API (/v1alpha1) per minute, for the whole site. */
      perspectivePerMinute: z.number().int().min(1).max(100000).default(600),
    })
    .default({ commentsPerIpPerMinute: 10, commentsPerEmailPerHour: 30, captchasPerIpPerMinute: 30, perspectivePerMinute: 600 }),
  allowedOrigins: z.array(z.string().url()).max(100).default([]),
  blocked: z
    .object({
      words: z.array(z.string().min(1).max(100)).max(5000).default([]),
      domains: z.array(z.string().min(1).max(253)).max(5000).default([]),
      emails: z.array(z.string().min(3).max(320)).max(5000).default([]),
      ips: z.array(z.string().min(2).max(64)).max(5000).default([]),
    })
    .default({ words: [], domains: [], emails: [], ips: [] }),
  /** Authors with this many approved comments and none rejected skip review for borderline scores. */
  trustedAuthorApprovals: z.number().int().min(1).max(1000).default(3),
  /**
   * The site's own view of link domains, for the spam model (unlike `blocked.domains`, which rejects outright): links
   * to an allowed domain or its sub-domains count as citations, links to a denied one as spam evidence.
   */
  links: z
    .object({
      allow: z.array(z.string().min(1).max(253)).max(5000).default([]),
      deny: z.array(z.string().min(1).max(253)).max(5000).default([]),
    })
    .default({ allow: [], deny: [] }),
});
export type Policy = z.output<typeof policySchema>;

/** The shape a PATCH accepts: any subset, nested objects merged. */
export const policyPatchSchema = z
  .object({
    moderation: policySchema.shape.moderation.unwrap().optional(),
    shadowMode: z.boolean().optional(),
    captcha: z.enum(CAPTCHA_MODES).optional(),
    powDifficulty: z.number().int().min(8).max(26).optional(),
    thresholds: z.object({ spam: pair.nullable().optional(), toxicity: pair.nullable().optional(), threat: pair.nullable().optional() }).strict().optional(),
    minFillTimeMs: z.number().int().min(0).max(600000).optional(),
    rateLimits: z
      .object({
        commentsPerIpPerMinute: z.number().int().min(1).max(100000).optional(),
        commentsPerEmailPerHour: z.number().int().min(1).max(100000).optional(),
        captchasPerIpPerMinute: z.number().int().min(1).max(100000).optional(),
        perspectivePerMinute: z.number().int().min(1).max(100000).optional(),
      })
      .strict()
      .optional(),
    allowedOrigins: z.array(z.string().url()).max(100).optional(),
    blocked: z
      .object({
        words: z.array(z.string().min(1).max(100)).max(5000).optional(),
        domains: z.array(z.string().min(1).max(253)).max(5000).optional(),
        emails: z.array(z.string().min(3).max(320)).max(5000).optional(),
        ips: z.array(z.string().min(2).max(64)).max(5000).optional(),
      })
      .strict()
      .optional(),
    trustedAuthorApprovals: z.number().int().min(1).max(1000).optional(),
    links: z
      .object({
        allow: z.array(z.string().min(1).max(253)).max(5000).optional(),
        deny: z.array(z.string().min(1).max(253)).max(5000).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type PolicyPatch = z.output<typeof policyPatchSchema>;

export function defaultPolicy(): Policy {
  return policySchema.parse({});
}

/** Applies a patch; `null` thresholds return to the model defaults. Origins are stored as URL origins. */
export function applyPolicyPatch(policy: Policy, patch: PolicyPatch): Policy {
  const thresholds = { ...policy.thresholds };
  for (const k of ['spam', 'toxicity', 'threat'] as const) {
    const v = patch.thresholds?.[k];
    if (v === null) delete thresholds[k];
    else if (v) thresholds[k] = v;
  }
  return policySchema.parse({
    ...policy,
    ...stripUndefined(patch),
    thresholds,
    rateLimits: { ...policy.rateLimits, ...stripUndefined(patch.rateLimits ?? {}) },
    blocked: { ...policy.blocked, ...stripUndefined(patch.blocked ?? {}) },
    links: { ...policy.links, ...stripUndefined(patch.links ?? {}) },
    allowedOrigins: (patch.allowedOrigins ?? policy.allowedOrigins).map((o) => new URL(o).origin),
  });
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
