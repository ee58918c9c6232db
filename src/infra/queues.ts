import type { JobsOptions } from 'bullmq';

/**
 * Queue names and defaults. The `{vigil}` prefix is a hash tag, so each queue's keys share a Redis Cluster slot,
 * which BullMQ's Lua scripts need.
 */
export const QUEUE_PREFIX = '{vigil}';

export const queueNames = {
  review: 'review',
  webhooks: 'webhooks',
} as const;
export type QueueName = (typeof queueNames)[keyof typeof queueNames];

/**
 * Each site has its own review queue, so a moderator claims only from the sites given to them and the queue depth
 * per site is one call. BullMQ forbids ':' in queue names.
 */
export function reviewQueueName(siteId: string): string {
  return `${queueNames.review}-${siteId}`;
}

export const defaultJobOptions: Record<QueueName, JobsOptions> = {
  review: { attempts: 5, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: 1000, removeOnFail: 5000 },
  webhooks: { removeOnComplete: 1000, removeOnFail: 5000 },
};
