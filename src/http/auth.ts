import type { Request, RequestHandler, Response } from 'express';
import type Redis from 'ioredis';
import { ForbiddenError, UnauthorizedError } from '../errors';
import { Site, siteForKey } from '../sites/site-store';

export type KeyKind = 'pk' | 'sk';

/** Reads `Authorization: Bearer <key>`; also `X-Vigil-Key`, for clients that cannot set Authorization. */
export function presentedKey(req: Request): string | undefined {
  const auth = req.get('authorization');
  if (auth?.toLowerCase().startsWith('bearer ')) return auth.slice(7).trim();
  return req.get('x-vigil-key')?.trim() || undefined;
}

/**
 * Authenticates a site key (public, browsers) or secret key (the site's server). A site key used from a browser
 * must come from one of the site's allowed origins; CORS headers are granted only then.
 */
export function siteAuth(redis: Redis, accept: KeyKind[]): RequestHandler {
  return async (req, res, next) => {
    const key = presentedKey(req);
    if (!key) throw new UnauthorizedError('Send your site key or secret key as "Authorization: Bearer <key>".');
    const found = await siteForKey(redis, key);
    if (!found) throw new UnauthorizedError('The key is not valid.');
    if (!accept.includes(found.kind)) {
      throw new ForbiddenError(found.kind === 'pk' ? 'This endpoint needs the secret key.' : 'This endpoint needs the site key.');
    }
    const origin = req.get('origin');
    if (origin) {
      if (!found.site.policy.allowedOrigins.includes(origin)) {
        throw new ForbiddenError(`Origin ${origin} is not one of this site's allowed origins.`);
      }
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
    }
    res.locals.site = found.site;
    res.locals.keyKind = found.kind;
    next();
  };
}

export function siteOf(res: Response): Site {
  return res.locals.site as Site;
}

export function keyKindOf(res: Response): KeyKind {
  return res.locals.keyKind as KeyKind;
}

/**
 * Preflight answers reveal nothing and grant nothing: the real request is checked against the site's origins in
 * siteAuth, which is where CORS is enforced.
 */
export const preflight: RequestHandler = (req, res, next) => {
  if (req.method !== 'OPTIONS' || !req.get('origin')) return next();
  res.setHeader('Access-Control-Allow-Origin', req.get('origin')!);
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PATCH, PUT, DELETE');
  res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Idempotency-Key, X-Vigil-Key, X-Request-Id');
  res.setHeader('Access-Control-Max-Age', '600');
  res.status(204).end();
};
