import type { Router } from 'express';
import type { AppContext } from './http/context';

export type MetricsCollector = (afterAnswer: (work: () => void) => void) => Promise<void>;

/** What capabilities add to the express app besides the core routes. */
export interface AppExtras {
  /** Routers of other capabilities (review, webhooks, akismet), mounted before the 404 handler. */
  routers?: Router[];
  /**
   * Run at each /metrics scrape, to refresh gauges kept in Redis. `afterAnswer` runs work once the scrape has been
   * answered (a background refresh that the scrape must not wait for).
   */
  metricsCollectors?: Array<MetricsCollector>;
  /**
   * Routers that read their own request bodies (Akismet's forms in any charset; the Perspective-compatible API answers
   * malformed JSON in Google's shape; Coral's signature covers the raw bytes), mounted at their path ahead of the
   * JSON parser.
   */
  bodyRouters?: Array<{ path: string; router: Router }>;
}

/**
 * What a capability gets to plug itself in: add routers, after-persist hooks, metrics collectors and workers. It lives
 * apart from src/compose.ts so that capabilities depend on this contract, not on the module that wires them all.
 */
export interface PlugContext {
  ctx: AppContext;
  extras: Required<AppExtras>;
  /** Push a close function for every worker or connection started; they run in reverse on shutdown. */
  closers: Array<() => Promise<void>>;
  redisUrl: string;
  workers: boolean;
}
export type Plug = (p: PlugContext) => Promise<void>;
