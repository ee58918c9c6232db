import crypto from 'node:crypto';
import type { Site } from '../sites/site-store';
import { ConflictError } from '../errors';
import { keys } from '../infra/keys';
import { persistComment, StoredComment } from '../comments/comment-store';
import { threadInfoWrites } from '../comments/thread-info';
import { maskEmail } from './identity';
import { identitiesOf } from './intake-script';
import { decide } from './policy';
import { rateLimitPhase } from './phases/rate-limit';
import { captchaPhase } from './phases/captcha';
import { blocklistPhase } from './phases/blocklist';
import { formSignalsPhase } from './phases/form-signals';
import { historySignalsPhase } from './phases/history-signals';
import { scorePhase } from './phases/score';
import { authorStandingPhase } from './phases/author-standing';
import { authorActionsPhase } from './phases/author-actions';
import type { CommentInput, ModerationContext, ModerationDeps, ModerationResult, Phase } from './types';

/**
 * The phases, in order. Cheap refusals come first (rate limit, captcha) so that a flood costs little; the blocklist
 * and form signals run before scoring because they can decide on their own; history counts are taken only for
 * requests that passed the captcha, so a bot cannot inflate another author's counts without solving one. The
 * author's standing (trusted, suspect, blocked by a moderator) comes right after the site's blocklists: it is one
 * Redis round trip and can decide on its own too.
 */
export const phases: Phase[] = [
  rateLimitPhase, captchaPhase, blocklistPhase,
  authorStandingPhase, // sets ctx.authorStanding from review history; rejects e-mails/IPs blocked from /moderate
  authorActionsPhase, // moderators' bans and suspensions reject; their trust makes the author trusted (same read)
  formSignalsPhase, historySignalsPhase, scorePhase,
];

export interface ModerateRequest {
  site: Site;
  via: 'browser' | 'server';
  input: CommentInput;
  client: { ip: string; userAgent: string; referrer: string };
  explain: boolean;
  idempotencyKey?: string;
  /** The phases to run. @defaultValue `phases` */
  phases?: Phase[];
  /**
   * Another system decides (Coral's own moderators): the comment is stored for learning and audit, expires like a
   * decided one and never enters Vigil's pending index or review queue.
   */
  decidedElsewhere?: 'coral';
}

export interface ModerateResponse {
  result: ModerationResult;
  /** True when this is the stored answer to an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}

/**
 * The comment story: (idempotency) -> rate limit -> captcha -> blocklists -> form signals -> history -> score ->
 * decide -> persist -> after-persist hooks (review queue, webhooks) -> answer.
 */
export async function moderateComment(deps: ModerationDeps, req: ModerateRequest): Promise<ModerateResponse> {
  const now = deps.now?.() ?? new Date();
  const idem = req.idempotencyKey ? await claimIdempotencyKey(deps, req) : undefined;
  if (idem?.replay) return { result: idem.replay, replayed: true };
  try {
    const ctx: ModerationContext = { deps, site: req.site, via: req.via, input: req.input, client: req.client, now, explain: req.explain, reasons: [], meta: {} };
    for (const phase of req.phases ?? phases) await phase(ctx);
    const result = await decideAndPersist(ctx, idem?.key, req.decidedElsewhere);
    return { result, replayed: false };
  } catch (err) {
    if (idem) await deps.redis.del(idem.key).catch(() => undefined);
    throw err;
  }
}

async function decideAndPersist(ctx: ModerationContext, idemKey?: string, decidedElsewhere?: 'coral'): Promise<ModerationResult> {
  const { deps, site, input } = ctx;
  const spam = ctx.scores!.spam;
  const toxicity = ctx.scores!.toxicity;
  const toxModel = ctx.toxicityModel ?? deps.models.toxicity;
  const decision = decide({
    policy: site.policy,
    scores: { spam: spam.score, toxicity: toxicity.score, threat: toxicity.attributes?.threat },
    modelThresholds: { spam: deps.models.spam.thresholds, toxicity: toxModel.thresholds, threat: toxModel.attributeThresholds?.threat },
    reasons: ctx.reasons,
    verdict: ctx.verdict,
    authorStanding: ctx.authorStanding,
    ...(ctx.trustedByModerator ? { trustedByModerator: true } : {}),
  });
  const id = crypto.randomUUID();
  const scores = {
    spam: round(spam.score), toxicity: round(toxicity.score),
    ...(toxicity.attributes ? { attributes: Object.fromEntries(Object.entries(toxicity.attributes).map(([k, v]) => [k, round(v)])) } : {}),
  };
  const explanation = ctx.explain || decision.needsReview ? explanationOf(ctx) : undefined;
  const comment: StoredComment = {
    id, siteId: site.id, threadId: input.threadId, ...(input.parentId ? { parentId: input.parentId } : {}),
    author: {
      name: input.author.name, emailMasked: maskEmail(input.author.email),
      emailHash: identitiesOf(ctx).email,
      ...(input.author.url ? { url: input.author.url } : {}),
    },
    body: input.body, status: decision.status,
    ...(decision.enforcedStatus !== decision.status ? { shadowStatus: decision.enforcedStatus } : {}),
    ...(decision.needsReview && !decidedElsewhere ? { needsReview: true } : {}),
    ...(decidedElsewhere ? { decidedElsewhere } : {}),
    scores, reasons: decision.reasons, ...(explanation ? { explanation } : {}),
    ...(decision.needsReview && Object.keys(ctx.meta).length ? { spamMeta: ctx.meta } : {}),
    client: { ipHash: identitiesOf(ctx).ip, userAgent: ctx.client.userAgent, referrer: ctx.client.referrer },
    via: ctx.via, createdAt: ctx.now.toISOString(),
    ...(decision.status !== 'pending' ? { decidedAt: ctx.now.toISOString(), decidedBy: 'vigil' } : {}),
  };
  // A rejected comment's thread info is not kept: most of those come from bots, which could otherwise be first to
  // name a thread.
  const thread = input.thread && decision.status !== 'rejected' ? input.thread : undefined;
  const result: ModerationResult = { id, status: decision.status, scores, reasons: decision.reasons, ...(ctx.explain && explanation ? { explanation } : {}) };
  const extra = ctx.persistWrites ? [...(deps.inPersist ?? []), ...ctx.persistWrites] : deps.inPersist;
  await persistComment(deps.redis, comment, {
    retentionSeconds: Math.round(deps.settings.retentionDays * 86400),
    ...(extra?.length || thread ? {
      extra: (m) => {
        if (thread) threadInfoWrites(m, site.id, input.threadId, thread, ctx.via, Math.round(deps.settings.retentionDays * 86400));
        extra?.forEach((add) => add(m, comment));
      },
    } : {}),
    ...(idemKey ? { idempotency: { key: idemKey, answer: JSON.stringify({ fp: fingerprint(ctx.input), result }), ttlSeconds: deps.settings.idempotencyTtlSeconds } } : {}),
  });
  // The comment is stored and its answer is final; a hook that fails (say, the review queue while Redis blinks)
  // must not turn that into an error, or a retry would store the comment twice. The pending index is the source of
  // truth that the review queue reconciles from.
  for (const hook of deps.afterPersist) await hook(comment).catch((err) => deps.onHookError?.(err, comment));
  return result;
}

function explanationOf(ctx: ModerationContext) {
  return { spam: ctx.scores!.spam.explanation, toxicity: ctx.scores!.toxicity.explanation };
}

function round(p: number): number {
  return Math.round(p * 10000) / 10000;
}

function fingerprint(input: CommentInput): string {
  return crypto.createHash('sha256').update(JSON.stringify(input)).digest('hex');
}

const IN_FLIGHT = 'in-flight';

/**
 * Reserves an Idempotency-Key. A key whose first request finished replays its answer; one whose first request is
 * still running, or that arrives with a different body, is a conflict rather than a second comment.
 */
async function claimIdempotencyKey(deps: ModerationDeps, req: ModerateRequest): Promise<{ key: string; replay?: ModerationResult }> {
  // Browsers and the site's server have separate key spaces: a page's script must not take (or learn) a key the
  // server will use.
  const keyHash = crypto.createHash('sha256').update(`${req.via}\0${req.idempotencyKey!}`).digest('hex');
  const key = keys.idempotency(req.site.id, keyHash);
  const claimed = await deps.redis.set(key, IN_FLIGHT, 'EX', 60, 'NX');
  if (claimed) return { key };
  const stored = await deps.redis.get(key);
  if (!stored || stored === IN_FLIGHT) throw new ConflictError('A request with this Idempotency-Key is still being processed.');
  const { fp, result } = JSON.parse(stored) as { fp: string; result: ModerationResult };
  if (fp !== fingerprint(req.input)) throw new ConflictError('This Idempotency-Key was used with a different request body.');
  return { key, replay: result };
}
