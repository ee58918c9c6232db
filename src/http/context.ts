import type Redis from 'ioredis';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { ModerationDeps } from '../moderation/types';
import type { EventBus } from '../events/events';
import type { PreparedCaptcha } from '../captcha/prepared';

/** Everything the HTTP layer needs, built once in main.ts (or by a test) and handed to the routes. */
export interface AppContext {
  config: Config;
  redis: Redis;
  logger: Logger;
  moderation: ModerationDeps;
  /** Domain events (comment.*, review.decided); webhooks subscribe. */
  events: EventBus;
  /** True once the models are loaded; /readyz reports it. */
  modelsLoaded: () => boolean;
  /** Gives the next image captcha (the render pool's take). @defaultValue prepareCaptcha, on the event loop */
  prepareCaptcha?: () => PreparedCaptcha;
}
