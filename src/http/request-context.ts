import crypto from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../logger';
import { metrics } from '../infra/metrics';

const SAFE_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Starts a request: gives it an id (kept from X-Request-Id when it looks sane) in `res.locals.requestId`, and logs and
 * times it by route when it finishes. Returns the id, which the caller sends as X-Request-Id (requestContext sets it
 * at once; the challenge route writes it with its other headers in one step).
 */
export function beginRequest(logger: Logger, req: Request, res: Response): string {
  const incoming = req.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && SAFE_ID.test(incoming) ? incoming : crypto.randomUUID();
  res.locals.requestId = requestId;
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // The route pattern, not the URL, so ids never become label values or log fields.
    const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
    metrics.httpDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
    logger.info({ requestId, method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000) }, 'request');
  });
  return requestId;
}

/** Gives every request an id, logs it, and times it by route (beginRequest), as middleware. */
export function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    res.setHeader('X-Request-Id', beginRequest(logger, req, res));
    next();
  };
}
