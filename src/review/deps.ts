import type Redis from 'ioredis';
import type { Model } from '../classifier';
import type { EventBus } from '../events/events';
import type { Logger } from '../logger';
import type { ReviewQueues } from './queue';

/** What the review use cases need, passed in so they can run against any Redis (tests use the suite's). */
export interface ReviewDeps {
  redis: Redis;
  queues: ReviewQueues;
  events: EventBus;
  models: { spam: Model; toxicity: Model };
  logger: Logger;
  settings: { leaseMs: number; undoSeconds: number; retentionSeconds: number };
  now?: () => Date;
}

/** A moderator as the review use cases see them. */
export interface Actor {
  id: string;
  name: string;
  role: 'moderator' | 'admin';
  siteIds: string[];
}

export type ReviewDecision = 'approve' | 'reject' | 'spam';

export const nowOf = (d: ReviewDeps): Date => d.now?.() ?? new Date();
