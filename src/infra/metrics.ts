import client from 'prom-client';
import type { Plug } from '../compose';
import { QUEUE_PREFIX, queueNames } from './queues';

/**
 * The process's Prometheus metrics. One registry, created once, so that every capability adds its series to the
 * same /metrics page.
 */
export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });

export const metrics = {
  httpDuration: new client.Histogram({
    name: 'vigil_http_request_duration_seconds',
    help: 'HTTP request latency by route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  }),
  decisions: new client.Counter({
    name: 'vigil_comment_decisions_total',
    help: 'Comments decided at intake, by site and status.',
    labelNames: ['site', 'status'] as const,
    registers: [registry],
  }),
  classifierDuration: new client.Histogram({
    name: 'vigil_classifier_duration_seconds',
    help: 'Time to score one comment, by model.',
    labelNames: ['model'] as const,
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05],
    registers: [registry],
  }),
  captchaOutcomes: new client.Gauge({
    name: 'vigil_captcha_total',
    help: 'Captchas by site, mode (svg, pow) and outcome (issued, solved, failed, expired), read from Redis at scrape time.',
    labelNames: ['site', 'mode', 'outcome'] as const,
    registers: [registry],
  }),
  webhookAttempts: new client.Counter({
    name: 'vigil_webhook_attempts_total',
    help: 'Webhook delivery attempts by outcome (delivered, retry, gone, dead, refused, cancelled).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  }),
  webhookDuration: new client.Histogram({
    name: 'vigil_webhook_attempt_duration_seconds',
    help: 'Time from connecting to a webhook endpoint to reading its answer.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  }),
  webhookQueue: new client.Gauge({
    name: 'vigil_webhook_queue_jobs',
    help: 'Webhook delivery jobs by state (waiting, active, delayed = waiting for a retry, failed = kept failed jobs), read at scrape time.',
    labelNames: ['state'] as const,
    registers: [registry],
  }),
  reviewDepth: new client.Gauge({
    name: 'vigil_review_queue_depth',
    help: 'Review items by site and state (waiting, claimed), read from the queues at scrape time.',
    labelNames: ['site', 'state'] as const,
    registers: [registry],
  }),
  reviewDecisionSeconds: new client.Histogram({
    name: 'vigil_review_decision_seconds',
    help: 'Time from a comment being submitted to its review decision, by decision (this process).',
    labelNames: ['decision'] as const,
    buckets: [10, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 86400, 3 * 86400],
    registers: [registry],
  }),
  reviewDecisionLatency: new client.Gauge({
    name: 'vigil_review_decision_latency_seconds',
    help: 'p50 and p95 of submission-to-decision time over the last 1000 decisions per site (all instances, from Redis).',
    labelNames: ['site', 'quantile'] as const,
    registers: [registry],
  }),
};

const queueJobs = new client.Gauge({
  name: 'vigil_queue_jobs',
  help: 'Jobs in each shared BullMQ queue (webhooks, learning) by state, read from Redis at scrape time (all instances).',
  labelNames: ['queue', 'state'] as const,
  registers: [registry],
});

/**
 * Queue depths for /metrics, read straight from BullMQ's keys in one round trip so a scrape costs no Queue object
 * per queue. Per-site review queues have their own gauge (vigil_review_queue_depth).
 */
export const queueDepthPlug: Plug = async ({ ctx, extras }) => {
  const names = [ctx.config.VIGIL_WEBHOOK_QUEUE, queueNames.learning];
  const states = [['waiting', 'wait', 'llen'], ['active', 'active', 'llen'], ['delayed', 'delayed', 'zcard'], ['prioritized', 'prioritized', 'zcard'], ['failed', 'failed', 'zcard']] as const;
  extras.metricsCollectors.push(async () => {
    const m = ctx.redis.multi();
    for (const q of names) for (const [, key, cmd] of states) m[cmd](`${QUEUE_PREFIX}:${q}:${key}`);
    const res = (await m.exec()) ?? [];
    let i = 0;
    for (const q of names) for (const [state] of states) queueJobs.set({ queue: q, state }, Number(res[i++]?.[1] ?? 0));
  });
};

