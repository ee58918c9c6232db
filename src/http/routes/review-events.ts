import path from 'node:path';
import express, { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context';
import { parse } from '../validate';
import { registerOperations } from '../openapi';
import { WEB_DIR } from '../web-dir';
import type { LiveHub } from '../../review/live';
import { sitesFor } from '../../review/claims';
import { actorOf, moderatorAuth } from './review-auth';

const streamQuery = z.object({ siteId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'not an id').optional() });
const HEARTBEAT_MS = 15000;

/**
 * Server-sent events for the /moderate page: `item` when a comment arrives in one of the moderator's queues,
 * `decided`/`undone` when one leaves or returns. The page reads the stream with fetch so the token travels in the
 * Authorization header, never in a URL where logs would keep it. Also serves the page itself.
 */
export function reviewEventRoutes(ctx: AppContext, hub: LiveHub): Router {
  const r = Router({ strict: true });
  r.get('/v1/review/events', moderatorAuth(ctx.redis), async (req, res) => {
    const q = parse(streamQuery, req.query);
    const sites = sitesFor(actorOf(res), q.siteId);
    // Tracked before the first await, so a SIGTERM at any moment finds this stream and ends it (otherwise shutdown
    // waits for its timeout).
    const untrack = hub.trackStream(() => res.end());
    let stop: (() => void) | undefined;
    let beat: NodeJS.Timeout | undefined;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      if (beat) clearInterval(beat);
      stop?.();
      untrack();
    };
    req.on('close', end);
    res.on('error', end);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(`retry: 3000\n: connected\n\n`);
    const listening = await hub.listen(sites, (e) => {
      res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
    });
    if (ended) return listening();
    stop = listening;
    beat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    beat.unref();
  });
  r.get('/moderate', (req, res) => {
    const q = req.originalUrl.indexOf('?');
    res.redirect(301, `/moderate/${q >= 0 ? req.originalUrl.slice(q) : ''}`);
  });
  r.use('/moderate', express.static(path.join(WEB_DIR, 'moderate'), { index: 'index.html', fallthrough: true }));
  return r;
}

registerOperations([
  { method: 'get', path: '/v1/review/events', summary: 'Server-sent events: item, decided, undone.', auth: 'moderatorToken', query: streamQuery, responses: { '200': { description: 'text/event-stream' }, '401': { description: 'unauthorized' } } },
]);
