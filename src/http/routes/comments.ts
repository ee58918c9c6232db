import { Router } from 'express';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors';
import { metrics } from '../../infra/metrics';
import { moderateComment } from '../../moderation/moderate-comment';
import { getComment, listThread } from '../../comments/comment-store';
import { keyKindOf, siteAuth, siteOf } from '../auth';
import type { AppContext } from '../context';
import { commentSchema, explainQuerySchema, feedbackSchema, threadQuerySchema } from '../schemas';
import { Feedback, recordFeedback } from '../../learning/feedback';
import { parse, requireJson } from '../validate';
import { publicComment } from './public-comment';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** Comment intake and read-back. */
export function commentRoutes(ctx: AppContext): Router {
  const r = Router();

  r.post('/v1/comments', siteAuth(ctx.redis, ['pk', 'sk']), requireJson, async (req, res) => {
    const site = siteOf(res);
    const via = keyKindOf(res) === 'pk' ? 'browser' : 'server';
    const input = parse(commentSchema, req.body);
    const { explain } = parse(explainQuerySchema, req.query);
    const idempotencyKey = req.get('idempotency-key');
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new ValidationError([{ path: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' }]);
    }
    // Only the site's server can vouch for an identity: a browser saying so about itself is an impersonation attempt.
    if (via === 'browser' && input.author.verified) throw new ForbiddenError('Only a server call (secret key) may mark an author as verified.');
    // A page's script holds only the public key: the article it names must be on the site, so nobody can make the
    // moderators' link to a thread point elsewhere.
    if (via === 'browser' && input.thread?.url && !site.policy.allowedOrigins.includes(new URL(input.thread.url).origin)) {
      throw new ValidationError([{ path: 'thread.url', message: "must be on one of the site's allowed origins" }]);
    }
    // A browser's IP is the connection's (through trusted proxies only); a server vouches for its commenter's.
    let ip = req.ip ?? 'unknown';
    if (via === 'server') {
      if (!input.client?.ip) throw new ValidationError([{ path: 'client.ip', message: "server calls must pass the commenter's IP" }]);
      ip = input.client.ip;
    }
    const client = {
      ip,
      userAgent: (via === 'server' ? input.client?.userAgent : req.get('user-agent')) ?? '',
      referrer: (via === 'server' ? input.client?.referrer : req.get('referer')) ?? '',
    };
    const { result, replayed } = await moderateComment(ctx.moderation, {
      // Explanations are for the site's server only: in a browser they would tell a spammer, token by token, what
      // to change until a comment passes.
      site, via, input, client, explain: via === 'server' && (explain === 'true' || explain === '1'), idempotencyKey,
    });
    if (!replayed) metrics.decisions.inc({ site: site.id, status: result.status });
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(201).location(`/v1/comments/${result.id}`).json(result);
  });

  r.get('/v1/comments/:id', siteAuth(ctx.redis, ['sk']), async (req, res) => {
    const c = await getComment(ctx.redis, siteOf(res).id, String(req.params.id));
    if (!c) throw new NotFoundError('The comment');
    res.json(publicComment(c));
  });

  // The site's own verdict on a stored comment, learnt like a moderator's decision.
  r.post('/v1/comments/:id/feedback', siteAuth(ctx.redis, ['sk']), requireJson, async (req, res) => {
    const site = siteOf(res);
    const { label } = parse(feedbackSchema, req.body);
    const c = await getComment(ctx.redis, site.id, String(req.params.id));
    if (!c) throw new NotFoundError('The comment');
    const f: Feedback = {
      task: label === 'spam' || label === 'ham' ? 'spam' : 'toxicity',
      positive: label === 'spam' || label === 'toxic',
      text: c.body, author: c.author.name, email: c.author.emailMasked, ...(c.author.url ? { url: c.author.url } : {}),
      source: 'site', commentId: c.id,
    };
    // Counted against the site's hourly feedback limit (429 past it); the comment is the stored one, so with enough
    // other sites agreeing it may also teach the shared model (src/learning/agreement.ts).
    const id = await recordFeedback(ctx.redis, site.id, f, {
      perHour: ctx.config.LEARN_FEEDBACK_PER_HOUR, retentionSeconds: ctx.config.RETENTION_DAYS * 86400,
    });
    res.status(202).json({ feedbackId: id, commentId: c.id, label });
  });

  r.get('/v1/threads/:threadId/comments', siteAuth(ctx.redis, ['sk']), async (req, res) => {
    const q = parse(threadQuerySchema, req.query);
    const list = await listThread(ctx.redis, siteOf(res).id, String(req.params.threadId), q.status, q.limit, q.after);
    const last = list.at(-1);
    res.json({ comments: list.map(publicComment), next: list.length === q.limit && last ? Date.parse(last.createdAt) : null });
  });

  return r;
}
