import { Router } from 'express';
import { z } from 'zod';
import { getComment } from '../../comments/comment-store';
import { NotFoundError } from '../../errors';
import { keys } from '../../infra/keys';
import { siteOfComment } from '../../review/claims';
import type { ReviewDeps } from '../../review/deps';
import { decideReport } from '../../reports/decide-report';
import { undoReportDecision } from '../../reports/undo-report';
import { reasonCounts, reportsOf } from '../../reports/report-store';
import type { AppContext } from '../context';
import { registerOperations } from '../openapi';
import { parse, requireJson } from '../validate';
import { actorOf, moderatorAuth } from './review-auth';

const id = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'not an id');
const siteQuery = z.object({ siteId: id.optional() });
const siteBody = z.object({ siteId: id.optional() }).strict();
const reportDecisionBody = z
  .object({
    decision: z.enum(['keep', 'remove']).describe('keep: close the reports, the comment stays; remove: reject (unpublish) it.'),
    note: z.string().max(2000).optional(),
    siteId: id.optional(),
  })
  .strict();

/** The moderators' side of reader reports: a comment's reports, and the keep/remove decision. */
export function reviewReportRoutes(ctx: AppContext, d: ReviewDeps): Router {
  const r = Router();
  const auth = moderatorAuth(ctx.redis);
  r.get('/v1/review/:commentId/reports', auth, async (req, res) => {
    const q = parse(siteQuery, req.query);
    const commentId = parse(id, req.params.commentId);
    const s = await siteOfComment(d, actorOf(res), commentId, q.siteId);
    if (!(await getComment(ctx.redis, s, commentId))) throw new NotFoundError(`Comment ${commentId}`);
    const reports = await reportsOf(ctx.redis, s, commentId);
    const since = await ctx.redis.zscore(keys.reported(s), commentId);
    res.setHeader('Cache-Control', 'no-store').json({
      commentId, siteId: s, inReportedQueue: since !== null, ...(since !== null ? { reportedAt: new Date(Number(since)).toISOString() } : {}),
      reasons: reasonCounts(reports), reports,
    });
  });
  r.post('/v1/review/:commentId/reports/decision', auth, requireJson, async (req, res) => {
    const b = parse(reportDecisionBody, req.body);
    const c = await decideReport(d, actorOf(res), { commentId: parse(id, req.params.commentId), ...b });
    res.json({ commentId: c.id, status: c.status, decision: b.decision, undoSeconds: d.settings.undoSeconds });
  });
  r.post('/v1/review/:commentId/reports/undo', auth, requireJson, async (req, res) => {
    const b = parse(siteBody, req.body === undefined || req.body === null || req.body === '' ? {} : req.body);
    const c = await undoReportDecision(d, actorOf(res), parse(id, req.params.commentId), b.siteId);
    res.json({ commentId: c.id, status: c.status });
  });
  return r;
}

const errs = { '401': { description: 'unauthorized' }, '403': { description: 'forbidden' }, '404': { description: 'not_found' } };
registerOperations([
  {
    method: 'get', path: '/v1/review/{commentId}/reports', auth: 'moderatorToken', query: siteQuery,
    summary: "A comment's open reader reports (reason, text, time; never who sent them) and whether it is in the Reported queue.",
    responses: { '200': { description: '{commentId, siteId, inReportedQueue, reportedAt?, reasons, reports}' }, ...errs },
  },
  {
    method: 'post', path: '/v1/review/{commentId}/reports/decision', auth: 'moderatorToken', body: reportDecisionBody,
    summary: 'Decide a reported comment: keep (close its reports) or remove (reject it); audited.',
    responses: { '200': { description: '{commentId, status, decision, undoSeconds}' }, '409': { description: 'not_reported, review_claimed or conflict' }, ...errs },
  },
  {
    method: 'post', path: '/v1/review/{commentId}/reports/undo', auth: 'moderatorToken', body: siteBody,
    summary: 'Undo a keep or remove within REVIEW_UNDO_SECONDS: status, author history, reports and the Reported queue return.',
    responses: { '200': { description: '{commentId, status}' }, '409': { description: 'undo_expired' }, ...errs },
  },
]);
