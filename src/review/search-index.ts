import crypto from 'node:crypto';
import type { StoredComment } from '../comments/comment-store';
import type { AtomicWrites } from '../infra/atomic-writes';
import { keys } from '../infra/keys';
import { trimsNow } from '../comments/comment-index';
import { emailIdentity } from '../moderation/identity';

/** The facets a moderator can search by through an index of their own (text and reason are checked on the comment). */
export type Facet = 'author' | 'name' | 'thread';

/** A name as it is matched: Unicode-folded, lower case, single spaces. Linear in the name's length. */
export function normalizeName(name: string): string {
  return name.normalize('NFKC').toLowerCase().split(/\s+/).filter(Boolean).join(' ');
}

/**
 * Names are indexed under a keyed hash, like e-mail addresses, so the index keys of a Redis dump do not list the
 * site's commenters, and a search for a name never needs the names themselves in a key.
 */
export function nameHash(secret: Buffer, name: string): string {
  return crypto.createHmac('sha256', secret).update(`author-name\0${normalizeName(name)}`).digest('hex').slice(0, 32);
}

/**
 * The index keys an e-mail address may be found under: an address typed into a form and one the site vouched for
 * are separate identities (see emailIdentity), and a search for the address finds both.
 */
export function emailFacetValues(secret: Buffer, email: string): string[] {
  return [emailIdentity(secret, email, false), emailIdentity(secret, email, true)].filter(Boolean);
}

/**
 * The in-persist hook that files a new comment under its author's e-mail hash, its author's name hash and its thread,
 * in the comment's own write. Each facet key lasts a retention period after its last write; entries older than that
 * are trimmed now and then on the way (trimsNow), as their comments have expired.
 */
export function facetWrites(secret: Buffer, retentionSeconds: number): (w: AtomicWrites, c: StoredComment) => void {
  return (w, c) => {
    const created = Date.parse(c.createdAt);
    const cutoff = `(${created - retentionSeconds * 1000}`;
    const trim = trimsNow(c.id);
    const add = (key: string) => {
      w.add('ZADD', key, created, c.id);
      if (trim) w.add('ZREMRANGEBYSCORE', key, '-inf', cutoff);
      w.add('EXPIRE', key, retentionSeconds);
    };
    if (c.author.emailHash) add(keys.reviewFacet(c.siteId, 'author', c.author.emailHash));
    if (normalizeName(c.author.name)) add(keys.reviewFacet(c.siteId, 'name', nameHash(secret, c.author.name)));
    add(keys.reviewFacet(c.siteId, 'thread', c.threadId));
  };
}
