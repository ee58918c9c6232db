/**
 * A process that runs only Vigil's webhook delivery worker (the production processor from src/webhooks/worker.ts)
 * on the queue named in VIGIL_WEBHOOK_QUEUE, so a fault test can SIGKILL it in the middle of a delivery. Its lock is
 * short (FAULT_LOCK_MS) so that recovery happens within seconds instead of after BullMQ's default 30 s lock plus the
 * 30 s stalled-check interval; the recovery path itself is BullMQ's, unchanged. Run with scripts/run-ts.js.
 */
import { Worker } from 'bullmq';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { connectRedis, createRedis, createWorkerRedis } from '../../src/infra/redis';
import { QUEUE_PREFIX } from '../../src/infra/queues';
import { parseSchedule } from '../../src/webhooks/retry';
import { parseAllowlist } from '../../src/webhooks/ssrf';
import { backoffFor, createProcessor } from '../../src/webhooks/worker';
import type { DeliveryJob } from '../../src/webhooks/queue';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const redis = createRedis(config.REDIS_URL!);
  await connectRedis(redis);
  const schedule = parseSchedule(config.VIGIL_WEBHOOK_RETRY_SCHEDULE);
  const lockMs = Number(process.argv[2] ?? 1500);
  const worker = new Worker<DeliveryJob>(
    config.VIGIL_WEBHOOK_QUEUE,
    createProcessor(redis, { schedule, timeoutMs: config.VIGIL_WEBHOOK_TIMEOUT_MS, logTtlSeconds: 3600, allowlist: parseAllowlist(config.VIGIL_WEBHOOK_ALLOWLIST), logger }),
    {
      connection: createWorkerRedis(config.REDIS_URL!), prefix: QUEUE_PREFIX, concurrency: 4,
      lockDuration: lockMs, stalledInterval: Math.round(lockMs / 2), settings: { backoffStrategy: backoffFor(schedule) },
    },
  );
  worker.on('error', (err) => logger.warn({ err }, 'worker error'));
  await worker.waitUntilReady();
  process.stdout.write('worker ready\n');
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
