import type { Request, RequestHandler, Response } from 'express';
import type Redis from 'ioredis';
import { ForbiddenError, UnauthorizedError } from '../errors';
import { listSites, Site, siteForKey } from '../sites/site-store';

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
    const found = await authenticate(redis, req, accept);
    if (found.origin) {
      res.setHeader('Access-Control-Allow-Origin', found.origin);
      res.setHeader('Vary', 'Origin');
    }
    res.locals.site = found.site;
    res.locals.keyKind = found.kind;
    next();
  };
}

/**
 * siteAuth's checks without touching the response: the site, the kind of key, and the origin to grant CORS to (the
 * request's Origin, when it is one of the site's allowed origins; undefined when the request sent none). Throws the
 * same errors siteAuth answers.
 */
export async function authenticate(redis: Redis, req: Request, accept: KeyKind[]): Promise<{ site: Site; kind: KeyKind; origin?: string }> {
  const key = presentedKey(req);
  if (!key) throw new UnauthorizedError('Send your site key or secret key as "Authorization: Bearer <key>".');
  const found = await siteForKey(redis, key);
  if (!found) throw new UnauthorizedError('The key is not valid.');
  if (!accept.includes(found.kind)) {
    throw new ForbiddenError(found.kind === 'pk' ? 'This endpoint needs the secret key.' : 'This endpoint needs the site key.');
  }
  const origin = req.headers.origin;
  if (origin) {
    if (!found.site.policy.allowedOrigins.includes(origin)) {
      throw new ForbiddenError(`Origin ${origin} is not one of this site's allowed origins.`);
    }
    return { site: found.site, kind: found.kind, origin };
  }
  return found;
}

export function siteOf(res: Response): Site {
  return res.locals.site as Site;
}

export function keyKindOf(res: Response): KeyKind {
  return res.locals.keyKind as KeyKind;
}

/**
 * How long the set of origins allowed by any site is reused for preflights: 10 s for an origin in it, 1 s before an
 * origin not in it makes it be read again (a site just created or given a new origin works within a second).
 */
export const ORIGINS_TTL_MS = 10_000;
const ORIGINS_MISS_TTL_MS = 1_000;

/**
 * CORS preflights carry no key, so they cannot be checked against one site: they are answered with a grant only for
 * an origin that some site allows (the real request is then checked against its own site in siteAuth). Any other
 * origin gets 204 without CORS headers, so the browser stops there. The set of allowed origins is read from the
 * sites at most once a second (ORIGINS_TTL_MS), not per preflight, so a flood of preflights costs little Redis work.
 */
export function preflight(redis: Redis): RequestHandler {
  let origins: { set: Set<string>; at: number } | undefined;
  let loading: Promise<Set<string>> | undefined;
  const allowed = async (origin: string): Promise<Set<string>> => {
    const age = origins ? Date.now() - origins.at : Infinity;
    if (origins && age < (origins.set.has(origin) ? ORIGINS_TTL_MS : ORIGINS_MISS_TTL_MS)) return origins.set;
    loading ??= listSites(redis)
      .then((sites) => {
        const set = new Set(sites.flatMap((s) => s.policy.allowedOrigins));
        origins = { set, at: Date.now() };
        return set;
      })
      .finally(() => (loading = undefined));
    return loading;
  };
  return async (req, res, next) => {
    if (req.method !== 'OPTIONS' || !req.get('origin')) return next();
    const origin = req.get('origin')!;
    res.setHeader('Vary', 'Origin');
    if ((await allowed(origin)).has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PATCH, PUT, DELETE');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Idempotency-Key, X-Vigil-Key, X-Request-Id');
      res.setHeader('Access-Control-Max-Age', '600');
    }
    res.status(204).end();
  };
}
