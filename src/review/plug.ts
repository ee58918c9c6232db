import type { Plug } from '../plug';
import { createWorkerRedis } from '../infra/redis';
import { metrics } from '../infra/metrics';
import { keys } from '../infra/keys';
import { reviewRoutes } from '../http/routes/review';
import { reviewAdminRoutes } from '../http/routes/review-admin';
import { reviewEventRoutes } from '../http/routes/review-events';
import { reviewAuthorRoutes } from '../http/routes/review-authors';
import { reviewReportRoutes } from '../http/routes/review-reports';
import type { ReviewDeps } from './deps';
import { countAutoOutcome, onCommentStored, reconcileOnLease } from './intake';
import { LiveHub } from './live';
import { reviewDepthTotals } from './depth-totals';
import { facetWrites } from './search-index';
import { ReviewQueues } from './queue';

/** Nearest-rank quantile of a sorted list. */
function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/**
 * The review capability: per-site BullMQ review queues fed by an after-persist hook and reconciled at start-up from
 * the pending index, the moderators' API and live events, the /moderate page, bull-board and the queue metrics.
 */
export const reviewPlug: Plug = async ({ ctx, extras, closers, redisUrl, workers }) => {
  const { config, logger } = ctx;
  const connection = createWorkerRedis(redisUrl);
  connection.on('error', (err) => logger.warn({ err: err.message }, 'review queue connection error'));
  const queues = new ReviewQueues(connection, {
    leaseMs: Math.round(config.REVIEW_LEASE_SECONDS * 1000),
    checkStalled: workers,
    onError: (err) => logger.warn({ err }, 'review queue error'),
  });
  const d: ReviewDeps = {
    redis: ctx.redis, queues, events: ctx.events, models: ctx.moderation.models, logger,
    settings: {
      leaseMs: Math.round(config.REVIEW_LEASE_SECONDS * 1000),
      undoSeconds: config.REVIEW_UNDO_SECONDS,
      retentionSeconds: Math.round(config.RETENTION_DAYS * 86400),
    },
  };
  const hub = new LiveHub(() => createWorkerRedis(redisUrl));
  // An open event stream would hold the HTTP server open through a graceful shutdown until it timed out, and the
  // workers would then be killed rather than closed; so streams end as soon as the process is asked to stop.
  const endStreams = () => hub.endStreams();
  process.on('SIGTERM', endStreams);
  process.on('SIGINT', endStreams);
  closers.push(async () => {
    process.off('SIGTERM', endStreams);
    process.off('SIGINT', endStreams);
    await hub.close();
    await queues.close();
    connection.disconnect();
  });

  ctx.moderation.afterPersist.push((c) => onCommentStored(d, c));
  ctx.moderation.inPersist?.push(countAutoOutcome);
  ctx.moderation.inPersist?.push(facetWrites(ctx.moderation.secret, d.settings.retentionSeconds));
  extras.routers.push(reviewEventRoutes(ctx, hub), reviewAdminRoutes(ctx, d), reviewAuthorRoutes(ctx, d), reviewRoutes(ctx, d), reviewReportRoutes(ctx, d));
  extras.metricsCollectors.push(async (afterAnswer) => {
    const perSite = config.METRICS_PER_SITE;
    metrics.reviewDepth.reset();
    if (perSite) {
      const ids = await ctx.redis.zrange(keys.siteIndex(), 0, -1);
      const counts = await queues.countsOf(ids);
      ids.forEach((site, i) => {
        metrics.reviewDepth.set({ site, state: 'waiting' }, counts[i].waiting, true);
        metrics.reviewDepth.set({ site, state: 'claimed' }, counts[i].claimed, true);
      });
      // Quantiles of different sites cannot be summed, and reading every site's samples would make a scrape cost grow
      // with the number of sites: they are shown only when the operator asks for per-site series.
      for (const s of ids) {
        const samples = (await ctx.redis.lrange(keys.reviewLatency(s), 0, -1)).map(Number).sort((a, b) => a - b);
        if (samples.length) {
          metrics.reviewDecisionLatency.set({ site: s, quantile: '0.5' }, quantile(samples, 0.5) / 1000);
          metrics.reviewDecisionLatency.set({ site: s, quantile: '0.95' }, quantile(samples, 0.95) / 1000);
        }
      }
    } else {
      // The sum one process counted after a previous scrape (depth-totals.ts): a scrape's cost does not grow with the
      // number of sites. Before the first count there is no series rather than zeros.
      const sum = await reviewDepthTotals(ctx.redis, queues, Date.now(), afterAnswer);
      if (sum) {
        metrics.reviewDepth.set({ site: '', state: 'waiting' }, sum.waiting, false);
        metrics.reviewDepth.set({ site: '', state: 'claimed' }, sum.claimed, false);
      }
    }
  });

  if (workers) {
    // At start, and then now and again: an enqueue that failed after its comment was stored (Redis blinked between
    // the two writes, or a process crashed) is repaired without waiting for a restart. In the background, so start-up
    // stays fast. A decided comment that slips back in while being decided is harmless: a claim skips comments that
    // no longer need review. One process of the deployment per interval does it, at start too (a lease in Redis,
    // reconcileOnLease), so neither the periodic work nor a deploy's start-up reads grow with the number of processes.
    const reconcile = async () => {
      try {
        const n = await reconcileOnLease(d);
        if (n) logger.info({ added: n }, 'review queue reconciled from the pending index');
      } catch (err) {
        logger.error({ err }, 'review queue reconcile failed');
      }
    };
    void reconcile();
    const timer = setInterval(() => void reconcile(), RECONCILE_EVERY_MS);
    timer.unref();
    closers.push(async () => clearInterval(timer));
  }
};

const RECONCILE_EVERY_MS = 10 * 60 * 1000;
