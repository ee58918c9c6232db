import { Router } from 'express';
import { redisReachable } from '../../infra/redis';
import type { AppContext } from '../context';

/** /healthz: the process answers. /readyz: Redis answers and the models are loaded, so traffic can come. */
export function healthRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/readyz', async (_req, res) => {
    const redis = await redisReachable(ctx.redis);
    const models = ctx.modelsLoaded();
    res.status(redis && models ? 200 : 503).json({ status: redis && models ? 'ready' : 'not_ready', redis, models });
  });
  return r;
}
