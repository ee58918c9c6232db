import { Router } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../../errors';
import { reportComment, ReportDeps } from '../../reports/report-comment';
import { REPORT_REASONS } from '../../reports/report-store';
import { siteAuth, siteOf } from '../auth';
import type { AppContext } from '../context';
import { registerOperations } from '../openapi';
import { parse, requireJson } from '../validate';

/** Comment ids are UUIDs; anything else names no comment and is only ever spliced into a Redis key. */
const COMMENT_ID = /^[A-Za-z0-9-]{1,64}$/;
/** A report's own words are a note for the moderator, not a second comment. */
export const MAX_REPORT_TEXT = 500;

export const reportBodySchema = z
  .object({
    reason: z.enum(REPORT_REASONS).describe('offensive, spam, off_topic or other (other needs text).'),
    text: z.string().trim().max(MAX_REPORT_TEXT).optional().describe(`The reader's words, up to ${MAX_REPORT_TEXT} characters; required for other.`),
    reader: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,64}$/, 'must be 16 to 64 letters, digits, - or _')
      .describe("A random token the reader's browser keeps (e.g. in localStorage): with the IP it identifies one reader."),
  })
  .strict()
  .refine((b) => b.reason !== 'other' || !!b.text, { path: ['text'], message: 'say in a few words what is wrong when the reason is other' });

/** POST /v1/comments/:id/reports: a reader reports a comment, from the site's pages (site key). */
export function reportRoutes(ctx: AppContext): Router {
  const r = Router();
  const deps: ReportDeps = {
    redis: ctx.redis, secret: ctx.moderation.secret, events: ctx.events,
    ipv6Prefix: ctx.config.IPV6_PREFIX, retentionSeconds: Math.round(ctx.config.RETENTION_DAYS * 86400),
  };
  r.post('/v1/comments/:id/reports', siteAuth(ctx.redis, ['pk']), requireJson, async (req, res) => {
    const id = String(req.params.id);
    const body = parse(reportBodySchema, req.body);
    if (!COMMENT_ID.test(id)) throw new NotFoundError('The comment');
    const out = await reportComment(deps, siteOf(res), {
      commentId: id, reason: body.reason, ...(body.text ? { text: body.text } : {}), readerToken: body.reader, ip: req.ip ?? 'unknown',
    });
    res.status(201).setHeader('Cache-Control', 'no-store').json(out);
  });
  return r;
}

const problem = (d: string) => ({ description: d });
registerOperations([
  {
    method: 'post', path: '/v1/comments/{id}/reports', auth: 'siteKey', body: reportBodySchema,
    summary: "A reader reports a comment (one report per reader per comment, rate limited per IP); enough reports put it in the site's Reported queue.",
    responses: {
      '201': { description: '{commentId, reason, at}' }, '401': problem('unauthorized'), '403': problem('forbidden: not the site key, or an origin the site does not allow'),
      '404': problem('not_found: no such comment on this site (or it was removed)'), '409': problem('already_reported'), '415': problem('unsupported_media_type'),
      '422': problem('validation_failed'), '429': problem('rate_limited'),
    },
  },
]);
