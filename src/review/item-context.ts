import type Redis from 'ioredis';
import type { StoredComment } from '../comments/comment-store';
import { threadInfoOf, ThreadInfo, ThreadInfoSource } from '../comments/thread-info';
import { keys } from '../infra/keys';
import { activeAction, ActiveAuthorActions } from './author-action-record';
import type { AuthorHistory } from './author-history';

/** The author's earlier comments shown with an item. */
export const LAST_COMMENTS = 5;
/** Characters of text shown of the parent and of each earlier comment; the item's own body is shown whole. */
export const PARENT_TEXT = 500;
export const LAST_TEXT = 280;

export interface ContextComment {
  commentId: string;
  /** Cut to PARENT_TEXT / LAST_TEXT characters; `truncated` says when. Raw text: the page renders it as text. */
  body: string;
  truncated?: boolean;
  status: string;
  createdAt: string;
}

/** What a moderator needs around a comment: the article, the comment it answers, what its author wrote before. */
export interface ItemContext {
  thread?: ThreadInfo & { source: ThreadInfoSource };
  /** The comment this one replies to, when the site sent a `parentId` of a comment Vigil still keeps on the site. */
  parent?: ContextComment & { author: { name: string } };
  /**
   * The author's latest decided comments on the site (newest first, this one left out), each with its outcome; the
   * text is missing once the comment has expired (RETENTION_DAYS).
   */
  lastComments: Array<{ commentId: string; outcome: string; at: string; by: string; threadId?: string; status?: string; body?: string; truncated?: boolean }>;
  /** Moderator actions in force on the author's e-mail and IP (review/author-actions.ts). */
  actions: ActiveAuthorActions;
}

function excerpt(text: string, max: number): { body: string; truncated?: true } {
  if (text.length <= max) return { body: text };
  let cut = text.slice(0, max);
  // Never end on half of a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return { body: cut, truncated: true };
}

/**
 * Reads the context of a review item in one pipelined round trip, all from the comment's own site: the thread's
 * info, the parent comment, the author's last comments (ids from the history log already read) and the actions on
 * the author. Everything is bounded: LAST_COMMENTS comments, their text cut.
 */
export async function itemContext(redis: Redis, c: StoredComment, recent: AuthorHistory['recent'], nowMs: number): Promise<ItemContext> {
  const site = c.siteId;
  const earlier = recent.filter((r) => r.commentId !== c.id).slice(0, LAST_COMMENTS);
  const p = redis.pipeline();
  p.hmget(keys.threadInfo(site, c.threadId), 'server', 'browser');
  p.get(keys.comment(site, c.parentId ?? ''));
  p.get(keys.authorAction(site, 'email', c.author.emailHash));
  p.get(keys.authorAction(site, 'ip', c.client.ipHash));
  if (earlier.length) p.mget(earlier.map((r) => keys.comment(site, r.commentId)));
  const res = (await p.exec()) ?? [];
  const val = <T>(i: number) => (res[i]?.[0] ? undefined : (res[i]?.[1] as T));
  const [server, browser] = val<Array<string | null>>(0) ?? [];
  const thread = threadInfoOf(server, browser);
  const parentRaw = c.parentId ? val<string | null>(1) : null;
  const parent = parentRaw ? (JSON.parse(parentRaw) as StoredComment) : undefined;
  const email = c.author.emailHash ? activeAction(val<string | null>(2), nowMs) : undefined;
  const ip = activeAction(val<string | null>(3), nowMs);
  const bodies = earlier.length ? (val<Array<string | null>>(4) ?? []) : [];
  return {
    ...(thread ? { thread } : {}),
    ...(parent ? {
      parent: { commentId: parent.id, author: { name: parent.author.name }, ...excerpt(parent.body, PARENT_TEXT), status: parent.status, createdAt: parent.createdAt },
    } : {}),
    lastComments: earlier.map((r, i) => {
      const raw = bodies[i];
      const s = raw ? (JSON.parse(raw) as StoredComment) : undefined;
      return { ...r, ...(s ? { threadId: s.threadId, status: s.status, ...excerpt(s.body, LAST_TEXT) } : {}) };
    }),
    actions: { ...(email ? { email } : {}), ...(ip ? { ip } : {}) },
  };
}
