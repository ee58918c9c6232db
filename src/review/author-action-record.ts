/** What a moderator can do to an author on one site, beyond deciding their comments. */
export type AuthorActionKind = 'ban' | 'suspend' | 'trust';
/** Which keyed hash of the author an action is held against. */
export type AuthorSubject = 'email' | 'ip';

/**
 * One action on one identity of an author, as stored (JSON under keys.authorAction). A ban or suspension taken on
 * both the e-mail and the IP is two records sharing one `id`, so either can be lifted alone.
 */
export interface AuthorAction {
  id: string;
  action: AuthorActionKind;
  subject: AuthorSubject;
  reason: string;
  at: string;
  /** When a suspension ends (ISO time); bans and trust have none. */
  until?: string;
  by: { id: string; name: string };
  /** The comment the moderator was looking at when they took it. */
  commentId: string;
}

/** The actions in force for a comment's two identities, as the comment pipeline reads them. */
export interface ActiveAuthorActions {
  email?: AuthorAction;
  ip?: AuthorAction;
}

/**
 * The action a stored value holds if it is still in force at `nowMs`: a suspension whose end has passed is void even
 * while its key waits for Redis to expire it, so the pipeline's clock (injectable in tests) decides, not Redis's.
 * A value that does not parse counts as no action rather than failing the comment.
 */
export function activeAction(raw: string | null | undefined, nowMs: number): AuthorAction | undefined {
  if (!raw) return undefined;
  try {
    const a = JSON.parse(raw) as AuthorAction;
    if (a.until !== undefined && !(Date.parse(a.until) > nowMs)) return undefined;
    return a;
  } catch {
    return undefined;
  }
}

/** `email:<hash>` / `ip:<hash>`: how an identity is named in the site's action index and in the lift-by-target API. */
export function targetOf(subject: AuthorSubject, hash: string): string {
  return `${subject}:${hash}`;
}

/** The reverse of targetOf, or undefined for anything that is not one (the hash part is hex, `v`-prefixed when verified). */
export function parseTarget(target: string): { subject: AuthorSubject; hash: string } | undefined {
  const m = /^(email|ip):(v?[0-9a-f]{32})$/.exec(target);
  return m ? { subject: m[1] as AuthorSubject, hash: m[2] } : undefined;
}
