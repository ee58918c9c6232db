import { Router } from 'express';
import { registry, metrics } from '../../infra/metrics';
import { listSites } from '../../sites/site-store';
import { captchaStats } from '../../captcha/captcha-store';
import type { AppContext } from '../context';

/**
 * /metrics for Prometheus. Counters kept in Redis (shared by every instance) are read at scrape time, so any instance
 * reports the same totals.
 */
export function metricsRoutes(ctx: AppContext, collectors: Array<() => Promise<void>> = []): Router {
  const r = Router();
  r.get('/metrics', async (_req, res) => {
    const sites = await listSites(ctx.redis);
    for (const s of sites) {
      const stats = await captchaStats(ctx.redis, s.id);
      for (const [mode, byOutcome] of Object.entries(stats)) {
        for (const [outcome, n] of Object.entries(byOutcome)) metrics.captchaOutcomes.set({ site: s.id, mode, outcome }, n);
      }
    }
    for (const collect of collectors) await collect();
    res.type(registry.contentType).send(await registry.metrics());
  });
  return r;
}
