import crypto from 'node:crypto';
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { AppContext } from '../http/context';
import { presentedKey, siteAuth } from '../http/auth';
import { metrics } from '../infra/metrics';
import { siteForKey, type Site } from '../sites/site-store';
import { siteForAkismetKey, AKISMET_KEY } from './akismet-key';
import { AkismetBodyError, fieldsOf, rawBody } from './body';
import { akismetCommentCheck } from './comment-check';
import { missingField, own, type AkismetForm } from './fields';
import { akismetKeyFor, presentedAkismetKey, secretKeyFrom } from './key';
import { clientNetwork, keyAttemptsBlocked, recordKeyFailure, type KeyGuardOptions } from './key-guard';
import { akismetSubmit } from './submit';
import { count } from './stats';
import { keySites, statsAnswer, subscriptionOf, usageLimit } from './account';

/** Akismet's answer to submit-spam and submit-ham, word for word. */
export const THANKS = 'Thanks for making the web a better place.';

/**
 * A header value made safe to send: help texts may quote what the client sent (a field's name), and node refuses
 * control or non-Latin-1 characters in a header, which must not turn a client's mistake into a 500.
 */
function headerValue(v: string): string {
  return v.replace(/[^\x20-\x7e]/g, '?').slice(0, 500);
}

/** Akismet answers in text/plain, with status 200 even for "invalid": clients read the body and the headers. */
function answer(res: Response, body: string, headers: Record<string, string> = {}, status = 200): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, headerValue(v));
  res.status(status).type('text/plain; charset=utf-8').send(body);
}

function invalid(res: Response, help: string, headers: Record<string, string> = {}): void {
  answer(res, 'invalid', { 'X-akismet-debug-help': help, ...headers });
}

/** The request's fields, or an answer saying what was wrong with the body (and undefined). */
function fieldsOrAnswer(req: Request, res: Response): AkismetForm | undefined {
  try {
    const q = req.originalUrl.indexOf('?');
    return fieldsOf(req.headers['content-type'], req.body, q < 0 ? '' : req.originalUrl.slice(q + 1));
  } catch (err) {
    if (!(err instanceof AkismetBodyError)) throw err;
    answer(res, err.message, { 'X-akismet-debug-help': err.message }, err.status);
    return undefined;
  }
}

/** Reads the raw body; a refused body (too large, bad encoding) is answered in text, not problem+json. */
const readBody: RequestHandler = (req, res, next) => {
  rawBody(req, res, (err?: unknown) => {
    if (!err) return next();
    const e = err as { status?: number; type?: string };
    const status = e.status === 413 || e.status === 415 ? e.status : 400;
    const message = status === 413 ? 'The request body is larger than 64 KB.' : status === 415 ? 'Unsupported Content-Encoding: send gzip, deflate, br or none.' : 'The request body could not be read.';
    answer(res, message, { 'X-akismet-debug-help': message }, status);
  });
};

/**
 * Finds the site whose key the request carries, or answers "invalid" saying why and returns undefined. Accepted:
 * the site's Akismet-format key (12 hex characters, any case), or its secret key in either spelling. A wrong key
 * counts against the client's network (key-guard.ts).
 */
async function authenticate(
  ctx: AppContext, guard: KeyGuardOptions, req: Request, res: Response, form: AkismetForm, first: 'api_key' | 'key',
): Promise<Site | undefined> {
  const presented = presentedAkismetKey(form, req.hostname, first);
  if (!presented) {
    invalid(res, `Empty "${first}" value: send the site's Akismet key (vigil sites akismet-key) as ${first}, or as the first label of the host name.`);
    return undefined;
  }
  const network = clientNetwork(req.ip);
  const wait = await keyAttemptsBlocked(ctx.redis, guard, network);
  if (wait) {
    invalid(res, `Too many invalid keys from your network: every key is refused for ${wait} more seconds.`, { 'Retry-After': String(wait) });
    return undefined;
  }
  if (AKISMET_KEY.test(presented)) {
    const site = await siteForAkismetKey(ctx.redis, ctx.moderation.secret, presented);
    if (site) return site;
  } else {
    const found = await siteForKey(ctx.redis, secretKeyFrom(presented));
    if (found?.kind === 'pk') {
      invalid(res, 'This is the site key (pk_...), which is public; Akismet requests need the site\'s Akismet key or its secret key.');
      return undefined;
    }
    if (found) return found.site;
  }
  await recordKeyFailure(ctx.redis, guard, network);
  invalid(res, 'Invalid API key: use the site\'s Akismet key (12 characters, from `vigil sites akismet-key`) or its Vigil secret key.');
  return undefined;
}

/**
 * The Akismet protocol as WordPress's plugin and other clients call it: the 1.1 calls (test, verify-key, comment-check,
 * submit-spam/ham, get-subscription, get-stats, deactivate, token) and the 1.2 key-usage calls (usage-limit,
 * key-sites), answered in Akismet's shapes. Any Host is accepted, since clients put the key in it. The v11 and v12
 * routers are mounted at /1.1 and /1.2 before the JSON parser: they read their own bodies (form in any
 * ASCII-compatible charset, or JSON) and answer refusals in Akismet's style.
 */
export function akismetRoutes(ctx: AppContext): { v11: Router; v12: Router; api: Router } {
  const r = Router();
  const r12 = Router();
  const retentionSeconds = Math.round(ctx.config.RETENTION_DAYS * 86400);
  const guard: KeyGuardOptions = {
    secret: ctx.moderation.secret, failures: ctx.config.AKISMET_KEY_FAILURES, windowSeconds: ctx.config.AKISMET_KEY_FAILURE_WINDOW_SECONDS,
  };
  const now = () => ctx.moderation.now?.() ?? new Date();
  r.use(readBody);
  r12.use(readBody);

  /** A route that needs the site: reads the fields, authenticates, then hands both on. */
  const withSite = (first: 'api_key' | 'key', fn: (req: Request, res: Response, site: Site, form: AkismetForm) => Promise<void> | void) =>
    async (req: Request, res: Response, _next: NextFunction) => {
      const form = fieldsOrAnswer(req, res);
      if (!form) return;
      const site = await authenticate(ctx, guard, req, res, form, first);
      if (!site) return;
      await fn(req, res, site, form);
    };

  // The plugin's connectivity check ("can't connect" on the settings page otherwise); it sends no key.
  r.all('/test', (_req, res) => answer(res, 'connected'));

  r.post('/verify-key', withSite('key', (_req, res, _site, form) => {
    if (!own(form, 'blog')?.trim()) return invalid(res, 'Empty "blog" value');
    answer(res, 'valid');
  }));

  r.post('/comment-check', withSite('api_key', async (_req, res, site, form) => {
    const missing = missingField(form);
    if (missing) return answer(res, missing.body, { 'X-akismet-debug-help': missing.help });
    const v = await akismetCommentCheck(ctx.moderation, site, form, retentionSeconds);
    if (v.stored) metrics.decisions.inc({ site: site.id, status: v.status });
    // A test request stores nothing at all, its count included.
    if (!v.test) await count(ctx.redis, site.id, own(form, 'blog')!, ['api_calls', v.spam ? 'spam' : 'ham'], now());
    answer(res, v.spam ? 'true' : 'false', {
      'X-akismet-guid': v.guid,
      ...(v.discard ? { 'X-akismet-pro-tip': 'discard' } : {}),
      'X-Vigil-Status': v.status,
      'X-Vigil-Reasons': v.reasons.join(','),
      ...(v.stored ? { 'X-Vigil-Comment-Id': v.guid } : {}),
    });
  }));

  for (const kind of ['spam', 'ham'] as const) {
    r.post(`/submit-${kind}`, withSite('api_key', async (_req, res, site, form) => {
      const missing = missingField(form);
      if (missing) return answer(res, missing.body, { 'X-akismet-debug-help': missing.help });
      const outcome = await akismetSubmit(
        { redis: ctx.redis, events: ctx.events, secret: ctx.moderation.secret, settings: ctx.moderation.settings, retentionSeconds, feedbackPerHour: ctx.config.LEARN_FEEDBACK_PER_HOUR },
        site, form, kind,
      );
      if (outcome.contradicts) await count(ctx.redis, site.id, own(form, 'blog')!, [kind === 'spam' ? 'missed_spam' : 'false_positives'], now());
      answer(res, THANKS, {
        ...(outcome.marked ? { 'X-Vigil-Status': outcome.marked } : {}),
        ...(outcome.commentId ? { 'X-Vigil-Comment-Id': outcome.commentId } : {}),
        ...(outcome.limited ? { 'X-akismet-debug-help': 'Feedback limit of this site reached (LEARN_FEEDBACK_PER_HOUR): this submission was not learnt.' } : {}),
      });
    }));
  }

  r.post('/get-subscription', withSite('key', (_req, res, site) => {
    res.json(subscriptionOf(site));
  }));

  r.post('/get-stats', withSite('key', async (_req, res, site, form) => {
    const stats = await statsAnswer(ctx.redis, site.id, own(form, 'from'), now());
    if ('error' in stats) return invalid(res, stats.error);
    res.json(stats);
  }));

  r.post('/deactivate', withSite('key', (_req, res, _site, form) => {
    if (!own(form, 'blog')?.trim()) return invalid(res, 'Empty "blog" value');
    // Vigil keeps no per-blog activation: the key stays valid until rotated, which is what the answer means here.
    answer(res, 'deactivated');
  }));

  // Newer plugins exchange the key for a token that their stats page embeds in an iframe to akismet.com. The token
  // Vigil gives is random and grants nothing, so the key never leaves for a third party that way.
  r.post('/token', withSite('api_key', (_req, res) => {
    answer(res, crypto.randomBytes(16).toString('hex'));
  }));

  r12.all('/usage-limit', withSite('api_key', async (_req, res, site) => {
    res.json(await usageLimit(ctx.redis, site.id, now()));
  }));

  r12.all('/key-sites', withSite('api_key', async (_req, res, site, form) => {
    const out = await keySites(ctx.redis, site.id, form, now());
    if ('error' in out) return invalid(res, out.error);
    if (out.csv !== undefined) return void res.type('text/csv; charset=utf-8').send(out.csv);
    res.json(out.json);
  }));

  const api = Router();
  api.get('/v1/akismet', siteAuth(ctx.redis, ['sk']), (req, res) => {
    const key = akismetKeyFor(presentedKey(req)!);
    res.json({
      key,
      note: 'The DNS-safe spelling of this secret key, for Akismet clients that send the key in the host name (<key>.<your Vigil host>). Rotating the secret key changes it. WordPress needs the 12-character Akismet key instead: `vigil sites akismet-key --site SITE_ID`.',
    });
  });

  return { v11: r, v12: r12, api };
}
