import type { Site } from '../sites/site-store';
import { decide } from '../moderation/policy';
import { blocklistPhase } from '../moderation/phases/blocklist';
import { formSignalsPhase } from '../moderation/phases/form-signals';
import { scorePhase } from '../moderation/phases/score';
import type { CommentInput, CommentStatus, ModerationContext, ModerationDeps, Phase } from '../moderation/types';

/**
 * The intake phases that only read: the site's blocklists, the form's honeypot, the models. Rate limiting and the
 * history counts are left out because they write to Redis: a test request must not use up a commenter's allowance
 * or make a later real comment look like a duplicate. Their order is the order of moderate-comment.ts.
 */
const READ_ONLY_PHASES: Phase[] = [blocklistPhase, formSignalsPhase, scorePhase];

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
  for (const phase of READ_ONLY_PHASES) await phase(ctx);
  const decision = decide({
    policy: site.policy,
    scores: { spam: ctx.scores!.spam.score, toxicity: ctx.scores!.toxicity.score },
    modelThresholds: { spam: deps.models.spam.thresholds, toxicity: deps.models.toxicity.thresholds },
    reasons: ctx.reasons,
    verdict: ctx.verdict,
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
