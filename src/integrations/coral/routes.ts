import express, { Router } from 'express';
import type { AppContext } from '../../http/context';
import { parse } from '../../http/validate';
import { InvalidJsonError, NotFoundError, SignatureInvalidError } from '../../errors';
import { metrics } from '../../infra/metrics';
import { getSite } from '../../sites/site-store';
import { moderateCoralComment } from './moderate';
import { coralRequestSchema } from './request';
import { coralSignatureValid } from './signature';
import { getCoralSigningSecret } from './signing-secret';

const SITE_ID = /^[0-9a-f]{16}$/;

/**
 * POST /v1/integrations/coral/:siteId, Coral's external moderation phase. Mounted ahead of the app's JSON parser: the
 * signature covers the exact bytes Coral sent, so the body is read raw, checked, and only then parsed.
 */
export function coralRoutes(ctx: AppContext): Router {
  const r = Router();
  r.post('/coral/:siteId', express.raw({ type: () => true, limit: '64kb' }), async (req, res) => {
    const siteId = String(req.params.siteId);
    // An unknown site and a site without a secret answer like a bad signature, so the route reveals no site ids.
    const site = SITE_ID.test(siteId) ? await getSite(ctx.redis, siteId) : undefined;
    const secret = site ? await getCoralSigningSecret(ctx.redis, ctx.moderation.secret, site.id) : undefined;
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!site || !secret || !coralSignatureValid(req.get('x-coral-signature'), body, secret)) throw new SignatureInvalidError();
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw new InvalidJsonError();
    }
    const { response, result } = await moderateCoralComment(ctx.moderation, site, parse(coralRequestSchema, json));
    if (result) {
      metrics.decisions.inc({ site: site.id, status: result.status });
      res.setHeader('X-Vigil-Comment-Id', result.id);
    }
    if (!response) return void res.status(204).end();
    res.status(200).json(response);
  });
  r.all('/coral/:siteId', () => {
    throw new NotFoundError('The endpoint');
  });
  return r;
}
