import crypto from 'node:crypto';
import { getComment, StoredComment } from '../comments/comment-store';
import { AuthorNotVerifiedError, NotFoundError, ValidationError } from '../errors';
import { AtomicWrites } from '../infra/atomic-writes';
import { keys } from '../infra/keys';
import { auditWrite } from './audit';
import { activeAction, AuthorAction, AuthorActionKind, AuthorSubject, targetOf } from './author-action-record';
import { isVerifiedIdentity } from './author-history';
import { siteOfComment } from './claims';
import { Actor, nowOf, ReviewDeps } from './deps';

/** Longest suspension; anything longer is a ban and should say so. */
export const MAX_SUSPEND_DAYS = 365;
/** Entries kept in an identity's action log (actions and lifts). */
const LOG = 20;
const LOG_TTL_SECONDS = 365 * 86400;
const DAY_MS = 86400 * 1000;

/** One line of an identity's action log: an action taken, or a lift. */
export interface AuthorActionLogEntry {
  action: AuthorActionKind | 'lift';
  reason?: string;
  at: string;
  until?: string;
  by: { id: string; name: string };
  commentId: string;
}

export interface TakeActionInput {
  commentId: string;
  siteId?: string;
  action: AuthorActionKind;
  /** Which identities of the comment's author: ban and suspend take either or both, trust the e-mail only. */
  email?: boolean;
  ip?: boolean;
  /** Suspensions only: whole days, 1 to MAX_SUSPEND_DAYS. */
  days?: number;
  reason: string;
}

type Identities = Record<AuthorSubject, string>;

const identitiesOf = (c: StoredComment): Identities => ({ email: c.author.emailHash, ip: c.client.ipHash });

async function commentFor(d: ReviewDeps, actor: Actor, commentId: string, siteId?: string): Promise<{ siteId: string; comment: StoredComment }> {
  const s = await siteOfComment(d, actor, commentId, siteId);
  const comment = await getComment(d.redis, s, commentId);
  if (!comment) throw new NotFoundError(`Comment ${commentId}`);
  return { siteId: s, comment };
}

function subjectsFor(input: TakeActionInput, ids: Identities): AuthorSubject[] {
  if (input.action === 'trust') {
    // Trust by IP would hand a free pass to everyone behind the same network (an office, a mobile carrier's NAT).
    if (input.ip) throw new ValidationError([{ path: 'ip', message: 'trust is given to an e-mail only: many people can share an IP' }]);
    if (!ids.email) throw new ValidationError([{ path: 'email', message: 'this comment has no e-mail to trust' }]);
    if (!isVerifiedIdentity(ids.email)) throw new AuthorNotVerifiedError();
    return ['email'];
  }
  const out: AuthorSubject[] = [];
  if (input.email) {
    if (!ids.email) throw new ValidationError([{ path: 'email', message: 'this comment has no e-mail; act on the IP instead' }]);
    out.push('email');
  }
  if (input.ip) out.push('ip');
  if (!out.length) throw new ValidationError([{ path: 'email', message: 'choose the e-mail, the IP or both' }]);
  return out;
}

function logWrites(w: AtomicWrites, siteId: string, subject: AuthorSubject, hash: string, e: AuthorActionLogEntry): void {
  const log = keys.authorActionLog(siteId, subject, hash);
  w.add('LPUSH', log, JSON.stringify(e)).add('LTRIM', log, 0, LOG - 1).add('EXPIRE', log, LOG_TTL_SECONDS);
}

/**
 * Bans, suspends or trusts the author of a comment on the comment's site. A new action replaces whatever the
 * identity had (a ban replaces a trust). The records, the site's index, the identity's log and the audit entries are
 * written in one atomic batch, as a review decision is.
 */
export async function takeAuthorAction(d: ReviewDeps, actor: Actor, input: TakeActionInput): Promise<AuthorAction[]> {
  const { siteId, comment } = await commentFor(d, actor, input.commentId, input.siteId);
  const ids = identitiesOf(comment);
  const subjects = subjectsFor(input, ids);
  const now = nowOf(d);
  const at = now.toISOString();
  const until = input.action === 'suspend' ? new Date(now.getTime() + input.days! * DAY_MS).toISOString() : undefined;
  const id = crypto.randomUUID();
  const before = await d.redis.mget(subjects.map((s) => keys.authorAction(siteId, s, ids[s])));
  const w = new AtomicWrites();
  const out: AuthorAction[] = [];
  subjects.forEach((subject, i) => {
    const hash = ids[subject];
    const a: AuthorAction = {
      id, action: input.action, subject, reason: input.reason, at, ...(until ? { until } : {}),
      by: { id: actor.id, name: actor.name }, commentId: comment.id,
    };
    const key = keys.authorAction(siteId, subject, hash);
    // A suspension's key expires when it ends; the pipeline also compares the end with its own clock.
    if (input.action === 'suspend') w.add('SET', key, JSON.stringify(a), 'PX', input.days! * DAY_MS);
    else w.add('SET', key, JSON.stringify(a));
    w.add('ZADD', keys.authorActionIndex(siteId), now.getTime(), targetOf(subject, hash));
    logWrites(w, siteId, subject, hash, { action: input.action, reason: input.reason, at, ...(until ? { until } : {}), by: a.by, commentId: comment.id });
    const prev = activeAction(before[i], now.getTime());
    auditWrite(w, siteId, {
      at, action: 'author', commentId: comment.id, moderator: a.by, decision: input.action,
      from: { status: prev?.action ?? 'none', needsReview: false }, to: { status: input.action, needsReview: false },
      note: input.reason, author: { subject, ...(until ? { until } : {}) },
    });
    out.push(a);
  });
  await w.exec(d.redis);
  return out;
}

/**
 * Lifts what a moderator put on an identity: its ban, suspension or trust, and a block added with a decision
 * (`block` on POST /v1/review/:id/decision), so that one button undoes both. Throws not_found when there was
 * nothing to lift on any of the targets.
 */
export async function liftAuthorActions(
  d: ReviewDeps, actor: Actor, siteId: string, targets: Array<{ subject: AuthorSubject; hash: string }>,
  opts: { reason?: string; commentId?: string } = {},
): Promise<{ lifted: Array<{ target: string; action?: AuthorActionKind; block?: boolean }> }> {
  const now = nowOf(d);
  const at = now.toISOString();
  const by = { id: actor.id, name: actor.name };
  const blockSet = (s: AuthorSubject) => (s === 'email' ? keys.reviewBlockedEmails(siteId) : keys.reviewBlockedIps(siteId));
  const m = d.redis.multi();
  for (const t of targets) m.get(keys.authorAction(siteId, t.subject, t.hash)).sismember(blockSet(t.subject), t.hash);
  const res = (await m.exec()) ?? [];
  const w = new AtomicWrites();
  const lifted: Array<{ target: string; action?: AuthorActionKind; block?: boolean }> = [];
  targets.forEach((t, i) => {
    const current = activeAction(res[2 * i]?.[1] as string | null, now.getTime());
    const blocked = Number(res[2 * i + 1]?.[1]) === 1;
    const target = targetOf(t.subject, t.hash);
    // An expired suspension's leftovers are cleared too, but only a lift of something in force is recorded.
    w.add('DEL', keys.authorAction(siteId, t.subject, t.hash)).add('ZREM', keys.authorActionIndex(siteId), target);
    if (!current && !blocked) return;
    if (blocked) w.add('SREM', blockSet(t.subject), t.hash);
    const commentId = opts.commentId ?? current?.commentId ?? '';
    logWrites(w, siteId, t.subject, t.hash, { action: 'lift', ...(opts.reason ? { reason: opts.reason } : {}), at, by, commentId });
    auditWrite(w, siteId, {
      at, action: 'author', commentId, moderator: by, decision: 'lift',
      from: { status: current?.action ?? 'blocked', needsReview: false }, to: { status: 'none', needsReview: false },
      ...(opts.reason ? { note: opts.reason } : {}), author: { subject: t.subject },
    });
    lifted.push({ target, ...(current ? { action: current.action } : {}), ...(blocked ? { block: true } : {}) });
  });
  if (!lifted.length) throw new NotFoundError('A ban, suspension, trust or block on this author');
  await w.exec(d.redis);
  return { lifted };
}

/** Lifts actions on the author of a comment: the e-mail, the IP, or (neither chosen) both. */
export async function liftForComment(
  d: ReviewDeps, actor: Actor, input: { commentId: string; siteId?: string; email?: boolean; ip?: boolean; reason?: string },
) {
  const { siteId, comment } = await commentFor(d, actor, input.commentId, input.siteId);
  const ids = identitiesOf(comment);
  const both = !input.email && !input.ip;
  const subjects = (['email', 'ip'] as const).filter((s) => ids[s] && (both || input[s]));
  return liftAuthorActions(d, actor, siteId, subjects.map((s) => ({ subject: s, hash: ids[s] })), {
    commentId: comment.id, ...(input.reason ? { reason: input.reason } : {}),
  });
}

export interface IdentityPanel {
  /** The identity's name in the site's action list and the lift-by-target API. */
  target: string;
  /** E-mails only: whether the site vouched for it (only those can be trusted). */
  verified?: boolean;
  active?: AuthorAction;
  /** Blocked with a moderator's decision (`block` on a decision), which a lift also removes. */
  blockedByDecision: boolean;
  log: AuthorActionLogEntry[];
}

/** What the author panel shows for a comment's author: per identity, the action in force, an old block, the log. */
export async function authorPanel(d: ReviewDeps, actor: Actor, commentId: string, siteId?: string) {
  const { siteId: s, comment } = await commentFor(d, actor, commentId, siteId);
  const ids = identitiesOf(comment);
  const now = nowOf(d).getTime();
  const subjects = (['email', 'ip'] as const).filter((x) => ids[x]);
  const m = d.redis.multi();
  for (const x of subjects) {
    m.get(keys.authorAction(s, x, ids[x]))
      .lrange(keys.authorActionLog(s, x, ids[x]), 0, LOG - 1)
      .sismember(x === 'email' ? keys.reviewBlockedEmails(s) : keys.reviewBlockedIps(s), ids[x]);
  }
  const res = (await m.exec()) ?? [];
  const panel: { siteId: string; commentId: string; email: IdentityPanel | null; ip: IdentityPanel | null } = { siteId: s, commentId, email: null, ip: null };
  subjects.forEach((x, i) => {
    const active = activeAction(res[3 * i]?.[1] as string | null, now);
    panel[x] = {
      target: targetOf(x, ids[x]), ...(x === 'email' ? { verified: isVerifiedIdentity(ids[x]) } : {}),
      ...(active ? { active } : {}), blockedByDecision: Number(res[3 * i + 2]?.[1]) === 1,
      log: ((res[3 * i + 1]?.[1] as string[]) ?? []).map((l) => JSON.parse(l) as AuthorActionLogEntry),
    };
  });
  return panel;
}

/**
 * The actions in force on a site, newest first, `limit` per page from `offset` (`next` is the next page's). Index
 * entries whose suspension has ended are dropped on the way.
 */
export async function listAuthorActions(
  d: ReviewDeps, siteId: string, limit: number, offset = 0,
): Promise<{ actions: Array<AuthorAction & { target: string }>; next: number | null }> {
  const index = keys.authorActionIndex(siteId);
  const targets = await d.redis.zrevrange(index, offset, offset + limit - 1);
  if (!targets.length) return { actions: [], next: null };
  const raws = await d.redis.mget(targets.map((t) => {
    const [subject, hash] = t.split(':');
    return keys.authorAction(siteId, subject, hash);
  }));
  const now = nowOf(d).getTime();
  const actions: Array<AuthorAction & { target: string }> = [];
  const gone: string[] = [];
  targets.forEach((target, i) => {
    const a = activeAction(raws[i], now);
    if (a) actions.push({ ...a, target });
    else if (!raws[i]) gone.push(target);
  });
  if (gone.length) await d.redis.zrem(index, ...gone);
  return { actions, next: targets.length === limit ? offset + limit - gone.length : null };
}
