import { Router } from 'express';
import { metrics } from '../../infra/metrics';
import { siteAuth, siteOf } from '../auth';
import type { AppContext } from '../context';
import { checkSchema, explainQuerySchema } from '../schemas';
import { parse, requireJson } from '../validate';
import { decide } from '../../moderation/policy';
import { toxicityModelFor } from '../../classifier/language/toxicity-models';
import { linkListsOf } from '../../moderation/link-lists';

/** POST /v1/check (secret key): scores a text and says what Vigil would decide, storing nothing. */
export function checkRoutes(ctx: AppContext): Router {
  const r = Router();
  r.post('/v1/check', siteAuth(ctx.redis, ['sk']), requireJson, (req, res) => {
    const site = siteOf(res);
    const input = parse(checkSchema, req.body);
    const q = parse(explainQuerySchema, req.query);
    const explain = q.explain === 'true' || q.explain === '1';
    const spamModel = ctx.moderation.models.spam;
    const { model: toxModel, language } = toxicityModelFor(ctx.moderation.models, input.language ?? site.policy.language, input.body);
    const t0 = process.hrtime.bigint();
    const spam = spamModel.score({ text: input.body, author: input.author?.name, email: input.author?.email, url: input.author?.url, ...linkListsOf(site.policy) }, { explain, siteId: site.id });
    const t1 = process.hrtime.bigint();
    const toxicity = toxModel.score({ text: input.body }, { explain, siteId: site.id });
    metrics.classifierDuration.observe({ model: 'spam' }, Number(t1 - t0) / 1e9);
    metrics.classifierDuration.observe({ model: 'toxicity' }, Number(process.hrtime.bigint() - t1) / 1e9);
    const decision = decide({
      policy: site.policy,
      scores: { spam: spam.score, toxicity: toxicity.score, threat: toxicity.attributes?.threat },
      modelThresholds: { spam: spamModel.thresholds, toxicity: toxModel.thresholds, threat: toxModel.attributeThresholds?.threat },
      reasons: [],
    });
    res.json({
      status: decision.status,
      scores: { spam: spam.score, toxicity: toxicity.score, ...(toxicity.attributes ? { attributes: toxicity.attributes } : {}) },
      reasons: decision.reasons,
      ...(language ? { language } : {}),
      ...(explain ? { explanation: { spam: spam.explanation, toxicity: toxicity.explanation } } : {}),
    });
  });
  return r;
}
