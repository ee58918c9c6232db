import crypto from 'node:crypto';
import express, { RequestHandler, Router } from 'express';
import { metrics, renderMetrics, registry } from '../../infra/metrics';
import { keys } from '../../infra/keys';
import { captchaStats, statsOf } from '../../captcha/captcha-store';
import { captchaTotals } from '../../captcha/totals';
import { NotFoundError, UnauthorizedError } from '../../errors';
import type { AppContext } from '../context';
import type { MetricsCollector } from '../../plug';
import { errorMiddleware, notFoundHandler } from '../error-middleware';

/**
 * /metrics for Prometheus. Counters kept in Redis (shared by every instance) are read at scrape time, so any instance
 * reports the same totals. The page is an operator's: it is off on the public port unless a bearer token guards it
 * (METRICS_TOKEN), or it moves to a port of its own (METRICS_PORT, by default on loopback only).
 */
export function metricsRoutes(ctx: AppContext, collectors: MetricsCollector[] = []): Router {
  const r = Router();
  if (ctx.config.METRICS_PORT !== undefined) return r;
  r.get('/metrics', metricsAuth(ctx), metricsHandler(ctx, collectors));
  return r;
}

/** The app the METRICS_PORT listener serves: /metrics and nothing else. */
export function metricsApp(ctx: AppContext, collectors: MetricsCollector[] = []): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', metricsAuth(ctx), metricsHandler(ctx, collectors));
  app.use(notFoundHandler);
  app.use(errorMiddleware(ctx.logger, ctx.redis));
  return app;
}

function metricsAuth(ctx: AppContext): RequestHandler {
  const token = ctx.config.METRICS_TOKEN;
  const expected = token ? crypto.createHash('sha256').update(token).digest() : undefined;
  const ownPort = ctx.config.METRICS_PORT !== undefined;
  return (req, res, next) => {
    if (!expected) {
      if (ownPort) return next();
      // Neither guard configured: answer as if there were no such page, so a scanner learns nothing.
      throw new NotFoundError('/metrics');
    }
    const auth = req.get('authorization') ?? '';
    const presented = /^bearer /i.test(auth) ? auth.slice(7).trim() : '';
    const digest = crypto.createHash('sha256').update(presented).digest();
    if (!crypto.timingSafeEqual(digest, expected)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="Vigil metrics"');
      throw new UnauthorizedError('Send the metrics token as "Authorization: Bearer <token>".');
    }
    next();
  };
}

function metricsHandler(ctx: AppContext, collectors: MetricsCollector[]): RequestHandler {
  const perSite = ctx.config.METRICS_PER_SITE;
  return async (_req, res) => {
    const afterAnswer = (work: () => void) => res.once('close', work);
    metrics.captchaOutcomes.reset();
    if (perSite) {
      // Per-site series are the operator's opt-in: one (auto-pipelined) read per site.
      const ids = await ctx.redis.zrange(keys.siteIndex(), 0, -1);
      const stats = await Promise.all(ids.map((id) => captchaStats(ctx.redis, id)));
      ids.forEach((site, i) => setCaptchaGauges(site, stats[i], true));
    } else {
      // The default: one hash with every site summed, refreshed in the background (captcha/totals.ts) once this
      // answer is sent. Before the first sum there is no series rather than zeros.
      const totals = await captchaTotals(ctx.redis, Date.now(), afterAnswer);
      if (totals) setCaptchaGauges('', statsOf(totals), false);
    }
    for (const collect of collectors) await collect(afterAnswer);
    res.setHeader('Cache-Control', 'no-store').type(registry.contentType).send(await renderMetrics(perSite));
  };
}

function setCaptchaGauges(site: string, stats: ReturnType<typeof statsOf>, perSite: boolean): void {
  for (const [mode, byOutcome] of Object.entries(stats)) {
    for (const [outcome, n] of Object.entries(byOutcome)) metrics.captchaOutcomes.set({ site, mode, outcome }, n, perSite);
  }
}
