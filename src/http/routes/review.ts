import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context';
import { parse, requireJson } from '../validate';
import { registerOperations } from '../openapi';
import type { ReviewDeps } from '../../review/deps';
import { claimItem, claimNext, extendClaim, listWaiting, releaseClaim, reviewCounts, viewItem } from '../../review/claims';
import { listReportedPage, listReview } from '../../review/list';
import { ValidationError } from '../../errors';
import { decide, decideMany, undoDecision } from '../../review/decisions';
import { readAudit } from '../../review/audit';
import { authorHistory } from '../../review/author-history';
import { itemContext } from '../../review/item-context';
import { getComment } from '../../comments/comment-store';
import { getSite } from '../../sites/site-store';
import { effectiveThresholds } from '../../moderation/policy';
import { siteOfComment, sitesFor } from '../../review/claims';
import { NotFoundError } from '../../errors';
import { nowOf } from '../../review/deps';
import { actorOf, moderatorAuth } from './review-auth';

/** Site and comment ids are hex and UUIDs; anything else would only be spliced into a Redis key. */
const id = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'not an id');
const commentIdParam = id;
const siteQuery = z.object({ siteId: id.optional() });
const listQuery = siteQuery.extend({ limit: z.coerce.number().int().min(1).max(200).default(50) });
const historyQuery = listQuery.extend({ before: z.string().regex(/^\d+-\d+$/).optional(), all: z.enum(['true', 'false']).optional() });
const claimBody = z.object({ siteId: id.optional() }).strict();
const decisionEnum = z.enum(['approve', 'reject', 'spam']);
const decisionBody = z
  .object({
    decision: decisionEnum,
    note: z.string().max(2000).optional(),
    siteId: id.optional(),
    from: z.enum(['approved', 'rejected']).optional(),
    block: z.object({ email: z.boolean().optional(), ip: z.boolean().optional() }).strict().optional(),
  })
  .strict();
const bulkBody = z
  .object({
    decision: decisionEnum,
    note: z.string().max(2000).optional(),
    from: z.enum(['approved', 'rejected']).optional(),
    items: z.array(z.object({ commentId: id, siteId: id.optional() }).strict()).min(1).max(200),
  })
  .strict();
const siteBody = z.object({ siteId: id.optional() }).strict();
/** A date (2026-12-03) or a date-time; a bare `to` date runs to the end of that day. */
const when = z.string().max(40).regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/, 'not a date').refine((v) => !Number.isNaN(Date.parse(v)), 'not a date');
const reviewListQuery = z.object({
  siteId: id.optional(),
  queue: z.enum(['pending', 'reported', 'approved', 'rejected']).default('pending'),
  order: z.enum(['newest', 'oldest', 'score']).default('newest'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(100).regex(/^([a-z]~(o~\d{1,7}|([+-]inf|\d{1,16})~\d{1,9})|r~\d{1,15}:[A-Za-z0-9-]{1,64})$/, 'not a cursor').optional(),
  article: z.string().trim().min(1).max(500).optional(),
  author: z.string().trim().min(1).max(320).optional(),
  text: z.string().trim().min(1).max(100).optional(),
  reason: z.string().regex(/^[a-z0-9_]{1,64}$/, 'not a reason code').optional(),
  from: when.optional(),
  to: when.optional(),
});

/** The moderators' API: counts, claim with a lease, decide, bulk, undo, list and history. */
export function reviewRoutes(ctx: AppContext, d: ReviewDeps): Router {
  const r = Router();
  const auth = moderatorAuth(ctx.redis);
  const body = (v: unknown) => (v === undefined || v === null || v === '' ? {} : v);

  r.get('/v1/review/me', auth, (_req, res) => {
    res.setHeader('Cache-Control', 'no-store').json(actorOf(res));
  });
  r.get('/v1/review/counts', auth, async (req, res) => {
    const q = parse(siteQuery, req.query);
    res.setHeader('Cache-Control', 'no-store').json(await reviewCounts(d, actorOf(res), q.siteId));
  });
  r.post('/v1/review/claim', auth, requireJson, async (req, res) => {
    const b = parse(claimBody, body(req.body));
    const claimed = await claimNext(d, actorOf(res), b.siteId);
    if (!claimed) return void res.status(204).end();
    res.json(claimed);
  });
  r.get('/v1/review/list', auth, async (req, res) => {
    const q = parse(reviewListQuery, req.query);
    const actor = actorOf(res);
    // A list is one site's: pages from several sites could not share one cursor.
    const sites = sitesFor(actor, q.siteId);
    if (sites.length !== 1) throw new ValidationError([{ path: 'siteId', message: 'choose one of your sites' }]);
    const to = q.to && q.to.length === 10 ? Date.parse(q.to) + 86_399_999 : q.to ? Date.parse(q.to) : undefined;
    const page = q.queue === 'reported'
      ? await listReportedPage(ctx.redis, actor.id, { siteId: sites[0], order: q.order, limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) })
      : await listReview(ctx.redis, ctx.moderation.secret, actor.id, { ...q, queue: q.queue, siteId: sites[0], from: q.from ? Date.parse(q.from) : undefined, to });
    // The site's thresholds, so the page colours meters by them (green below review, amber review, red reject).
    const tox = d.models.toxicity;
    const thresholds = effectiveThresholds((await getSite(ctx.redis, sites[0]))?.policy ?? { thresholds: {} }, {
      spam: d.models.spam.thresholds, toxicity: tox.thresholds, threat: tox.attributeThresholds?.threat,
    });
    res.setHeader('Cache-Control', 'no-store').json({ siteId: sites[0], queue: q.queue, order: q.order, thresholds, ...page });
  });
  r.get('/v1/review/items', auth, async (req, res) => {
    const q = parse(listQuery, req.query);
    res.setHeader('Cache-Control', 'no-store').json({ items: await listWaiting(d, actorOf(res), q.siteId, q.limit) });
  });
  r.post('/v1/review/decisions', auth, requireJson, async (req, res) => {
    const b = parse(bulkBody, req.body);
    res.json({ results: await decideMany(d, actorOf(res), b) });
  });
  r.get('/v1/review/history', auth, async (req, res) => {
    const q = parse(historyQuery, req.query);
    const actor = actorOf(res);
    // Moderators see their own decisions; admins may ask for everyone's (that is the audit log).
    const mine = !(actor.role === 'admin' && q.all === 'true');
    const entries = [];
    for (const s of sitesFor(actor, q.siteId)) {
      entries.push(...(await readAudit(ctx.redis, s, { limit: q.limit, ...(q.before ? { before: q.before } : {}), ...(mine ? { moderatorId: actor.id } : {}) })).entries);
    }
    entries.sort((a, b) => (a.at < b.at ? 1 : -1));
    res.setHeader('Cache-Control', 'no-store').json({ entries: entries.slice(0, q.limit) });
  });
  r.get('/v1/review/:commentId', auth, async (req, res) => {
    const q = parse(siteQuery, req.query);
    const actor = actorOf(res);
    const s = await siteOfComment(d, actor, parse(commentIdParam, req.params.commentId), q.siteId);
    const c = await getComment(ctx.redis, s, parse(commentIdParam, req.params.commentId));
    if (!c) throw new NotFoundError(`Comment ${req.params.commentId}`);
    const site = await getSite(ctx.redis, s);
    const { client: _client, ...rest } = c;
    const history = await authorHistory(ctx.redis, s, c.author.emailHash, site?.policy.trustedAuthorApprovals ?? 3);
    const { lastComments, actions, ...context } = await itemContext(ctx.redis, c, history.recent, nowOf(d).getTime());
    res.setHeader('Cache-Control', 'no-store').json({
      ...rest, author: { name: c.author.name, emailMasked: c.author.emailMasked, url: c.author.url, lastComments, actions },
      history, ...context,
    });
  });
  r.post('/v1/review/:commentId/decision', auth, requireJson, async (req, res) => {
    const b = parse(decisionBody, req.body);
    const c = await decide(d, actorOf(res), { commentId: parse(commentIdParam, req.params.commentId), ...b });
    res.json({ commentId: c.id, status: c.status, decidedAt: c.decidedAt, undoSeconds: d.settings.undoSeconds });
  });
  r.post('/v1/review/:commentId/undo', auth, requireJson, async (req, res) => {
    const b = parse(siteBody, body(req.body));
    const c = await undoDecision(d, actorOf(res), parse(commentIdParam, req.params.commentId), b.siteId);
    res.json({ commentId: c.id, status: c.status, needsReview: true });
  });
  r.post('/v1/review/:commentId/claim', auth, requireJson, async (req, res) => {
    const b = parse(siteBody, body(req.body));
    res.json(await claimItem(d, actorOf(res), parse(commentIdParam, req.params.commentId), b.siteId));
  });
  r.get('/v1/review/:commentId/item', auth, async (req, res) => {
    const q = parse(siteQuery, req.query);
    res.setHeader('Cache-Control', 'no-store').json({ item: await viewItem(d, actorOf(res), parse(commentIdParam, req.params.commentId), q.siteId) });
  });
  r.post('/v1/review/:commentId/extend', auth, requireJson, async (req, res) => {
    const b = parse(siteBody, body(req.body));
    res.json(await extendClaim(d, actorOf(res), parse(commentIdParam, req.params.commentId), b.siteId));
  });
  r.post('/v1/review/:commentId/release', auth, requireJson, async (req, res) => {
    const b = parse(siteBody, body(req.body));
    await releaseClaim(d, actorOf(res), parse(commentIdParam, req.params.commentId), b.siteId);
    res.status(204).end();
  });
  return r;
}

const errs = { '401': { description: 'unauthorized' }, '403': { description: 'forbidden' } };
registerOperations([
  { method: 'get', path: '/v1/review/me', summary: 'The moderator the token belongs to: id, name, role, siteIds.', auth: 'moderatorToken', responses: { '200': { description: '{id, name, role, siteIds}' }, ...errs } },
  { method: 'get', path: '/v1/review/counts', summary: 'Items waiting and claimed, in total and per site.', auth: 'moderatorToken', query: siteQuery, responses: { '200': { description: '{pending, waiting, claimed, sites}' }, ...errs } },
  { method: 'post', path: '/v1/review/claim', summary: 'Claim the next item for one lease.', auth: 'moderatorToken', body: claimBody, responses: { '200': { description: '{item, leaseExpiresAt}' }, '204': { description: 'nothing waiting' }, ...errs } },
  { method: 'get', path: '/v1/review/list', summary: 'One page of a review list (pending, reported, approved, rejected), newest, oldest or highest score first, searched by article, author, text, reason and date.', auth: 'moderatorToken', query: reviewListQuery, responses: { '200': { description: '{siteId, queue, order, thresholds, items, next?, partial, scanned}' }, '422': { description: 'validation_failed' }, ...errs } },
  { method: 'post', path: '/v1/review/{commentId}/claim', summary: 'Claim one pending item opened from the list, for one lease.', auth: 'moderatorToken', body: siteBody, responses: { '200': { description: '{item, leaseExpiresAt}' }, '409': { description: 'review_claimed or already_decided' }, ...errs } },
  { method: 'get', path: '/v1/review/{commentId}/item', summary: 'Any comment of your sites as the item view shows it.', auth: 'moderatorToken', query: siteQuery, responses: { '200': { description: '{item}' }, '404': { description: 'not found' }, ...errs } },
  { method: 'get', path: '/v1/review/items', summary: 'Waiting items in queue order, unclaimed.', auth: 'moderatorToken', query: listQuery, responses: { '200': { description: '{items}' }, ...errs } },
  { method: 'get', path: '/v1/review/history', summary: "Recent decisions: the moderator's own, or everyone's for admins with all=true.", auth: 'moderatorToken', query: historyQuery, responses: { '200': { description: '{entries}' }, ...errs } },
  { method: 'get', path: '/v1/review/{commentId}', summary: 'A comment with its author history.', auth: 'moderatorToken', query: siteQuery, responses: { '200': { description: 'comment' }, '404': { description: 'not found' }, ...errs } },
  { method: 'post', path: '/v1/review/{commentId}/decision', summary: 'Approve, reject or mark as spam; optionally block the e-mail or IP.', auth: 'moderatorToken', body: decisionBody, responses: { '200': { description: '{commentId, status}' }, '409': { description: 'review_claimed, already_decided or conflict' }, ...errs } },
  { method: 'post', path: '/v1/review/decisions', summary: 'Decide many items; each result stands alone.', auth: 'moderatorToken', body: bulkBody, responses: { '200': { description: '{results}' }, ...errs } },
  { method: 'post', path: '/v1/review/{commentId}/undo', summary: 'Undo a decision within REVIEW_UNDO_SECONDS.', auth: 'moderatorToken', body: siteBody, responses: { '200': { description: '{commentId, status}' }, '409': { description: 'undo_expired' }, ...errs } },
  { method: 'post', path: '/v1/review/{commentId}/extend', summary: 'Extend your lease by a full lease.', auth: 'moderatorToken', body: siteBody, responses: { '200': { description: '{leaseExpiresAt}' }, ...errs } },
  { method: 'post', path: '/v1/review/{commentId}/release', summary: 'Give a claimed item back to the queue.', auth: 'moderatorToken', body: siteBody, responses: { '204': { description: 'released' }, ...errs } },
]);
