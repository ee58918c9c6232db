import client from 'prom-client';

/**
 * The process's Prometheus metrics. One registry, created once, so that every capability adds its series to the
 * same /metrics page.
 */
export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });

/**
 * Series labelled by site live in their own registry, and each has a twin without the label (all sites summed) in
 * another: a scrape shows one or the other (METRICS_PER_SITE), so by default /metrics names no tenant. Both are kept
 * because the registries are per process while the setting is per app (tests run several apps in one process).
 */
export const siteRegistry = new client.Registry();
export const totalRegistry = new client.Registry();

type Labels<L extends string> = Partial<Record<L, string | number>>;

/** A counter counted both by site and in total, with prom-client's inc() signature for callers. */
function perSiteCounter<L extends string>(name: string, help: string, labelNames: L[]) {
  const bySite = new client.Counter<L | 'site'>({ name, help, labelNames: ['site', ...labelNames], registers: [siteRegistry] });
  const total = new client.Counter<L>({ name, help, labelNames, registers: [totalRegistry] });
  return {
    inc(labels: Labels<L> & { site: string }, n = 1): void {
      const { site: _site, ...rest } = labels;
      bySite.inc(labels as Labels<L | 'site'>, n);
      total.inc(rest as unknown as Labels<L>, n);
    },
  };
}

/**
 * A gauge read at scrape time: set() keeps the per-site value; the total twin is rebuilt from them by sumSiteGauges()
 * only when the scrape shows totals.
 */
function perSiteGauge<L extends string>(name: string, help: string, labelNames: L[]) {
  const bySite = new client.Gauge<L | 'site'>({ name, help, labelNames: ['site', ...labelNames], registers: [siteRegistry] });
  const total = new client.Gauge<L>({ name, help, labelNames, registers: [totalRegistry] });
  const sums = new Map<string, { labels: Labels<L>; value: number }>();
  return {
    /** Starts a scrape: the totals are summed afresh. */
    reset(): void {
      sums.clear();
      total.reset();
    },
    set(labels: Labels<L> & { site: string }, value: number, perSite: boolean): void {
      const { site: _site, ...rest } = labels;
      if (perSite) bySite.set(labels as Labels<L | 'site'>, value);
      const k = JSON.stringify(rest);
      const e = sums.get(k) ?? { labels: rest as unknown as Labels<L>, value: 0 };
      e.value += value;
      sums.set(k, e);
      total.set(e.labels, e.value);
    },
  };
}

/** The /metrics page: the process's series, then either the per-site series or their totals. */
export async function renderMetrics(perSite: boolean): Promise<string> {
  const [own, sites] = await Promise.all([registry.metrics(), (perSite ? siteRegistry : totalRegistry).metrics()]);
  return `${own.trimEnd()}\n${sites}`;
}

export const metrics = {
  httpDuration: new client.Histogram({
    name: 'vigil_http_request_duration_seconds',
    help: 'HTTP request latency by route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  }),
  decisions: perSiteCounter('vigil_comment_decisions_total', 'Comments decided at intake, by status (and site, with METRICS_PER_SITE).', ['status']),
  classifierDuration: new client.Histogram({
    name: 'vigil_classifier_duration_seconds',
    help: 'Time to score one comment, by model.',
    labelNames: ['model'] as const,
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05],
    registers: [registry],
  }),
  captchaOutcomes: perSiteGauge('vigil_captcha_total', 'Captchas by mode (svg, pow) and outcome (issued, solved, failed, expired), all sites summed (refreshed at most once a minute) or by site with METRICS_PER_SITE (read at scrape time).', ['mode', 'outcome']),
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
  reviewDepth: perSiteGauge('vigil_review_queue_depth', 'Review items by state (waiting, claimed), all sites summed (by site with METRICS_PER_SITE), read from the queues at scrape time.', ['state']),
  reviewDecisionSeconds: new client.Histogram({
    name: 'vigil_review_decision_seconds',
    help: 'Time from a comment being submitted to its review decision, by decision (this process).',
    labelNames: ['decision'] as const,
    buckets: [10, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 86400, 3 * 86400],
    registers: [registry],
  }),
  /** Only with METRICS_PER_SITE: quantiles of different sites cannot be summed. */
  reviewDecisionLatency: new client.Gauge({
    name: 'vigil_review_decision_latency_seconds',
    help: 'p50 and p95 of submission-to-decision time over the last 1000 decisions per site (all instances, from Redis; with METRICS_PER_SITE only).',
    labelNames: ['site', 'quantile'] as const,
    registers: [siteRegistry],
  }),
};

