import crypto from 'node:crypto';
import type { Site } from '../sites/site-store';
import { moderateComment } from '../moderation/moderate-comment';
import type { CommentInput, CommentStatus, ModerationDeps } from '../moderation/types';
import { commentInputOf, flag, type AkismetForm } from './fields';
import { scoreWithoutSideEffects } from './dry-run';

/**
 * A spam score at or above this, on a comment the site's policy rejects, is blatant: Akismet's
 * `X-akismet-pro-tip: discard`. It sits well above the spam model's default reject threshold (`thresholds.reject` in
 * models/spam.json, which a test keeps below it), so that only comments the model is all but certain about are
 * thrown away unseen.
 */
export const BLATANT_SPAM_SCORE = 0.97;

/** Reasons that prove a bot or a spammer the site has already named, whatever the text says. */
const BLATANT_REASONS = new Set(['honeypot', 'blocked_domain', 'blocked_email', 'blocked_ip']);

export interface AkismetVerdict {
  /** The answer to comment-check: true means "do not publish". */
  spam: boolean;
  /** Blatant spam, which the client may delete without review. */
  discard: boolean;
  /** The stored comment's id, which submit-spam/ham can send back as `guid`; a fresh id when nothing was stored. */
  guid: string;
  status: CommentStatus;
  reasons: string[];
  scores?: { spam: number; toxicity: number };
  stored: boolean;
}

/**
 * Akismet's comment-check as a Vigil use case. A site administrator's comment is never spam and is not looked at.
 * A test request (`is_test`) or a re-check of an earlier comment (`recheck_reason`) is scored without storing or
 * counting anything. Any other comment goes through the same moderation use case as POST /v1/comments from a
 * server, and is stored for review like one.
 */
export async function akismetCommentCheck(deps: ModerationDeps, site: Site, form: AkismetForm): Promise<AkismetVerdict> {
  if (form.user_role?.trim().toLowerCase() === 'administrator') {
    return { spam: false, discard: false, guid: crypto.randomUUID(), status: 'approved', reasons: ['administrator'], stored: false };
  }
  const input: CommentInput = commentInputOf(form);
  const client = { ip: input.client!.ip!, userAgent: input.client!.userAgent ?? '', referrer: input.client!.referrer ?? '' };
  if (flag(form.is_test) || form.recheck_reason?.trim()) {
    const r = await scoreWithoutSideEffects(deps, site, input, client);
    return verdictOf(crypto.randomUUID(), r.status, r.reasons, r.scores, false);
  }
  const { result } = await moderateComment(deps, { site, via: 'server', input, client, explain: false });
  return verdictOf(result.id, result.status, result.reasons, result.scores, true);
}

/**
 * Akismet has two answers where Vigil has three. A rejected comment is spam. A pending one is spam too when the
 * spam model is why it waits, so the client holds it in its own spam folder (from which "not spam" comes back as
 * submit-ham); a comment pending only for pre-moderation or possible toxicity is not spam.
 */
export function verdictOf(
  guid: string, status: CommentStatus, reasons: string[], scores: { spam: number; toxicity: number }, stored: boolean,
): AkismetVerdict {
  const spam = status === 'rejected' || (status === 'pending' && reasons.includes('possible_spam'));
  const discard = status === 'rejected' && (reasons.some((r) => BLATANT_REASONS.has(r)) || (reasons.includes('spam') && scores.spam >= BLATANT_SPAM_SCORE));
  return { spam, discard, guid, status, reasons, scores: { spam: scores.spam, toxicity: scores.toxicity }, stored };
}
