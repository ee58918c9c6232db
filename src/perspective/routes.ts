import express, { Router, type ErrorRequestHandler, type Request } from 'express';
import type { z } from 'zod';
import type { AppContext } from '../http/context';
import { toVigilError } from '../http/error-middleware';
import { keys } from '../infra/keys';
import { consume } from '../infra/rate-limit';
import { siteForKey, type Site } from '../sites/site-store';
import { analyzeComment } from './analyze';
import { BAD_KEY, GoogleApiError, invalid, sendGoogleError } from './google-error';
import { analyzeRequestSchema, suggestRequestSchema } from './request';
import { suggestScore } from './suggest';

/** A 20,480-byte text written as JSON \u escapes is six times longer; context entries add to that. */
const BODY_LIMIT = '512kb';

/** Perspective clients put the key in `?key=`; Google's own libraries also send X-Goog-Api-Key. */
function presentedKey(req: Request): string | undefined {
  const q = req.query.key;
  const fromQuery = typeof q === 'string' ? q.trim() : undefined;
  return fromQuery || req.get('x-goog-api-key')?.trim() || undefined;
}

async function authenticate(ctx: AppContext, req: Request): Promise<Site> {
  const key = presentedKey(req);
  const found = key ? await siteForKey(ctx.redis, key) : undefined;
  if (!found) throw invalid(BAD_KEY);
  if (found.kind !== 'sk') throw new GoogleApiError('PERMISSION_DENIED', 'This is the public site key (pk_...); the Perspective-compatible API needs the secret key (sk_...).');
  return found.site;
}

async function limit(ctx: AppContext, site: Site): Promise<void> {
  const points = site.policy.rateLimits.perspectivePerMinute ?? 600;
  try {
    await consume(ctx.redis, { key: keys.rateLimit(site.id, 'perspective', 'site'), points, windowSeconds: 60 });
  } catch (err) {
    const e = toVigilError(err, ctx.redis);
    if (e?.status === 429) throw new GoogleApiError('RESOURCE_EXHAUSTED', `Quota exceeded: at most ${points} requests per minute for this site.`, e.headers);
    throw err;
  }
}

/** Validates a body, turning the first zod issue into Google's INVALID_ARGUMENT. */
function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalid('Invalid JSON payload received: the body must be a JSON object.');
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue.path.map(String).join('.');
  // The schema's own messages are whole sentences; zod's built-in ones need the field named.
  throw invalid(issue.message.endsWith('.') ? issue.message : `Invalid value at '${path || 'body'}': ${issue.message}.`);
}

/** Body-parser failures and Vigil's own errors, in Google's shape; anything unexpected is logged and answered 500. */
function googleErrors(ctx: AppContext): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    if (err instanceof GoogleApiError) return sendGoogleError(res, err);
    const known = toVigilError(err, ctx.redis);
    if (known?.code === 'invalid_json') return sendGoogleError(res, invalid('Invalid JSON payload received.'));
    if (known?.code === 'payload_too_large') return sendGoogleError(res, invalid(`Request payload size exceeds the limit: ${BODY_LIMIT}.`));
    if (known?.status === 429) return sendGoogleError(res, new GoogleApiError('RESOURCE_EXHAUSTED', known.message, known.headers));
    if (known?.status === 503) return sendGoogleError(res, new GoogleApiError('UNAVAILABLE', known.message, known.headers));
    if (known && known.status < 500) return sendGoogleError(res, invalid(known.message));
    if ((err as { type?: string })?.type === 'request.aborted') return;
    ctx.logger.error({ err, requestId: res.locals.requestId }, 'unexpected error on the Perspective-compatible API');
    sendGoogleError(res, new GoogleApiError('INTERNAL', 'Internal error; it has been logged.'));
  };
}

/**
 * Google's Comment Analyzer v1alpha1, mounted at /v1alpha1 ahead of the app's JSON parser so that these two routes
 * parse their own bodies and answer every error in Google's shape. Express reads `:` in a path as a parameter, so the
 * method is matched as one.
 */
export function perspectiveRoutes(ctx: AppContext): Router {
  const r = Router();
  r.use(express.json({ limit: BODY_LIMIT, strict: false, type: () => true }));
  r.post('/:method', async (req, res, next) => {
    const method = req.params.method;
    if (method !== 'comments:analyze' && method !== 'comments:suggestscore') return next();
    const site = await authenticate(ctx, req);
    await limit(ctx, site);
    const { models } = ctx.moderation;
    if (method === 'comments:analyze') {
      res.json(analyzeComment(models, site, parseBody(analyzeRequestSchema, req.body)));
    } else {
      const limits = { perHour: ctx.config.LEARN_FEEDBACK_PER_HOUR, retentionSeconds: ctx.config.RETENTION_DAYS * 86400 };
      res.json(await suggestScore(ctx.redis, models, site.id, parseBody(suggestRequestSchema, req.body), limits));
    }
  });
  r.use(googleErrors(ctx));
  return r;
}
