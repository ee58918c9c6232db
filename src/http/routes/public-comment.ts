import type { StoredComment } from '../../comments/comment-store';

/** The comment as the site's server reads it back: no hashes of the commenter's e-mail or IP. */
export function publicComment(c: StoredComment) {
  const { client, author, ...rest } = c;
  return { ...rest, author: { name: author.name, email: author.emailMasked, ...(author.url ? { url: author.url } : {}) }, client: { userAgent: client.userAgent, referrer: client.referrer } };
}
