import express, { Router, type Request, type Response } from 'express';
import type { AppContext } from '../http/context';
import { presentedKey, siteAuth } from '../http/auth';
import { metrics } from '../infra/metrics';
import { siteForKey, type Site } from '../sites/site-store';
import { akismetCommentCheck } from './comment-check';
import { formOf, missingField, type AkismetForm } from './fields';
import { akismetKeyFor, presentedAkismetKey, secretKeyFrom } from './key';
import { akismetSubmit } from './submit';

/** Akismet's answer to submit-spam and submit-ham, word for word. */
export const THANKS = 'Thanks for making the web a better place.';

/** Akismet answers in text/plain, with status 200 even for "invalid": clients read the body and the headers. */
function answer(res: Response, body: string, headers: Record<string, string> = {}): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.status(200).type('text/plain; charset=utf-8').send(body);
}

function invalid(res: Response, help: string): void {
  answer(res, 'invalid', { 'X-akismet-debug-help': help });
}

/** Finds the site whose secret key the request carries, or answers "invalid" saying why and returns undefined. */
async function authenticate(ctx: AppContext, req: Request, res: Response, form: AkismetForm): Promise<Site | undefined> {
  const presented = presentedAkismetKey(form, req.hostname);
  if (!presented) {
    invalid(res, 'Empty "api_key" value: send the Vigil secret key as api_key or key, or as the first label of the host name.');
    return undefined;
  }
  const found = await siteForKey(ctx.redis, secretKeyFrom(presented));
  if (!found) {
    invalid(res, 'Invalid API key: use the site\'s Vigil secret key (sk_...) or its DNS-safe spelling (sk-..., from GET /v1/akismet).');
    return undefined;
  }
  if (found.kind !== 'sk') {
    invalid(res, 'This is the site key (pk_...), which is public; Akismet requests need the secret key (sk_...).');
    return undefined;
  }
  return found.site;
}

/**
 * The Akismet 1.1 protocol: POST /1.1/verify-key, /1.1/comment-check, /1.1/submit-spam, /1.1/submit-ham, form-encoded,
 * answered in text/plain exactly as Akismet answers, plus GET /v1/akismet to learn the DNS-safe spelling of the key.
 * Any Host is accepted, since clients put the key in it.
 */
export function akismetRoutes(ctx: AppContext): Router {
  const r = Router();
  const retentionSeconds = Math.round(ctx.config.RETENTION_DAYS * 86400);
  r.use('/1.1', express.urlencoded({ extended: false, limit: '64kb' }));

  r.post('/1.1/verify-key', async (req, res) => {
    const form = formOf(req.body);
    const site = await authenticate(ctx, req, res, form);
    if (!site) return;
    if (!form.blog?.trim()) return invalid(res, 'Empty "blog" value');
    answer(res, 'valid');
  });

  r.post('/1.1/comment-check', async (req, res) => {
    const form = formOf(req.body);
    const site = await authenticate(ctx, req, res, form);
    if (!site) return;
    const missing = missingField(form);
    if (missing) return invalid(res, missing);
    const v = await akismetCommentCheck(ctx.moderation, site, form);
    if (v.stored) metrics.decisions.inc({ site: site.id, status: v.status });
    answer(res, v.spam ? 'true' : 'false', {
      'X-akismet-guid': v.guid,
      ...(v.discard ? { 'X-akismet-pro-tip': 'discard' } : {}),
      'X-Vigil-Status': v.status,
      'X-Vigil-Reasons': v.reasons.join(','),
      ...(v.stored ? { 'X-Vigil-Comment-Id': v.guid } : {}),
    });
  });

  for (const kind of ['spam', 'ham'] as const) {
    r.post(`/1.1/submit-${kind}`, async (req, res) => {
      const form = formOf(req.body);
      const site = await authenticate(ctx, req, res, form);
      if (!site) return;
      const missing = missingField(form);
      if (missing) return invalid(res, missing);
      const outcome = await akismetSubmit(
        { redis: ctx.redis, events: ctx.events, retentionSeconds, feedbackPerHour: ctx.config.LEARN_FEEDBACK_PER_HOUR }, site, form, kind,
      );
      answer(res, THANKS, {
        ...(outcome.marked ? { 'X-Vigil-Status': outcome.marked } : {}),
        ...(outcome.limited ? { 'X-akismet-debug-help': 'Feedback limit of this site reached (LEARN_FEEDBACK_PER_HOUR): this submission was not learnt.' } : {}),
      });
    });
  }

  r.get('/v1/akismet', siteAuth(ctx.redis, ['sk']), (req, res) => {
    const key = akismetKeyFor(presentedKey(req)!);
    res.json({
      key,
      note: 'The DNS-safe spelling of this secret key, for Akismet clients that send the key in the host name (<key>.<your Vigil host>). Rotating the secret key changes it.',
    });
  });

  return r;
}
