import type Redis from 'ioredis';
import type { AtomicWrites } from '../infra/atomic-writes';
import type { Model, ModelResult, ScoringModels, SpamMeta } from '../classifier';
import type { Site } from '../sites/site-store';
import type { CommentStatus, StoredComment } from '../comments/comment-store';

/** What a caller sends to POST /v1/comments, after validation. */
export interface CommentInput {
  threadId: string;
  parentId?: string;
  /** verified: the site (with its secret key) vouches for the e-mail; see identitiesOf. */
  author: { name: string; email: string; url?: string; verified?: boolean };
  body: string;
  honeypot?: string;
  renderedAt?: string;
  client?: { ip?: string; userAgent?: string; referrer?: string };
  /** `pow` carries the proof-of-work solution in pow+svg mode, where `answer` is the image's characters. */
  captcha?: { id: string; answer: string; pow?: string };
  /** The article the thread belongs to (comments/thread-info.ts), stored once per thread, not with the comment. */
  thread?: { title?: string; url?: string };
  /** The comment's language as the site declares it (BCP 47 or ISO 639-1); it picks the toxicity model. */
  language?: string;
}

export type { CommentStatus };

/** The dependencies of the moderation use case, passed in so phases can be tested without a server. */
export interface ModerationDeps {
  redis: Redis;
  models: ScoringModels;
  secret: Buffer;
  settings: { captchaTtlSeconds: number; retentionDays: number; idempotencyTtlSeconds: number; ipv6Prefix?: number };
  /** Called after a comment is stored, e.g. to enqueue review or webhooks. A failure is logged, not returned. */
  afterPersist: Array<(comment: StoredComment) => Promise<void>>;
  /**
   * Add writes to the comment's own transaction: stored together with the comment or not at all, and no extra round
   * trip. Keys must carry the comment's site hash tag.
   */
  inPersist?: Array<(w: AtomicWrites, comment: StoredComment) => void>;
  onHookError?: (err: unknown, comment: StoredComment) => void;
  now?: () => Date;
}

export interface ModerationContext {
  deps: ModerationDeps;
  site: Site;
  via: 'browser' | 'server';
  input: CommentInput;
  client: { ip: string; userAgent: string; referrer: string };
  now: Date;
  explain: boolean;
  /** Reason codes collected by the phases, in the order they were found. */
  reasons: string[];
  /** A phase that has already decided the outcome (a blocklist hit, a filled honeypot). */
  verdict?: CommentStatus;
  meta: SpamMeta;
  /** 'trusted' skips review for borderline scores; 'suspect' sends everything to review. */
  authorStanding?: 'trusted' | 'suspect';
  scores?: { spam: ModelResult; toxicity: ModelResult };
  /** The toxicity model that scored the comment (its language's own, else the English one): its thresholds decide. */
  toxicityModel?: Model;
  /** Keyed hashes of the commenter's IP and e-mail and of the body (intake-script identitiesOf). */
  identities?: { ip: string; email: string; body: string };
  /** Registrable domains the body links to, for the campaign count (intake-script linkDomainsOf). */
  linkDomains?: string[];
  /** Author standing and history counts, when the rate-limit phase fetched them in its round trip. */
  signals?: IntakeSignals;
  /** Moderator actions on the author, read with the author's standing (signals, or the standing phase's own read). */
  authorActions?: RawAuthorActions;
  /** A moderator trusts the author: besides skipping review for borderline scores, pre-moderation does not hold them. */
  trustedByModerator?: boolean;
  /** Writes a phase adds to this comment's own transaction once its status is known (like ModerationDeps.inPersist). */
  persistWrites?: Array<(w: AtomicWrites, comment: StoredComment) => void>;
}

/** A phase reads and adds to the context; it throws a VigilError to refuse the request outright. */
export type Phase = (ctx: ModerationContext) => Promise<void> | void;

export interface ModerationResult {
  id: string;
  status: CommentStatus;
  scores: { spam: number; toxicity: number; attributes?: Record<string, number> };
  reasons: string[];
  explanation?: { spam?: unknown; toxicity?: unknown };
}

/** What the author-standing and history phases read, fetched ahead by the rate-limit phase (intake-script.ts) when it may. */
export interface IntakeSignals {
  author: Record<string, string>;
  blockedEmail: boolean;
  blockedIp: boolean;
  /** Same body on the site in the last 24 h, before this one. */
  duplicates: number;
  /** Comments from the same IP on the site in the last 24 h, before this one. */
  postsPerIp: number;
  /** Per linked domain (`linkDomainsOf`), distinct authors who linked it on the site within the campaign window, this one included. */
  linkAuthors: number[];
  /** The stored moderator actions (ban, suspension, trust) on the e-mail and IP, as raw JSON (review/author-action-record.ts). */
  actions?: RawAuthorActions;
}

/** What keys.authorAction holds for the comment's e-mail and IP, unparsed (null: nothing). */
export interface RawAuthorActions { email: string | null; ip: string | null }
