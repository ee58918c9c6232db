import { z } from 'zod';
import { LANGUAGE_TAG } from '../classifier/language/supported';

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

/** One step of the adaptive proof of work: from `from` recent events in the window on, ask for `difficulty` bits. */
const powLevel = z.object({ from: z.number().int().min(1).max(10_000_000), difficulty: z.number().int().min(8).max(26) }).strict();
const powLevels = z.array(powLevel).max(8).refine((ls) => ls.every((l, i) => i === 0 || l.from > ls[i - 1].from), { message: 'levels must be in ascending order of from' });
const POW_ADAPTIVE_DEFAULTS = {
  windowSeconds: 60,
  failureWeight: 5,
  // One network: a reader posts a few comments an hour; ten challenges a minute is already unusual, hundreds a flood.
  network: [{ from: 10, difficulty: 18 }, { from: 30, difficulty: 20 }, { from: 100, difficulty: 22 }, { from: 300, difficulty: 24 }],
  // The whole site: high enough that a busy site's readers never see it, except in a flood spread over many networks.
  site: [{ from: 2000, difficulty: 18 }, { from: 10000, difficulty: 20 }, { from: 50000, difficulty: 22 }],
};
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
  /**
   * Adaptive proof of work: the difficulty rises above `powDifficulty` with the events of the last `windowSeconds`
   * (challenges issued, plus `failureWeight` per wrong answer or rejected comment), counted per client network and
   * per site, to the highest level reached in either table; it falls back as the window slides past. Empty tables
   * turn it off.
   */
  powAdaptive: z
    .object({
      windowSeconds: z.number().int().min(10).max(3600).default(POW_ADAPTIVE_DEFAULTS.windowSeconds),
      failureWeight: z.number().int().min(0).max(100).default(POW_ADAPTIVE_DEFAULTS.failureWeight),
      network: powLevels.default(POW_ADAPTIVE_DEFAULTS.network),
      site: powLevels.default(POW_ADAPTIVE_DEFAULTS.site),
    })
    .default(POW_ADAPTIVE_DEFAULTS),
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
  /**
   * Reader reports: a comment enters the Reported queue once reports from this many different networks (keyed IP
   * hashes) are open on it; one reader behind many client tokens counts once. Reports per IP per hour are capped.
   */
  reports: z
    .object({
      pendingThreshold: z.number().int().min(1).max(1000).default(1),
      approvedThreshold: z.number().int().min(1).max(1000).default(3),
      perIpPerHour: z.number().int().min(1).max(100000).default(20),
    })
    .default({ pendingThreshold: 1, approvedThreshold: 3, perIpPerHour: 20 }),
  /**
   * The language of the site's comments (BCP 47 or ISO 639-1): a comment that declares none is taken to be in it, which
   * picks its toxicity model without detecting the language (detection costs about as much CPU as scoring). Absent:
   * detected per comment.
   */
  language: z.string().max(35).regex(LANGUAGE_TAG).optional(),
});
export type Policy = z.output<typeof policySchema>;

/** The shape a PATCH accepts: any subset, nested objects merged. */
export const policyPatchSchema = z
  .object({
    moderation: policySchema.shape.moderation.unwrap().optional(),
    shadowMode: z.boolean().optional(),
    captcha: z.enum(CAPTCHA_MODES).optional(),
    powDifficulty: z.number().int().min(8).max(26).optional(),
    powAdaptive: z
      .object({
        windowSeconds: z.number().int().min(10).max(3600).optional(),
        failureWeight: z.number().int().min(0).max(100).optional(),
        network: powLevels.optional(),
        site: powLevels.optional(),
      })
      .strict()
      .optional(),
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
    reports: z
      .object({
        pendingThreshold: z.number().int().min(1).max(1000).optional(),
        approvedThreshold: z.number().int().min(1).max(1000).optional(),
        perIpPerHour: z.number().int().min(1).max(100000).optional(),
      })
      .strict()
      .optional(),
    /** `null` returns to detecting each comment's language. */
    language: z.string().max(35).regex(LANGUAGE_TAG).nullable().optional(),
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
  const language = patch.language === null ? undefined : (patch.language ?? policy.language);
  return policySchema.parse({
    ...policy,
    ...stripUndefined(patch),
    language,
    thresholds,
    rateLimits: { ...policy.rateLimits, ...stripUndefined(patch.rateLimits ?? {}) },
    powAdaptive: { ...policy.powAdaptive, ...stripUndefined(patch.powAdaptive ?? {}) },
    blocked: { ...policy.blocked, ...stripUndefined(patch.blocked ?? {}) },
    links: { ...policy.links, ...stripUndefined(patch.links ?? {}) },
    reports: { ...policy.reports, ...stripUndefined(patch.reports ?? {}) },
    allowedOrigins: (patch.allowedOrigins ?? policy.allowedOrigins).map((o) => new URL(o).origin),
  });
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
