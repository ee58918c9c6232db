import { isUtf8 } from 'node:buffer';
import express, { Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import type { AppContext } from './context';
import { errorMiddleware, notFoundHandler } from './error-middleware';
import { preflight } from './auth';
import { requestContext } from './request-context';
import { healthRoutes } from './routes/health';
import { challengeRoute } from './routes/captchas';
import { commentRoutes } from './routes/comments';
import { reportRoutes } from './routes/reports';
import { publishedThreadRoutes } from './routes/published-thread';
import { checkRoutes } from './routes/check';
import { siteRoutes } from './routes/site';
import { metricsRoutes } from './routes/metrics';
import { demoRoutes } from './routes/demo';
import { openApiDocument } from './openapi';
import { VERSION } from '../version';
import type { AppExtras } from '../plug';
import { UnsupportedMediaTypeError } from '../errors';

export type { AppExtras };

/** Builds the express app. It holds no state of its own: everything lives in Redis, so instances are interchangeable. */
export function createApp(ctx: AppContext, extras: AppExtras = {}) {
  const app = express();
  app.disable('x-powered-by');
  // Express hashes every response body for an ETag, POSTs included; API answers are never revalidated (static pages
  // get theirs from express.static).
  app.set('etag', false);
  app.set('trust proxy', trustProxy(ctx.config.TRUST_PROXY));
  // The security headers are the same on every response (see headersOf), taken from helmet once.
  const security = headersOf(helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'none'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'font-src': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'base-uri': ["'none'"],
      },
    },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  }));
  // Challenges come first, on the app itself: POST /v1/captchas is the route a flood hits hardest, reads no body (an
  // unread one is discarded by node as it arrives, within the request timeout), and does for itself what the next
  // three middlewares do (routes/captchas.ts), so express walks one layer for it instead of a router in a chain.
  app.post('/v1/captchas', challengeRoute(ctx, security.headers));
  app.use(requestContext(ctx.logger));
  app.use(setHeaders(security));
  app.use(preflight(ctx.redis));
  for (const { path, router } of extras.bodyRouters ?? []) app.use(path, router);
  app.use(utf8JsonOnly);
  app.use(express.json({ limit: '64kb', strict: false, type: ['application/json', 'application/*+json'], verify: rejectInvalidUtf8 }));
  // The hot routes first: express walks the routers in order for every request. No paths overlap.
  app.use(commentRoutes(ctx));
  app.use(checkRoutes(ctx));
  app.use(healthRoutes(ctx));
  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument(VERSION));
  });
  app.use(metricsRoutes(ctx, extras.metricsCollectors));
  app.use(siteRoutes(ctx));
  app.use(reportRoutes(ctx));
  app.use(publishedThreadRoutes(ctx));
  if (ctx.config.DEMO_PAGE) app.use(demoRoutes(ctx));
  for (const r of extras.routers ?? []) app.use(r);
  app.use(notFoundHandler);
  app.use(errorMiddleware(ctx.logger, ctx.redis));
  return app;
}

/**
 * helmet's headers are the same on every response with this configuration (no nonces, nothing per request), so they
 * are taken from it once and set in one step: its chain of a dozen middlewares cost about 5% of a comment's CPU time.
 */
export function headersOf(mw: RequestHandler): { headers: Array<[string, string]>; removed: string[] } {
  const headers: Array<[string, string]> = [];
  const removed: string[] = [];
  const res = {
    setHeader: (k: string, v: string) => void headers.push([k, v]),
    removeHeader: (k: string) => void removed.push(k),
  };
  mw({ headers: {} } as Request, res as unknown as Response, (err?: unknown) => {
    if (err) throw err;
  });
  if (!headers.length) throw new Error('helmet set no headers');
  return { headers, removed };
}

function setHeaders({ headers, removed }: { headers: Array<[string, string]>; removed: string[] }): RequestHandler {
  return (_req, res, next) => {
    for (const [k, v] of headers) res.setHeader(k, v);
    for (const k of removed) res.removeHeader(k);
    next();
  };
}

/** helmet's headers (headersOf), as one middleware. */
export function staticHeaders(mw: RequestHandler): RequestHandler {
  return setHeaders(headersOf(mw));
}

/** JSON is UTF-8 (RFC 8259); bytes that are not would otherwise be decoded into U+FFFD and stored that way. */
function rejectInvalidUtf8(_req: unknown, _res: unknown, buf: Buffer, encoding: string): void {
  if (/^utf-?8$/i.test(encoding) && !isUtf8(buf)) throw Object.assign(new Error('invalid UTF-8'), { status: 400, type: 'entity.parse.failed' });
}

/**
 * JSON is UTF-8 (RFC 8259 section 8.1). body-parser would also decode charset=utf-7 or utf-16 bodies, so that
 * `+ADw-script+AD4-` arrived as `<script>` past every check on the raw bytes: any other declared charset is refused.
 */
const utf8JsonOnly: RequestHandler = (req, _res, next) => {
  const type = req.headers['content-type'];
  if (!type || !/^\s*application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) return next();
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(type)?.[1];
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8') {
    return next(new UnsupportedMediaTypeError('application/json in UTF-8 (charset=utf-8 or no charset)'));
  }
  next();
};

function trustProxy(v: string): boolean | number | string {
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}
