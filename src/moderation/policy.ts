import type { Policy } from '../sites/policy';
import type { CommentStatus } from './types';

export interface Thresholds { review: number; reject: number }

export interface DecisionInput {
  policy: Policy;
  /** `threat`: the toxicity model's threat attribute, where the model has one. */
  scores: { spam: number; toxicity: number; threat?: number };
  /** The models' defaults, used where the site sets none (`threat`: the toxicity model's threat head). */
  modelThresholds: { spam: Thresholds; toxicity: Thresholds; threat?: Thresholds };
  /** Reasons found before scoring (blocklists, honeypot, too_fast, duplicate_body). */
  reasons: string[];
  verdict?: CommentStatus;
  authorStanding?: 'trusted' | 'suspect';
  /** A moderator trusts the author: pre-moderation does not hold their comments either (hard rules still apply). */
  trustedByModerator?: boolean;
}

export interface Decision {
  status: CommentStatus;
  reasons: string[];
  /** What the scores alone would have decided; differs from status in shadow mode. */
  enforcedStatus: CommentStatus;
  needsReview: boolean;
}

/** Reasons that make a comment borderline even when the scores are low. */
const SOFT_SIGNALS = new Set(['too_fast', 'duplicate_body']);

export type SiteThresholds = DecisionInput['modelThresholds'];

/**
 * The thresholds a site applies: its own where its policy sets them, else the models' defaults; `threat` only where
 * the site or the toxicity model has one. The one place that rule lives (decisions, /moderate meters, Perspective spans).
 */
export function effectiveThresholds(policy: Pick<Policy, 'thresholds'>, models: SiteThresholds): SiteThresholds {
  const t: SiteThresholds = { spam: policy.thresholds.spam ?? models.spam, toxicity: policy.thresholds.toxicity ?? models.toxicity };
  const threat = policy.thresholds.threat ?? models.threat;
  if (threat) t.threat = threat;
  return t;
}

/**
 * Turns scores and signals into a verdict. Pure: the same input always gives the same decision, which is what makes
 * it testable and explainable.
 */
export function decide(input: DecisionInput): Decision {
  const reasons = [...input.reasons];
  const t = effectiveThresholds(input.policy, input.modelThresholds);
  // A threat is judged on its own attribute, whatever the overall toxicity: it at least reaches review.
  const threat = t.threat && input.scores.threat !== undefined ? input.scores.threat : -1;
  let status: CommentStatus = input.verdict ?? 'approved';
  if (status !== 'rejected') {
    if (input.scores.spam >= t.spam.reject) reasons.push('spam');
    if (input.scores.toxicity >= t.toxicity.reject) reasons.push('toxic');
    if (t.threat && threat >= t.threat.reject) reasons.push('threat');
    if (reasons.includes('spam') || reasons.includes('toxic') || reasons.includes('threat')) status = 'rejected';
  }
  let borderline = false;
  if (status !== 'rejected') {
    if (input.scores.spam >= t.spam.review) reasons.push('possible_spam');
    if (input.scores.toxicity >= t.toxicity.review) reasons.push('possibly_toxic');
    borderline = reasons.some((r) => r === 'possible_spam' || r === 'possibly_toxic' || SOFT_SIGNALS.has(r));
    if (borderline && input.authorStanding === 'trusted') {
      reasons.push('trusted_author');
      borderline = false;
    }
    // After the trusted-author exemption on purpose: a trusted author's threat still goes to a moderator.
    if (t.threat && threat >= t.threat.review) {
      reasons.push('threat');
      borderline = true;
    }
    if (input.authorStanding === 'suspect') {
      reasons.push('author_often_rejected');
      borderline = true;
    }
  }
  let needsReview = false;
  if (status !== 'rejected') {
    const mode = input.policy.moderation;
    if (mode === 'pre' && input.trustedByModerator && !borderline) {
      // Trust from a moderator means "post without review": only what would hold anyone's comment (a threat) holds it.
      status = 'approved';
      if (!reasons.includes('trusted_author')) reasons.push('trusted_author');
    } else if (mode === 'pre') {
      status = 'pending';
      reasons.push('pre_moderation');
    } else if (mode === 'post') {
      status = 'approved';
      needsReview = borderline;
      if (borderline) reasons.push('post_moderation');
    } else {
      status = borderline ? 'pending' : 'approved';
    }
  }
  const enforcedStatus = status;
  if (input.policy.shadowMode && status !== 'approved') {
    reasons.push('shadow_mode');
    return { status: 'approved', reasons, enforcedStatus, needsReview: false };
  }
  return { status, reasons, enforcedStatus, needsReview: needsReview || status === 'pending' };
}
