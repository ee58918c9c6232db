import crypto from 'node:crypto';
import net from 'node:net';
import { keys } from '../infra/keys';
import { ipSubject } from '../moderation/ip-subject';
import type { CommentInput, ModerationDeps } from '../moderation/types';

type MatchDeps = Pick<ModerationDeps, 'secret' | 'settings'>;

/**
 * WordPress's submit-spam and submit-ham carry no `guid`: the plugin sends the comment as it was submitted (author,
 * IP, text) and nothing that names Vigil's copy. So comment-check remembers, for the retention period, which stored
 * comment an (author, IP, body) triple became, under a keyed hash of the triple; a submission finds it in one read,
 * and only within its own site. Two identical comments from one author and IP map to the later one.
 */
function matchHash(deps: MatchDeps, input: Pick<CommentInput, 'author' | 'body' | 'client'>): string {
  const name = input.author.name.trim().toLowerCase();
  // The IP counts as the subject intake hashes it under (mapped IPv4 as IPv4, IPv6 as its prefix), so a submission
  // from another address of the same /64 still finds the comment.
  const raw = (input.client?.ip ?? '').trim();
  const ip = net.isIP(raw) ? ipSubject(raw, deps.settings.ipv6Prefix) : '';
  // Whitespace is collapsed so that a CMS re-wrapping lines does not break the match; the rest must be exact.
  const body = input.body.trim().replace(/\s+/g, ' ');
  return crypto.createHmac('sha256', deps.secret).update(`akismet-match\0${name}\0${ip}\0${body}`).digest('hex').slice(0, 32);
}

/** Remembers the comment comment-check stored, and whether Vigil answered spam, for the retention period. */
export async function rememberCheckedComment(
  deps: ModerationDeps, siteId: string, input: CommentInput, commentId: string, spam: boolean, retentionSeconds: number,
): Promise<void> {
  await deps.redis.set(keys.akismetMatch(siteId, matchHash(deps, input)), `${commentId}|${spam ? 1 : 0}`, 'EX', retentionSeconds);
}

/** The comment comment-check stored for the same author, IP and body on this site, and what Vigil answered then. */
export async function findCheckedComment(
  deps: Pick<ModerationDeps, 'redis' | 'secret' | 'settings'>, siteId: string, input: CommentInput,
): Promise<{ commentId: string; answeredSpam: boolean } | undefined> {
  const raw = await deps.redis.get(keys.akismetMatch(siteId, matchHash(deps, input)));
  if (!raw) return undefined;
  const [commentId, spam] = raw.split('|');
  return { commentId, answeredSpam: spam === '1' };
}
