import { toxicityModelFor } from '../../classifier/language/toxicity-models';
import { metrics } from '../../infra/metrics';
import { linkListsOf } from '../link-lists';
import type { Phase } from '../types';

// A scheme starts a link; so does a bare "www." (one typed without a scheme), but not the "www." right after one:
// "https://www.city.gov" is one link, and counted as two it put a reader's citation in the links=2 bucket (log-odds
// +1.72, against +0.50 for one), a bucket /v1/check, the model card's figures and the review view never saw.
const LINK = /\bhttps?:\/\/|(?<!\/)\bwww\./gi;

/** Links in a comment's body, for the spam model's links= bucket (the larger of this and its own URL tokens). */
export const linkCountOf = (body: string): number => (body.match(LINK) ?? []).length;

/** Scores spam (text plus metadata) and toxicity (text only, with the model of the comment's language). */
export const scorePhase: Phase = (ctx) => {
  const { author, body } = ctx.input;
  ctx.meta.linkCount = linkCountOf(body);
  const opts = { explain: ctx.explain, siteId: ctx.site.id };
  const t0 = process.hrtime.bigint();
  const spam = ctx.deps.models.spam.score({ text: body, author: author.name, email: author.email, url: author.url, meta: ctx.meta, ...linkListsOf(ctx.site.policy) }, opts);
  const t1 = process.hrtime.bigint();
  // The comment's own declared language first, then the site's (policy `language`), else detection.
  const tox = toxicityModelFor(ctx.deps.models, ctx.input.language ?? ctx.site.policy.language, body);
  ctx.toxicityModel = tox.model;
  const toxicity = tox.model.score({ text: body }, opts);
  metrics.classifierDuration.observe({ model: 'spam' }, Number(t1 - t0) / 1e9);
  metrics.classifierDuration.observe({ model: 'toxicity' }, Number(process.hrtime.bigint() - t1) / 1e9);
  ctx.scores = { spam, toxicity };
};
