import crypto from 'node:crypto';
import type { Site } from '../sites/site-store';
import { RateLimitedError } from '../errors';
import { moderateComment } from '../moderation/moderate-comment';
import type { CommentInput, CommentStatus, ModerationDeps } from '../moderation/types';
import { commentInputOf, flag, own, type AkismetForm } from './fields';
import { scoreWithoutSideEffects } from './dry-run';
import { rememberCheckedComment } from './match';

/**
 * The spam score above which a rejected comment is blatant (Akismet's `X-akismet-pro-tip: discard`), from the reject
 * threshold in force (the site's, else the loaded spam model's): an eighth of the way from that threshold to
 * certainty is left, so only comments the model is all but sure about are thrown away unseen, whatever model is loaded.
 */
export function blatantSpamScore(rejectThreshold: number): number {
  return 1 - (1 - rejectThreshold) / 8;
}

/** The spam reject threshold a site's comments are held to: its own, else the loaded model's. */
export function spamRejectThreshold(deps: ModerationDeps, site: Site): number {
  return site.policy.thresholds.spam?.reject ?? deps.models.spam.thresholds.reject;
}

/** Reasons that prove a bot or a spammer the site has already named, whatever the text says. */
const BLATANT_REASONS = new Set(['honeypot', 'blocked_domain', 'blocked_email', 'blocked_ip']);

/** Akismet's documented test values: these always answer true, `user_role=administrator` always false. */
export const SPAM_TEST_AUTHOR = 'viagra-test-123';
export const SPAM_TEST_EMAIL = 'akismet-guaranteed-spam@example.com';

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
  /** A test request (is_test or a test trigger): not counted as spam or ham in the site's stats. */
  test: boolean;
}

function unscored(spam: boolean, reason: string, test: boolean): AkismetVerdict {
  return { spam, discard: false, guid: crypto.randomUUID(), status: spam ? 'rejected' : 'approved', reasons: [reason], stored: false, test };
}

/**
 * Akismet's comment-check as a Vigil use case.
 * - Akismet's test triggers answer at once and store nothing: they test the client, not a comment.
 * - A site administrator's comment is never spam and is not looked at.
 * - A test request (`is_test`) or a re-check of an earlier comment (`recheck_reason`) is scored without storing or
 *   counting anything.
 * - Any other comment goes through the same moderation use case as POST /v1/comments from a server, and is stored
 *   for review like one. One over the site's rate limits is spam: an error would be read as "not spam" by many
 *   clients, and WordPress would park the comment in an error state that its re-check never clears.
 */
export async function akismetCommentCheck(deps: ModerationDeps, site: Site, form: AkismetForm, retentionSeconds: number): Promise<AkismetVerdict> {
  const isTest = flag(own(form, 'is_test'));
  if (own(form, 'comment_author')?.trim().toLowerCase() === SPAM_TEST_AUTHOR) return unscored(true, 'akismet_test_spam', true);
  if (own(form, 'comment_author_email')?.trim().toLowerCase() === SPAM_TEST_EMAIL) return unscored(true, 'akismet_test_spam', true);
  if (own(form, 'user_role')?.trim().toLowerCase() === 'administrator') return unscored(false, 'administrator', isTest);
  const input: CommentInput = commentInputOf(form);
  const client = { ip: input.client!.ip!, userAgent: input.client!.userAgent ?? '', referrer: input.client!.referrer ?? '' };
  const blatant = blatantSpamScore(spamRejectThreshold(deps, site));
  if (isTest || own(form, 'recheck_reason')?.trim()) {
    const r = await scoreWithoutSideEffects(deps, site, input, client);
    return { ...verdictOf(crypto.randomUUID(), r.status, r.reasons, r.scores, false, blatant), test: isTest };
  }
  try {
    const { result } = await moderateComment(deps, { site, via: 'server', input, client, explain: false });
    const v = verdictOf(result.id, result.status, result.reasons, result.scores, true, blatant);
    await rememberCheckedComment(deps, site.id, input, result.id, v.spam, retentionSeconds);
    return v;
  } catch (err) {
    if (err instanceof RateLimitedError) return unscored(true, 'rate_limited', false);
    throw err;
  }
}

/**
 * Akismet has two answers where Vigil has three. A rejected comment is spam. A pending one is spam too when the
 * spam model is why it waits, so the client holds it in its own spam folder (from which "not spam" comes back as
 * submit-ham); a comment pending only for pre-moderation or possible toxicity is not spam.
 */
export function verdictOf(
  guid: string, status: CommentStatus, reasons: string[], scores: { spam: number; toxicity: number }, stored: boolean,
  blatantScore: number,
): AkismetVerdict {
  const spam = status === 'rejected' || (status === 'pending' && reasons.includes('possible_spam'));
  const discard = status === 'rejected' && (reasons.some((r) => BLATANT_REASONS.has(r)) || (reasons.includes('spam') && scores.spam >= blatantScore));
  return { spam, discard, guid, status, reasons, scores: { spam: scores.spam, toxicity: scores.toxicity }, stored, test: false };
}
