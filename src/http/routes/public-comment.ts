import type { StoredComment } from '../../comments/comment-store';

/** The comment as the site's server reads it back: no hashes of the commenter's e-mail or IP. */
export function publicComment(c: StoredComment) {
  // spamMeta is the moderator view's input (review/item-view.ts), not part of the documented read-back.
  const { client, author, spamMeta: _spamMeta, ...rest } = c;
  // Comments stored before intake took http(s) only may hold javascript: or data: URLs; they are never handed out.
  const url = author.url && /^https?:\/\//i.test(author.url) ? author.url : undefined;
  return { ...rest, author: { name: author.name, email: author.emailMasked, ...(url ? { url } : {}) }, client: { userAgent: client.userAgent, referrer: client.referrer } };
}
