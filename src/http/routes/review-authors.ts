import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context';
import { parse, requireJson } from '../validate';
import { registerOperations } from '../openapi';
import type { ReviewDeps } from '../../review/deps';
import { sitesFor } from '../../review/claims';
import { parseTarget } from '../../review/author-action-record';
import { authorPanel, liftAuthorActions, liftForComment, listAuthorActions, MAX_SUSPEND_DAYS, takeAuthorAction } from '../../review/author-actions';
import { ValidationError } from '../../errors';
import { actorOf, moderatorAuth } from './review-auth';

const id = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'not an id');
const reason = z.string().trim().min(1, 'say why (it is shown to other moderators and kept in the audit log)').max(500);
const siteQuery = z.object({ siteId: id.optional() });
const listQuery = z.object({
  siteId: id,
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100000).default(0),
});
const who = { email: z.boolean().optional(), ip: z.boolean().optional(), siteId: id.optional() };
const actionBody = z.discriminatedUnion('action', [
  z.object({ action: z.literal('ban'), reason, ...who }).strict(),
  z.object({ action: z.literal('suspend'), days: z.number().int().min(1).max(MAX_SUSPEND_DAYS), reason, ...who }).strict(),
  z.object({ action: z.literal('trust'), reason, ...who }).strict(),
  z.object({ action: z.literal('lift'), reason: reason.optional(), ...who }).strict(),
]);
const liftBody = z.object({ siteId: id, target: z.string().max(100), reason: reason.optional() }).strict();

/**
 * Moderators' actions on authors, per site: the author panel of a comment, ban / suspend / trust / lift from it, and
 * the site's list of actions in force with lift by target. Mounted before the review routes, whose
 * `/v1/review/:commentId` would otherwise take `/v1/review/author-actions`.
 */
export function reviewAuthorRoutes(ctx: AppContext, d: ReviewDeps): Router {
  const r = Router();
  const auth = moderatorAuth(ctx.redis);

  r.get('/v1/review/author-actions', auth, async (req, res) => {
    const q = parse(listQuery, req.query);
    sitesFor(actorOf(res), q.siteId);
    res.setHeader('Cache-Control', 'no-store').json(await listAuthorActions(d, q.siteId, q.limit, q.offset));
  });
  r.post('/v1/review/author-actions/lift', auth, requireJson, async (req, res) => {
    const b = parse(liftBody, req.body);
    sitesFor(actorOf(res), b.siteId);
    const target = parseTarget(b.target);
    if (!target) throw new ValidationError([{ path: 'target', message: 'must be a target from the action list (email:<hash> or ip:<hash>)' }]);
    res.json(await liftAuthorActions(d, actorOf(res), b.siteId, [target], b.reason ? { reason: b.reason } : {}));
  });
  r.get('/v1/review/:commentId/author', auth, async (req, res) => {
    const q = parse(siteQuery, req.query);
    res.setHeader('Cache-Control', 'no-store').json(await authorPanel(d, actorOf(res), parse(id, req.params.commentId), q.siteId));
  });
  r.post('/v1/review/:commentId/author', auth, requireJson, async (req, res) => {
    const b = parse(actionBody, req.body);
    const commentId = parse(id, req.params.commentId);
    if (b.action === 'lift') return void res.json(await liftForComment(d, actorOf(res), { ...b, commentId }));
    res.status(201).json({ actions: await takeAuthorAction(d, actorOf(res), { ...b, commentId }) });
  });
  return r;
}

const errs = { '401': { description: 'unauthorized' }, '403': { description: 'not a moderator of the site' } };
registerOperations([
  { method: 'get', path: '/v1/review/author-actions', summary: "The site's bans, suspensions and trusted authors in force, newest first.", auth: 'moderatorToken', query: listQuery, responses: { '200': { description: '{actions, next}' }, ...errs } },
  { method: 'post', path: '/v1/review/author-actions/lift', summary: 'Lift the action (and any decision block) on one target from the list.', auth: 'moderatorToken', body: liftBody, responses: { '200': { description: '{lifted}' }, '404': { description: 'nothing to lift' }, '422': { description: 'validation_failed' }, ...errs } },
  { method: 'get', path: '/v1/review/{commentId}/author', summary: "The author panel: per identity (e-mail, IP) of the comment's author, the action in force, a decision block and the log.", auth: 'moderatorToken', query: siteQuery, responses: { '200': { description: '{siteId, commentId, email, ip}' }, '404': { description: 'not found' }, ...errs } },
  { method: 'post', path: '/v1/review/{commentId}/author', summary: "Ban, suspend (days), trust or lift the comment's author by e-mail and/or IP, with a reason.", auth: 'moderatorToken', body: actionBody, responses: { '201': { description: '{actions}' }, '200': { description: 'lift: {lifted}' }, '404': { description: 'not found / nothing to lift' }, '422': { description: 'validation_failed, author_unverified' }, ...errs } },
]);
