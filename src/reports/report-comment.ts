import type Redis from 'ioredis';
import { getComment } from '../comments/comment-store';
import { AlreadyReportedError, NotFoundError } from '../errors';
import type { EventBus } from '../events/events';
import { consume } from '../infra/rate-limit';
import { keys } from '../infra/keys';
import { identityHash } from '../moderation/identity';
import { ipSubject } from '../moderation/ip-subject';
import { publishLive } from '../review/live';
import type { Site } from '../sites/site-store';
import { fileReport, ReportReason } from './report-store';

export interface ReportDeps {
  redis: Redis;
  secret: Buffer;
  events: EventBus;
  /** IPv6 prefix a client is assumed to control (IPV6_PREFIX). */
  ipv6Prefix: number;
  /** Reports live as long as decided comments (RETENTION_DAYS). */
  retentionSeconds: number;
  now?: () => Date;
}

export interface ReportInput {
  commentId: string;
  reason: ReportReason;
  text?: string;
  /** A random token the reader's browser keeps (localStorage), 16-64 URL-safe characters. */
  readerToken: string;
  /** The connection's IP (through trusted proxies only). */
  ip: string;
}

/**
 * A reader reports a comment of the site whose key the page holds. Who is "one reader": a keyed hash of the network
 * (the IP, or its IPv6 /64) together with a token the reader's browser keeps. The IP alone would let only one person
 * per household, office or mobile carrier NAT report a comment; the token alone is free to mint, so one person could
 * report a comment again and again. Together, people sharing an address each get their report, and one person changing
 * tokens is held by the per-IP rate limit and, for the threshold, counted once per network (so a single reader can
 * never push an approved comment into the Reported queue alone). Hashes are keyed with the server secret, so a Redis
 * dump reveals neither the IP nor the token, and moderators never see either.
 *
 * Order: limit (per IP, before anything is read), then the comment must be this site's and visible (approved or
 * pending; another site's or a rejected one is 404), then one script stores the report unless the reader already
 * reported (409 already_reported, nothing written).
 */
export async function reportComment(d: ReportDeps, site: Site, input: ReportInput): Promise<{ commentId: string; reason: ReportReason; at: string }> {
  const subject = ipSubject(input.ip, d.ipv6Prefix);
  const network = identityHash(d.secret, 'ip', subject);
  await consume(d.redis, { key: keys.rateLimit(site.id, 'report-ip', network), points: site.policy.reports.perIpPerHour, windowSeconds: 3600 });
  const comment = await getComment(d.redis, site.id, input.commentId);
  if (!comment || comment.status === 'rejected') throw new NotFoundError('The comment');
  const now = d.now?.() ?? new Date();
  const threshold = comment.status === 'pending' ? site.policy.reports.pendingThreshold : site.policy.reports.approvedThreshold;
  const r = await fileReport(d.redis, {
    siteId: site.id, commentId: comment.id, reader: identityHash(d.secret, 'reader', `${subject}\0${input.readerToken}`), network,
    reason: input.reason, ...(input.text ? { text: input.text } : {}), threshold, ttlSeconds: d.retentionSeconds, now,
  });
  if (r.duplicate) throw new AlreadyReportedError();
  if (r.entered) {
    const at = now.toISOString();
    // Sent once, when the comment enters the Reported queue (again after a moderator kept it and new reports came).
    await d.events.emit({
      type: 'comment.reported', siteId: site.id, at,
      data: { commentId: comment.id, threadId: comment.threadId, status: comment.status, reports: r.reports, networks: r.networks, reason: input.reason },
    });
    await publishLive(d.redis, { type: 'reported', siteId: site.id, commentId: comment.id });
  }
  return { commentId: comment.id, reason: input.reason, at: now.toISOString() };
}
