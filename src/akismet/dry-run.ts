import type { Site } from '../sites/site-store';
import { decide } from '../moderation/policy';
import { phases } from '../moderation/moderate-comment';
import { captchaPhase } from '../moderation/phases/captcha';
import { historySignalsPhase } from '../moderation/phases/history-signals';
import { rateLimitPhase } from '../moderation/phases/rate-limit';
import type { CommentInput, CommentStatus, ModerationContext, ModerationDeps, Phase } from '../moderation/types';

/**
 * Intake phases that write to Redis. A test request must not use up a commenter's allowance or make a later real
 * comment look like a duplicate; the captcha phase does nothing for a server caller anyway. A new intake phase that
 * writes belongs here too (the is_test integration test fails when one leaks a key).
 */
const WRITING_PHASES = new Set<Phase>([rateLimitPhase, captchaPhase, historySignalsPhase]);

/** The intake pipeline's own phases, in its order, minus the ones that write. */
export function readOnlyPhases(): Phase[] {
  return phases.filter((p) => !WRITING_PHASES.has(p));
}

/**
 * What Vigil would decide for a comment, with no side effect at all: nothing stored, counted, learnt or emitted.
 * Used for Akismet's `is_test` and `recheck_reason` requests.
 */
export async function scoreWithoutSideEffects(
  deps: ModerationDeps, site: Site, input: CommentInput, client: { ip: string; userAgent: string; referrer: string },
): Promise<{ status: CommentStatus; reasons: string[]; scores: { spam: number; toxicity: number } }> {
  const ctx: ModerationContext = {
    deps, site, via: 'server', input, client, now: deps.now?.() ?? new Date(), explain: false, reasons: [], meta: {},
  };
  for (const phase of readOnlyPhases()) await phase(ctx);
  // The toxicity model of the comment's language decides with its own thresholds (score phase).
  const toxModel = ctx.toxicityModel ?? deps.models.toxicity;
  const decision = decide({
    policy: site.policy,
    scores: { spam: ctx.scores!.spam.score, toxicity: ctx.scores!.toxicity.score, threat: ctx.scores!.toxicity.attributes?.threat },
    modelThresholds: { spam: deps.models.spam.thresholds, toxicity: toxModel.thresholds, threat: toxModel.attributeThresholds?.threat },
    reasons: ctx.reasons,
    verdict: ctx.verdict,
    authorStanding: ctx.authorStanding,
  });
  return {
    status: decision.status,
    reasons: decision.reasons,
    scores: { spam: round(ctx.scores!.spam.score), toxicity: round(ctx.scores!.toxicity.score) },
  };
}

function round(p: number): number {
  return Math.round(p * 10000) / 10000;
}
