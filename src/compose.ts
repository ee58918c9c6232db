import type Redis from 'ioredis';
import type { Config } from './config';
import type { Logger } from './logger';
import type { ScoringModels } from './classifier';
import { modelsAnswer } from './classifier/ready';
import type { AppContext } from './http/context';
import type { ModerationDeps } from './moderation/types';
import { loadServerSecret } from './infra/server-secret';
import { createApp } from './http/app';
import type { AppExtras, Plug } from './plug';
import { EventBus } from './events/events';
import { emitIntakeEvents } from './events/intake-events';
import { webhooksPlug } from './webhooks/plug';
import { akismetPlug } from './akismet/plug';
import { perspectivePlug } from './perspective/plug';
import { coralPlug } from './integrations/coral/plug';
import { reviewPlug } from './review/plug';
import { learningPlug } from './learning/plug';
import { watchSiteChanges } from './sites/site-cache';
import { RenderPool } from './captcha/render-pool';
import { metricsApp } from './http/routes/metrics';

/** The capabilities beyond comment intake, in the order they are wired. */
const plugs: Plug[] = [akismetPlug, perspectivePlug, coralPlug, webhooksPlug, reviewPlug, learningPlug];

export interface Service {
  app: ReturnType<typeof createApp>;
  ctx: AppContext;
  /** Started workers and other resources to close on shutdown, in start order. */
  closers: Array<() => Promise<void>>;
  /** The app of the separate /metrics listener (METRICS_PORT). */
  metricsApp: () => ReturnType<typeof metricsApp>;
}

/**
 * Wires the capabilities together. main.ts and the integration tests both use this, so tests run the real app.
 * Capabilities that add routes, hooks or workers plug in here.
 */
export async function composeService(opts: {
  config: Config;
  redis: Redis;
  logger: Logger;
  models: ScoringModels;
  redisUrl: string;
  /** Start the queue workers in this process. @defaultValue true */
  workers?: boolean;
}): Promise<Service> {
  const { config, redis, logger, models } = opts;
  const secret = await loadServerSecret({
    redis, configured: config.VIGIL_SECRET, dataDir: config.DATA_DIR, production: config.NODE_ENV === 'production',
    log: (msg, fields) => logger.warn(fields ?? {}, msg),
  });
  const moderation: ModerationDeps = {
    redis,
    models,
    secret,
    settings: {
      captchaTtlSeconds: config.CAPTCHA_TTL_SECONDS,
      retentionDays: config.RETENTION_DAYS,
      idempotencyTtlSeconds: config.IDEMPOTENCY_TTL_SECONDS,
      ipv6Prefix: config.IPV6_PREFIX,
    },
    afterPersist: [],
    inPersist: [],
    onHookError: (err, c) => logger.error({ err, commentId: c.id, siteId: c.siteId }, 'after-persist hook failed'),
  };
  const events = new EventBus((err, e) => logger.error({ err, type: e.type, siteId: e.siteId }, 'event subscriber failed'));
  moderation.afterPersist.push((c) => emitIntakeEvents(events, c));
  const pool = new RenderPool(logger);
  const ctx: AppContext = { config, redis, logger, moderation, events, modelsLoaded: () => modelsAnswer(moderation.models), prepareCaptcha: () => pool.take() };
  const extras: Required<AppExtras> = { routers: [], metricsCollectors: [], bodyRouters: [] };
  const closers: Array<() => Promise<void>> = [];
  closers.push(() => pool.close());
  closers.push(await watchSiteChanges(redis, opts.redisUrl, logger));
  for (const plug of plugs) await plug({ ctx, extras, closers, redisUrl: opts.redisUrl, workers: opts.workers ?? true });
  const app = createApp(ctx, extras);
  return { app, ctx, closers, metricsApp: () => metricsApp(ctx, extras.metricsCollectors) };
}
