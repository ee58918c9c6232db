import type { ErrorRequestHandler, RequestHandler } from 'express';
import type Redis from 'ioredis';
import type { Logger } from '../logger';
import {
  InvalidJsonError, NotFoundError, PayloadTooLargeError, ServiceUnavailableError, UnsupportedMediaTypeError, VigilError,
} from '../errors';
import { sendProblem } from './problem';

const REDIS_DOWN = /enableOfflineQueue|Connection is closed|ECONNREFUSED|ECONNRESET|Command timed out|MaxRetriesPerRequest|Stream isn't writeable|LOADING|OOM/i;

/** Turns body-parser failures and infrastructure errors into the documented codes. */
export function toVigilError(err: unknown, redis: Redis): VigilError | undefined {
  if (err instanceof VigilError) return err;
  const e = err as { type?: string; status?: number; message?: string; name?: string };
  if (e?.type === 'entity.too.large') return new PayloadTooLargeError();
  if (e?.type === 'entity.parse.failed') return new InvalidJsonError();
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') return new UnsupportedMediaTypeError('UTF-8 JSON');
  // A body whose Content-Encoding does not match its bytes is the client's fault (zlib says Z_DATA_ERROR etc.).
  if (e?.status === 400 && typeof (e as { code?: unknown }).code === 'string' && /^Z_|^ERR_BROTLI/.test((e as { code: string }).code)) {
    return new InvalidJsonError('The request body could not be decoded: its Content-Encoding does not match its bytes.');
  }
  // A path segment that is not valid percent-encoding (GET /v1/comments/%) names no resource.
  if (err instanceof URIError && e.status === 400) return new NotFoundError('The resource');
  if (redis.status !== 'ready' || REDIS_DOWN.test(`${e?.name} ${e?.message}`)) return new ServiceUnavailableError();
  return undefined;
}

/**
 * The one place errors become answers. Known errors get their problem+json; anything else is logged with the
 * request id and answered 500, and the process keeps serving.
 */
export function errorMiddleware(logger: Logger, redis: Redis): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known = toVigilError(err, redis);
    const requestId = res.locals.requestId as string | undefined;
    // The client went away mid-upload (or sent fewer bytes than it announced): nothing to answer, nothing of ours broke.
    const type = (err as { type?: string })?.type;
    if (type === 'request.aborted' || type === 'request.size.invalid') {
      logger.info({ requestId, type }, 'client ended the request early');
      if (!res.headersSent && !req.destroyed) sendProblem(res, new InvalidJsonError('The request body ended early.'), requestId);
      return;
    }
    if (res.headersSent) {
      logger.error({ err, requestId }, 'error after the answer was sent');
      return;
    }
    if (known) {
      if (known.status >= 500) logger.warn({ requestId, code: known.code, cause: (err as Error)?.message }, 'answered 503');
      return sendProblem(res, known, requestId);
    }
    logger.error({ err, requestId, route: req.route?.path }, 'unexpected error');
    sendProblem(res, new VigilError('internal_error', 500, 'Something went wrong on our side; it has been logged.'), requestId);
  };
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(new NotFoundError('The endpoint'));
