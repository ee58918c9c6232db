import { Router } from 'express';
import { z } from 'zod';
import { listPublished } from '../../comments/published-thread';
import { keys } from '../../infra/keys';
import { consume } from '../../infra/rate-limit';
import { identityHash } from '../../moderation/identity';
import { ipSubject } from '../../moderation/ip-subject';
import { siteAuth, siteOf } from '../auth';
import type { AppContext } from '../context';
import { registerOperations } from '../openapi';
import { parse } from '../validate';

/** Thread reads one IP may make per minute on a site: a reader loads a page or two, a scraper would load thousands. */
export const THREAD_READS_PER_IP_PER_MINUTE = 120;

export const publishedQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().regex(/^\d{1,15}:[A-Za-z0-9-]{1,64}$/, 'must be the next of the previous page').optional().describe('The `next` of the previous page.'),
});
const threadId = z.string().min(1).max(500);

/**
 * GET /v1/threads/:threadId/published: what readers see under an article, for the site's pages (site key, allowed
 * origins). Only approved comments and only what a reader may see of them: author name, text, time, parent id.
 */
export function publishedThreadRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/v1/threads/:threadId/published', siteAuth(ctx.redis, ['pk', 'sk']), async (req, res) => {
    const site = siteOf(res);
    const q = parse(publishedQuerySchema, req.query);
    const thread = parse(threadId, req.params.threadId);
    const client = identityHash(ctx.moderation.secret, 'ip', ipSubject(req.ip ?? 'unknown', ctx.config.IPV6_PREFIX));
    await consume(ctx.redis, { key: keys.rateLimit(site.id, 'thread-read-ip', client), points: THREAD_READS_PER_IP_PER_MINUTE, windowSeconds: 60 });
    const page = await listPublished(ctx.redis, site.id, thread, q.limit, q.cursor);
    res.setHeader('Cache-Control', 'no-store').json(page);
  });
  return r;
}

registerOperations([
  {
    method: 'get', path: '/v1/threads/{threadId}/published', auth: 'siteOrSecretKey', query: publishedQuerySchema,
    summary: "A thread's published comments for readers, oldest first: id, parentId, author name, text, time; `next` pages on.",
    responses: {
      '200': { description: '{comments: [{id, parentId?, author: {name}, body, createdAt}], next?}' },
      '401': { description: 'unauthorized' }, '403': { description: 'forbidden (origin not allowed)' }, '422': { description: 'validation_failed' }, '429': { description: 'rate_limited' },
    },
  },
]);
