import crypto from 'node:crypto';
import net from 'node:net';
import { keys } from '../infra/keys';
import type { CommentInput, ModerationDeps } from '../moderation/types';

/**
 * WordPress's submit-spam and submit-ham carry no `guid`: the plugin sends the comment as it was submitted (author,
 * IP, text) and nothing that names Vigil's copy. So comment-check remembers, for the retention period, which stored
 * comment an (author, IP, body) triple became, under a keyed hash of the triple; a submission finds it in one read,
 * and only within its own site. Two identical comments from one author and IP map to the later one.
 */
function matchHash(secret: Buffer, input: Pick<CommentInput, 'author' | 'body' | 'client'>): string {
  const name = input.author.name.trim().toLowerCase();
  const ip = canonicalIp(input.client?.ip ?? '');
  // Whitespace is collapsed so that a CMS re-wrapping lines does not break the match; the rest must be exact.
  const body = input.body.trim().replace(/\s+/g, ' ');
  return crypto.createHmac('sha256', secret).update(`akismet-match\0${name}\0${ip}\0${body}`).digest('hex').slice(0, 32);
}

function canonicalIp(ip: string): string {
  const s = ip.trim().toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s);
  if (mapped) return mapped[1];
  return net.isIP(s) ? s : '';
}

/** Remembers the comment comment-check stored, and whether Vigil answered spam, for the retention period. */
export async function rememberCheckedComment(
  deps: ModerationDeps, siteId: string, input: CommentInput, commentId: string, spam: boolean, retentionSeconds: number,
): Promise<void> {
  await deps.redis.set(keys.akismetMatch(siteId, matchHash(deps.secret, input)), `${commentId}|${spam ? 1 : 0}`, 'EX', retentionSeconds);
}

/** The comment comment-check stored for the same author, IP and body on this site, and what Vigil answered then. */
export async function findCheckedComment(
  deps: Pick<ModerationDeps, 'redis' | 'secret'>, siteId: string, input: CommentInput,
): Promise<{ commentId: string; answeredSpam: boolean } | undefined> {
  const raw = await deps.redis.get(keys.akismetMatch(siteId, matchHash(deps.secret, input)));
  if (!raw) return undefined;
  const [commentId, spam] = raw.split('|');
  return { commentId, answeredSpam: spam === '1' };
}
