import type { Thresholds } from '../moderation/policy';

/** BullMQ priorities run from 1 (first) to 2^21; lower is served sooner. */
export const UNDO_PRIORITY = 1;
const SEVERE = 10;
const UNCERTAIN_BASE = 1000;
const MAX_PRIORITY = 2 ** 21 - 1;

export interface PriorityInput {
  scores: { spam: number; toxicity: number; attributes?: Record<string, number> };
  thresholds: { spam: Thresholds; toxicity: Thresholds };
}

/**
 * Orders the review queue. Threats and high toxicity come first, because a harmful comment that is already public
 * (post-moderation) or a victim waiting on a reply does the most damage; among those the worst comes first. Everything
 * else is ordered by how close its scores sit to a reject threshold, since those are the cases the models are least
 * sure of and where a person's decision teaches them the most. Pure, so the ordering can be tested without Redis.
 */
export function reviewPriority(input: PriorityInput): number {
  const { scores, thresholds } = input;
  const threat = scores.attributes?.threat ?? 0;
  const severity = Math.max(threat, scores.toxicity >= thresholds.toxicity.reject ? scores.toxicity : 0);
  if (threat >= 0.5 || scores.toxicity >= Math.max(0.8, thresholds.toxicity.reject)) {
    return SEVERE + Math.round((1 - Math.min(1, severity)) * 100);
  }
  const distance = Math.min(
    Math.abs(scores.spam - thresholds.spam.reject),
    Math.abs(scores.toxicity - thresholds.toxicity.reject),
  );
  return Math.min(MAX_PRIORITY, UNCERTAIN_BASE + Math.round(distance * 10000));
}
