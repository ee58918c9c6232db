import { Router } from 'express';
import { issueCaptcha } from '../../captcha/issue';
import { issueAlternative } from '../../captcha/alternative';
import { ValidationError } from '../../errors';
import { keys } from '../../infra/keys';
import { identityHash } from '../../moderation/identity';
import { ipSubject } from '../../moderation/ip-subject';
import { siteAuth, siteOf } from '../auth';
import type { AppContext } from '../context';

/** POST /v1/captchas (site key): a fresh challenge in the site's captcha mode, rate limited per IP. */
export function captchaRoutes(ctx: AppContext): Router {
  const r = Router();
  r.post('/v1/captchas', siteAuth(ctx.redis, ['pk']), async (req, res) => {
    const site = siteOf(res);
    const { redis, secret, settings } = ctx.moderation;
    const client = identityHash(secret, 'ip', ipSubject(req.ip ?? 'unknown', settings.ipv6Prefix));
    // The limit is spent in the same Redis round trip as the captcha is stored.
    const limit = { key: keys.rateLimit(site.id, 'captcha-ip', client), points: site.policy.rateLimits.captchasPerIpPerMinute, windowSeconds: 60 };
    const deps = { redis, secret, ttlSeconds: settings.captchaTtlSeconds, ...(ctx.prepareCaptcha ? { prepare: ctx.prepareCaptcha } : {}) };
    // ?alternative=pow: the reader cannot read the image and asks to verify without it (captcha/alternative.ts).
    const alternative = req.query.alternative;
    if (alternative !== undefined && alternative !== 'pow') throw new ValidationError([{ path: 'alternative', message: 'must be pow' }]);
    const body = await (alternative ? issueAlternative : issueCaptcha)(deps, site, client, Date.now(), limit);
    // issueCaptcha answers JSON bytes, made on the render thread; res.json would serialise and encode them again.
    res.writeHead(201, { 'Cache-Control': 'no-store', 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
    res.end(body);
  });
  return r;
}
