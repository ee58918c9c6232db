import { Router } from 'express';
import { policyPatchSchema } from '../../sites/policy';
import { updatePolicy } from '../../sites/site-store';
import { siteAuth, siteOf } from '../auth';
import type { AppContext } from '../context';
import { parse, requireJson } from '../validate';

/** The site's own settings, with the secret key. */
export function siteRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/v1/site', siteAuth(ctx.redis, ['sk']), (_req, res) => {
    const s = siteOf(res);
    res.json({ siteId: s.id, name: s.name, createdAt: s.createdAt, policy: s.policy });
  });
  r.get('/v1/site/policy', siteAuth(ctx.redis, ['sk']), (_req, res) => {
    res.json(siteOf(res).policy);
  });
  r.patch('/v1/site/policy', siteAuth(ctx.redis, ['sk']), requireJson, async (req, res) => {
    const patch = parse(policyPatchSchema, req.body);
    res.json(await updatePolicy(ctx.redis, siteOf(res).id, patch));
  });
  return r;
}
