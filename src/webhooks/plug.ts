import { Queue, Worker } from 'bullmq';
import type { Plug } from '../plug';
import { createRedis, createWorkerRedis } from '../infra/redis';
import { defaultJobOptions, QUEUE_PREFIX } from '../infra/queues';
import { metrics } from '../infra/metrics';
import { webhookRoutes } from '../http/routes/webhooks';
import { parseSchedule } from './retry';
import { parseAllowlist } from './ssrf';
import { DeliveryJob, WebhookProducer } from './queue';
import { webhookService } from './service';
import { backoffFor, createProcessor } from './worker';

/** Concurrent deliveries per process; they mostly wait on the network. */
const CONCURRENCY = 16;

/**
 * Webhooks: the /v1/webhooks routes, a subscriber that turns domain events into deliveries, and (when this process
 * runs workers) the delivery worker.
 */
export const webhooksPlug: Plug = async ({ ctx, extras, closers, redisUrl, workers }) => {
  const { config, redis, logger } = ctx;
  const schedule = parseSchedule(config.VIGIL_WEBHOOK_RETRY_SCHEDULE);
  const allowlist = parseAllowlist(config.VIGIL_WEBHOOK_ALLOWLIST);
  const logTtlSeconds = Math.round(config.VIGIL_WEBHOOK_LOG_DAYS * 86_400);
  const name = config.VIGIL_WEBHOOK_QUEUE;

  const producerConn = createRedis(redisUrl);
  const queue = new Queue<DeliveryJob>(name, { connection: producerConn, prefix: QUEUE_PREFIX, defaultJobOptions: defaultJobOptions.webhooks });
  queue.on('error', (err) => logger.warn({ err }, 'webhooks queue error'));
  closers.push(async () => {
    await queue.close();
    producerConn.disconnect();
  });
  const producer = new WebhookProducer(redis, queue, { attempts: schedule.length + 1, logTtlSeconds });
  ctx.events.subscribeBatch(async (events) => {
    await producer.onEvents(events);
  });
  extras.routers.push(webhookRoutes(ctx, webhookService(redis, producer, allowlist)));
  extras.metricsCollectors.push(async () => {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
    for (const [state, n] of Object.entries(counts)) metrics.webhookQueue.set({ state }, n);
  });

  if (!workers) return;
  const workerConn = createWorkerRedis(redisUrl);
  const worker = new Worker<DeliveryJob>(
    name,
    createProcessor(redis, { schedule, timeoutMs: config.VIGIL_WEBHOOK_TIMEOUT_MS, logTtlSeconds, allowlist, logger }),
    { connection: workerConn, prefix: QUEUE_PREFIX, concurrency: CONCURRENCY, settings: { backoffStrategy: backoffFor(schedule) } },
  );
  worker.on('error', (err) => logger.warn({ err }, 'webhooks worker error'));
  closers.push(async () => {
    await worker.close();
    workerConn.disconnect();
  });
};
