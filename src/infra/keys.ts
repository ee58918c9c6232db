/**
 * Every Redis key Vigil uses is built here, so the key space can be read in one place. Format:
 * `vigil:{<siteId>}:<capability>:<id>`. The braces are a hash tag: all of one site's keys hash to one Redis Cluster
 * slot, so MULTI and Lua across them stay legal. Keys shared by all sites use the `{global}` tag.
 */
const P = 'vigil';

const site = (siteId: string, ...parts: string[]) => [P, `{${siteId}}`, ...parts].join(':');
const global = (...parts: string[]) => [P, '{global}', ...parts].join(':');

export const keys = {
  /** Hash: site record (name, key hashes, policy JSON). */
  site: (siteId: string) => site(siteId, 'site'),
  /** Sorted set of all site ids by creation time. */
  siteIndex: () => global('sites'),
  /** Pub/sub channel: a site's record changed (payload: the site id); instances drop their cached copy. */
  siteChanged: () => global('site-changed'),
  /** String: where versions before the key file kept a generated server secret; read once to migrate, then deleted. */
  serverSecret: () => global('server-secret'),
  /** String: a keyed fingerprint of the server secret, so an instance started with another secret stops. */
  serverSecretFingerprint: () => global('server-secret-fingerprint'),
  /** String: marks that the dev site and moderator were created. */
  devBootstrap: () => global('dev-bootstrap'),

  /** Hash: a captcha's HMAC'd answer and expiry; TTL = captcha lifetime. */
  captcha: (siteId: string, id: string) => site(siteId, 'captcha', id),
  /** String: a spent proof-of-work challenge, kept until it would have expired anyway. */
  powSpent: (siteId: string, id: string) => site(siteId, 'pow-spent', id),
  /** Hash: captcha counters (issued, solved, failed, expired; `pow:`-prefixed for proof of work). */
  captchaStats: (siteId: string) => site(siteId, 'captcha-stats'),
  /** Hash: every site's captcha counters summed (captchaStats' fields) and `at`, when they were summed; TTL a day. */
  captchaTotals: () => global('captcha-totals'),
  /** String: held by the one process summing captchaTotals this interval; TTL = the interval. */
  captchaTotalsLock: () => global('captcha-totals-lock'),
  /** String: wrong captcha answers charged to one client (keyed IP hash); TTL = the failure window. */
  captchaFailures: (siteId: string, clientHash: string) => site(siteId, 'captcha-fail', clientHash),
  /**
   * String: proof-of-work events (challenges issued, weighted failures) in one window-long bucket, for the whole site
   * (`scope` 'site') or one client network (its keyed hash, never the IP); TTL = two windows.
   */
  powPressure: (siteId: string, scope: string, bucket: number) => site(siteId, 'pow-pressure', scope, String(bucket)),

  /** Hash: a comment record. TTL set once the comment is decided. */
  comment: (siteId: string, id: string) => site(siteId, 'comment', id),
  /** Sorted set of a thread's comment ids by time, one per status. */
  thread: (siteId: string, threadId: string, status: string) => site(siteId, 'thread', status, threadId),
  /** Sorted set of pending comment ids by time. */
  pending: (siteId: string) => site(siteId, 'pending'),
  /** String: stored answer for an Idempotency-Key; TTL = IDEMPOTENCY_TTL_SECONDS. */
  idempotency: (siteId: string, keyHash: string) => site(siteId, 'idem', keyHash),
  /** Sorted set of body hashes seen in the last 24 h, for the duplicate-body feature. */
  bodySeen: (siteId: string, bodyHash: string) => site(siteId, 'body-seen', bodyHash),
  /** Sorted set of post timestamps per IP hash in the last 24 h. */
  ipPosts: (siteId: string, ipHash: string) => site(siteId, 'ip-posts', ipHash),
  /** Sorted set of author (e-mail hash) -> last post time, per linked domain hash; TTL = the campaign window. */
  linkAuthors: (siteId: string, domainHash: string) => site(siteId, 'link-authors', domainHash),

  /** Set of keyed reader hashes (IP + client token) that reported a comment: one report per reader; TTL = retention. */
  reportReaders: (siteId: string, commentId: string) => site(siteId, 'report', 'readers', commentId),
  /** List of a comment's open reports (JSON: reason, text, time, network hash; capped); TTL = retention. */
  reports: (siteId: string, commentId: string) => site(siteId, 'report', 'list', commentId),
  /** Set of keyed network (IP) hashes behind a comment's open reports: what the policy's thresholds count; TTL = retention. */
  reportNetworks: (siteId: string, commentId: string) => site(siteId, 'report', 'nets', commentId),
  /** String: what a moderator's keep/remove on a reported comment changed, kept for undo; TTL = REVIEW_UNDO_SECONDS. */
  reportUndo: (siteId: string, commentId: string) => site(siteId, 'report', 'undo', commentId),
  /** Sorted set: the Reported queue, comment ids by the time they reached the report threshold; TTL = retention. */
  reported: (siteId: string) => site(siteId, 'reported'),

  /** String: one fixed-window limit's count (infra/rate-limit.ts) for a subject (a keyed IP or e-mail hash, or `site`); TTL = the window. */
  rateLimit: (siteId: string, name: string, subject: string) => site(siteId, 'rl', name, subject),

  /** String: an integration's settings for a site (JSON; secrets inside encrypted with the server secret). */
  integration: (siteId: string, name: string) => site(siteId, 'integration', name),

  /** Stream of labelled examples from moderators and Akismet submissions (capped; trimmed to RETENTION_DAYS, TTL the same). */
  feedback: (siteId: string) => site(siteId, 'feedback'),
  /** String: the site's learnt counts folded from its feedback stream up to an entry id (JSON, no text); TTL refreshed by every fold. */
  learnSnapshot: (siteId: string) => site(siteId, 'learn', 'snapshot'),
  /** Hash: the global delta sites agreed on (`version`, and per task its buckets as JSON); rewritten by every fold. */
  learnAgreed: () => global('learn', 'agreed'),
  /**
   * Sorted set: site id -> the feedback sequence number of its latest feedback write, so learners read only the streams
   * that changed since their last look. At most one member per site; no TTL (a lost set only makes learners rescan).
   */
  learnDirty: () => global('learn', 'dirty'),
  /** String: the feedback sequence counter learnDirty's scores come from; no TTL (a reset makes learners rescan). */
  learnSeq: () => global('learn', 'seq'),
  /** String: the lock of the one instance folding feedback streams; TTL a few fold intervals. */
  learnLock: () => global('learn', 'lock'),
  /** String: when the compactor's last full pass (every site) ended, in ms; no TTL (lost: the next full pass is an interval's hour away). */
  learnFullPassAt: () => global('learn', 'full-pass-at'),

  /** String: the site id an Akismet-format key belongs to, keyed by the key's keyed hash (no TTL: lives with the key). */
  akismetKey: (keyHash: string) => global('akismet-key', keyHash),
  /** String: failed Akismet key attempts from one client network (keyed hash); TTL = the failure window. */
  akismetKeyFailures: (networkHash: string) => global('akismet-key-fail', networkHash),
  /** Hash: a month's Akismet counters (calls, spam, ham, missed spam, false positives; per blog too); TTL ~ 3 years. */
  akismetStats: (siteId: string, month: string) => site(siteId, 'akismet', 'stats', month),
  /** String: the comment id comment-check stored for an author, IP and body (keyed hash); TTL = retention. */
  akismetMatch: (siteId: string, matchHash: string) => site(siteId, 'akismet', 'match', matchHash),

  /** Hash: a webhook endpoint (url, events, secrets, enabled). */
  webhook: (siteId: string, id: string) => site(siteId, 'webhook', id),
  /** Sorted set of a site's webhook endpoint ids by creation time. */
  webhookIndex: (siteId: string) => site(siteId, 'webhooks'),
  /** String: a webhook message (type and signed body), shared by its deliveries; TTL = delivery log retention. */
  webhookMessage: (siteId: string, msgId: string) => site(siteId, 'webhook-msg', msgId),
  /** String: one delivery of a message to one endpoint, with its attempts (JSON); TTL = delivery log retention. */
  webhookDelivery: (siteId: string, id: string) => site(siteId, 'webhook-delivery', id),
  /** Sorted set of an endpoint's delivery ids by time (capped); the delivery log. */
  webhookLog: (siteId: string, endpointId: string) => site(siteId, 'webhook-log', endpointId),
  /** Sorted set of a site's dead-lettered delivery ids by time (capped). */
  webhookDead: (siteId: string) => site(siteId, 'webhook-dead'),

  /** Hash: a moderator record; moderators are global because one may serve several sites. */
  moderator: (moderatorId: string) => global('moderator', moderatorId),
  /** Set of moderator ids given access to a site. */
  siteModerators: (siteId: string) => site(siteId, 'moderators'),
  /** Sorted set of all moderator ids. */
  moderatorIndex: () => global('moderators'),

  /**
   * Sorted set of site ids whose review queue has claimed items (score: last claim), swept for lapsed leases. In the
   * queues' `{vigil}` slot, so one script can check a queue's active list and update it together.
   */
  reviewClaimedSites: () => '{vigil}:review-claimed-sites',
  /** String: held by the one process reconciling the review queues this interval; TTL = about the interval. */
  reviewReconcileLock: () => global('review-reconcile-lock'),
  /** Hash: every site's review queue depth summed (waiting, claimed, at), for /metrics; TTL 1 day. */
  reviewDepthTotals: () => global('review-depth-totals'),
  /** String: held by the one process summing reviewDepthTotals this interval; TTL = the interval. */
  reviewDepthTotalsLock: () => global('review-depth-totals-lock'),
  /** String: a moderator's claim on a review item (moderator id, BullMQ lock token); TTL = the lease. */
  reviewClaim: (siteId: string, commentId: string) => site(siteId, 'review', 'claim', commentId),
  /** String: a short lock so one comment is decided once even when two requests race; TTL a few seconds. */
  reviewLock: (siteId: string, commentId: string) => site(siteId, 'review', 'lock', commentId),
  /** String: the last decision on a comment, kept for undo; TTL = REVIEW_UNDO_SECONDS. */
  reviewUndo: (siteId: string, commentId: string) => site(siteId, 'review', 'undo', commentId),
  /** Hash: an author's decision counts on the site (keyed e-mail hash); TTL = a year after the last decision. */
  reviewAuthor: (siteId: string, emailHash: string) => site(siteId, 'review', 'author', emailHash),
  /** List: an author's most recent decisions (capped); same TTL as reviewAuthor. */
  reviewAuthorLog: (siteId: string, emailHash: string) => site(siteId, 'review', 'author-log', emailHash),
  /** Set of keyed e-mail hashes a moderator blocked on the site. */
  reviewBlockedEmails: (siteId: string) => site(siteId, 'review', 'blocked-emails'),
  /** Set of keyed IP hashes a moderator blocked on the site. */
  reviewBlockedIps: (siteId: string) => site(siteId, 'review', 'blocked-ips'),
  /**
   * String: a moderator's ban, suspension or trust of one author identity on the site (`email` or `ip`, keyed hash),
   * JSON; a suspension's TTL is its end, bans and trust last until lifted.
   */
  authorAction: (siteId: string, subject: string, hash: string) => site(siteId, 'author-action', subject, hash),
  /** Sorted set of the identities with an action on the site (`<subject>:<hash>`, score: when it was taken). */
  authorActionIndex: (siteId: string) => site(siteId, 'author-actions'),
  /** List: an identity's recent actions and lifts (capped); TTL a year after the last. */
  authorActionLog: (siteId: string, subject: string, hash: string) => site(siteId, 'author-action-log', subject, hash),
  /** Hash: what sites sent about a thread (`server` and `browser` fields, JSON {title, url}, first write wins); TTL = retention. */
  threadInfo: (siteId: string, threadId: string) => site(siteId, 'thread-info', threadId),
  /** Stream: the append-only audit log of review decisions (capped at a large length). */
  reviewAudit: (siteId: string) => site(siteId, 'review', 'audit'),
  /** List: the latest submission-to-decision times in ms (capped), for the p50/p95 gauges. */
  reviewLatency: (siteId: string) => site(siteId, 'review', 'latency'),
  /** Hash: shadow-mode counts of what Vigil would have decided (pending, rejected). */
  reviewShadow: (siteId: string) => site(siteId, 'review', 'shadow'),
  /** List: recent shadow-mode comments Vigil would have held or rejected (capped). */
  reviewShadowLog: (siteId: string) => site(siteId, 'review', 'shadow-log'),
  /** Pub/sub channel: live review events (new item, decision) for the /moderate page's server-sent events. */
  reviewLive: (siteId: string) => site(siteId, 'review', 'live'),
  /**
   * Sorted set: the ids of a site's comments in one review list (`pending` = needs review, `approved`, `rejected`) by
   * creation time in ms; no TTL for `pending`, a retention period after the last write otherwise.
   */
  reviewListByTime: (siteId: string, list: string) => site(siteId, 'review', 'list-time', list),
  /** Sorted set: the same ids by their highest model score (spam or toxicity) in millionths; same TTL. */
  reviewListByScore: (siteId: string, list: string) => site(siteId, 'review', 'list-score', list),
  /**
   * Sorted set: a site's comment ids by creation time under one search facet (`author`: keyed e-mail hash, `name`:
   * keyed hash of the author's name, `thread`: thread id); TTL = retention after the last write.
   */
  reviewFacet: (siteId: string, facet: 'author' | 'name' | 'thread', value: string) => site(siteId, 'review', 'facet', facet, value),
  /** Pattern matching every site's reviewLive channel. */
  reviewLivePattern: () => `${P}:{*}:review:live`,
} as const;

/** The hash tag Redis Cluster would use for a key; tests use it to check that multi-key operations stay in one slot. */
export function hashTag(key: string): string {
  const open = key.indexOf('{');
  const close = key.indexOf('}', open + 1);
  return open >= 0 && close > open + 1 ? key.slice(open + 1, close) : key;
}
