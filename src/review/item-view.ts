import type { StoredComment } from '../comments/comment-store';
import { linkListsOf } from '../moderation/link-lists';
import { getSite } from '../sites/site-store';
import { authorHistory, AuthorHistory } from './author-history';
import { nowOf, type ReviewDeps } from './deps';
import { itemContext, ItemContext } from './item-context';

/** A review item as the API and the /moderate page show it. The body is raw text: the page renders it as text. */
export interface ReviewItem {
  commentId: string;
  siteId: string;
  threadId: string;
  body: string;
  status: string;
  scores: StoredComment['scores'];
  reasons: string[];
  /** Per model, the tokens that drove the score with their [start, end) spans in the body. */
  explanation: { spam?: unknown; toxicity?: unknown };
  author: {
    name: string; emailMasked: string; url?: string; history: AuthorHistory;
    /** The author's last decided comments on the site with their text and outcome (review/item-context.ts). */
    lastComments: ItemContext['lastComments'];
    /** Bans, suspensions or trust in force on the author's e-mail / IP; details in GET /v1/review/:id/author. */
    actions: ItemContext['actions'];
  };
  createdAt: string;
  via: string;
  parentId?: string;
  /** The article's title and URL, as the site sent them with a comment of the thread. */
  thread?: ItemContext['thread'];
  /** The comment this one replies to: its author's name, text (cut) and status. */
  parent?: ItemContext['parent'];
}

/**
 * Builds the item view. Comments scored without explanations (the caller did not ask for them) get them now, from
 * the same models, so the page can always highlight the words behind the scores.
 */
export async function reviewItem(d: ReviewDeps, c: StoredComment): Promise<ReviewItem> {
  const site = await getSite(d.redis, c.siteId);
  const history = await authorHistory(d.redis, c.siteId, c.author.emailHash, site?.policy.trustedAuthorApprovals ?? 3);
  let explanation = c.explanation ?? {};
  // Explanations stored before words carried their `marked` flag (the span floor) are made again, so the page marks
  // only the words that passed it.
  if (!hasMarks(explanation.spam) || !hasMarks(explanation.toxicity)) {
    explanation = {
      // With the site's own view (its learnt counts and link lists), as the comment was scored.
      spam: hasMarks(explanation.spam)
        ? explanation.spam
        : d.models.spam.score({
          // The masked e-mail keeps its domain, all the model reads of it; the stored metadata brings back the fill
          // time, duplicates and campaign the score was made with, so their entries (with details) are explained too.
          text: c.body, author: c.author.name, email: c.author.emailMasked, url: c.author.url, meta: c.spamMeta,
          ...(site ? linkListsOf(site.policy) : {}),
        }, { explain: true, siteId: c.siteId }).explanation,
      toxicity: hasMarks(explanation.toxicity) ? explanation.toxicity : d.models.toxicity.score({ text: c.body }, { explain: true, siteId: c.siteId }).explanation,
    };
  }
  const context = await itemContext(d.redis, c, history.recent, nowOf(d).getTime());
  return {
    commentId: c.id, siteId: c.siteId, threadId: c.threadId, body: c.body, status: c.status,
    scores: c.scores, reasons: c.reasons, explanation,
    author: {
      name: c.author.name, emailMasked: c.author.emailMasked, ...(c.author.url ? { url: c.author.url } : {}), history,
      lastComments: context.lastComments, actions: context.actions,
    },
    createdAt: c.createdAt, via: c.via,
    ...(c.parentId ? { parentId: c.parentId } : {}),
    ...(context.thread ? { thread: context.thread } : {}),
    ...(context.parent ? { parent: context.parent } : {}),
  };
}

/** Whether a stored explanation carries the span floor's `marked` flags (an empty one has nothing to mark). */
function hasMarks(ex: unknown): boolean {
  return Array.isArray(ex) && (ex.length === 0 || ex.some((e) => typeof (e as { marked?: unknown }).marked === 'boolean'));
}
