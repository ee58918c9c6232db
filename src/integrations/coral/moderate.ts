import { ValidationError } from '../../errors';
import { moderateComment, phases } from '../../moderation/moderate-comment';
import { captchaPhase } from '../../moderation/phases/captcha';
import { rateLimitPhase } from '../../moderation/phases/rate-limit';
import type { CommentInput, ModerationDeps, ModerationResult } from '../../moderation/types';
import type { Site } from '../../sites/site-store';
import { articleUrl } from '../../comments/thread-info';
import { htmlToText } from './html-text';
import type { CoralRequest, CoralResponse } from './request';

/** Coral's staff roles: their comments are not Vigil's to judge, as Akismet's `administrator` is not. */
export const STAFF_ROLES = new Set(['ADMIN', 'MODERATOR', 'STAFF']);

/**
 * The intake phases for Coral: the whole pipeline minus the comment rate limits (Coral has its own, and a refusal
 * would only make Coral skip the phase) and the captcha (server calls have none).
 */
const CORAL_PHASES = phases.filter((p) => p !== rateLimitPhase && p !== captchaPhase);

const TOXIC = new Set(['toxic', 'possibly_toxic', 'blocked_word']);
const SPAM = new Set(['spam', 'possible_spam', 'blocked_domain', 'blocked_email', 'blocked_ip', 'honeypot', 'duplicate_body', 'too_fast']);

/** The same cap as POST /v1/comments, on the text after HTML is removed. */
const MAX_TEXT = 10000;
/** Coral's editor writes these tags; a body with one of them is the "HTML" body format. */
const CORAL_HTML = /<\/?(?:p|br|b|i|s|u|strong|em|blockquote|a|div|span|ul|ol|li)(?:\s[^<>]{0,300})?\/?>/i;

/** Coral's HTML body format or its plain text, as the text the models read. */
export function commentText(body: string): string {
  return (CORAL_HTML.test(body) ? htmlToText(body) : body).trim();
}

/**
 * Coral's verdict from Vigil's: approved is no answer at all (204, Coral goes on); pending is SYSTEM_WITHHELD and
 * rejected is REJECTED, each with a FLAG saying what Vigil detected. A comment held only by the site's policy
 * (pre-moderation, an author often rejected) detected nothing, so it is PREMOD with no flag.
 */
export function coralResponseOf(result: Pick<ModerationResult, 'status' | 'reasons'>): CoralResponse | undefined {
  if (result.status === 'approved') return undefined;
  const actions: NonNullable<CoralResponse['actions']> = [];
  if (result.reasons.some((r) => TOXIC.has(r))) actions.push({ actionType: 'FLAG', reason: 'COMMENT_DETECTED_TOXIC' });
  if (result.reasons.some((r) => SPAM.has(r))) actions.push({ actionType: 'FLAG', reason: 'COMMENT_DETECTED_SPAM' });
  if (result.status === 'rejected') return { status: 'REJECTED', actions };
  return actions.length ? { status: 'SYSTEM_WITHHELD', actions } : { status: 'PREMOD' };
}

/**
 * Coral's external moderation phase as a Vigil use case. The comment goes through the same pipeline as POST
 * /v1/comments from a server: the site's policy and blocklists, and the author's history, keyed by Coral's user id
 * (Coral sends neither e-mail nor IP, so the user id stands in for both). It is stored for learning and audit, marked
 * as decided in Coral, and never queued for Vigil's own review.
 */
export async function moderateCoralComment(
  deps: ModerationDeps, site: Site, req: CoralRequest,
): Promise<{ response?: CoralResponse; result?: ModerationResult }> {
  if (STAFF_ROLES.has(req.author.role.toUpperCase())) return {};
  const text = commentText(req.comment.body);
  // A comment with no text (an image or GIF only) gives the models nothing to read.
  if (!text) return {};
  if (text.length > MAX_TEXT) throw new ValidationError([{ path: 'comment.body', message: `must be at most ${MAX_TEXT} characters of text` }]);
  const authorId = req.author.id;
  const storyUrl = articleUrl(req.story.url);
  const input: CommentInput = {
    threadId: req.story.id,
    ...(req.comment.parentID ? { parentId: req.comment.parentID.slice(0, 100) } : {}),
    author: { name: authorId.slice(0, 100), email: `${authorId}@coral.invalid` },
    body: text,
    // Coral's story carries its URL but no title; moderators see the URL as the thread's link.
    ...(storyUrl ? { thread: { url: storyUrl } } : {}),
  };
  const client = { ip: `coral:${authorId}`, userAgent: 'Coral', referrer: req.story.url ?? '' };
  const { result } = await moderateComment(deps, {
    site, via: 'server', input, client, explain: false, phases: CORAL_PHASES, decidedElsewhere: 'coral',
  });
  return { response: coralResponseOf(result), result };
}
