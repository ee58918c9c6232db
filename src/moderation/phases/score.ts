import type { Phase } from '../types';

const LINK = /\bhttps?:\/\/|\bwww\./gi;

/** Scores spam (text plus metadata) and toxicity (text only). */
export const scorePhase: Phase = (ctx) => {
  const { author, body } = ctx.input;
  ctx.meta.linkCount = (body.match(LINK) ?? []).length;
  const opts = { explain: ctx.explain };
  ctx.scores = {
    spam: ctx.deps.models.spam.score({ text: body, author: author.name, email: author.email, url: author.url, meta: ctx.meta }, opts),
    toxicity: ctx.deps.models.toxicity.score({ text: body }, opts),
  };
};
