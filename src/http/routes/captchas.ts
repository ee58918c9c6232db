import type { RequestHandler } from 'express';
import { issueCaptcha } from '../../captcha/issue';
import { issueAlternative } from '../../captcha/alternative';
import { ValidationError } from '../../errors';
import { keys } from '../../infra/keys';
import { identityHash } from '../../moderation/identity';
import { ipSubject } from '../../moderation/ip-subject';
import { authenticate } from '../auth';
import type { AppContext } from '../context';
import { beginRequest } from '../request-context';

/**
 * POST /v1/captchas (site key): a fresh challenge in the site's captcha mode, rate limited per IP.
 *
 * The route a flood hits hardest, so app.ts mounts it on the app itself, ahead of every middleware: it does itself
 * what those would do for it (beginRequest's id, log and timing; the security headers, `headers`; siteAuth's checks
 * and CORS grant) and writes every header of a challenge in one writeHead, which node stores without the per-header
 * work of setHeader. An error takes the usual path: the same headers are set, then errorMiddleware answers it.
 */
export function challengeRoute(ctx: AppContext, headers: ReadonlyArray<readonly [string, string]>): RequestHandler {
  const { redis, secret, settings } = ctx.moderation;
  const deps = { redis, secret, ttlSeconds: settings.captchaTtlSeconds, ...(ctx.prepareCaptcha ? { prepare: ctx.prepareCaptcha } : {}) };
  const flat = headers.flat();
  return async (req, res) => {
    const requestId = beginRequest(ctx.logger, req, res);
    let origin: string | undefined;
    try {
      const found = await authenticate(ctx.redis, req, ['pk']);
      origin = found.origin;
      const site = found.site;
      res.locals.site = site;
      res.locals.keyKind = found.kind;
      const client = identityHash(secret, 'ip', ipSubject(req.ip ?? 'unknown', settings.ipv6Prefix));
      // The limit is spent in the same Redis round trip as the captcha is stored.
      const limit = { key: keys.rateLimit(site.id, 'captcha-ip', client), points: site.policy.rateLimits.captchasPerIpPerMinute, windowSeconds: 60 };
      // ?alternative=pow: the reader cannot read the image and asks to verify without it (captcha/alternative.ts).
      const alternative = req.url.includes('?') ? req.query.alternative : undefined;
      if (alternative !== undefined && alternative !== 'pow') throw new ValidationError([{ path: 'alternative', message: 'must be pow' }]);
      const body = await (alternative ? issueAlternative : issueCaptcha)(deps, site, client, Date.now(), limit);
      // issueCaptcha answers JSON bytes, made on the render thread; res.json would serialise and encode them again.
      const out: Array<string | number> = [...flat, 'X-Request-Id', requestId, 'Cache-Control', 'no-store', 'Content-Type', 'application/json; charset=utf-8', 'Content-Length', body.length];
      if (origin) out.push('Access-Control-Allow-Origin', origin, 'Vary', 'Origin');
      res.writeHead(201, out as string[]);
      res.end(body);
    } catch (err) {
      // What requestContext, the security headers and siteAuth would have set before the error reached errorMiddleware.
      if (!res.headersSent) {
        res.setHeader('X-Request-Id', requestId);
        for (const [k, v] of headers) res.setHeader(k, v);
        if (origin) {
          res.setHeader('Access-Control-Allow-Origin', origin);
          res.setHeader('Vary', 'Origin');
        }
      }
      throw err;
    }
  };
}
