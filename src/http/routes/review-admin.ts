import crypto from 'node:crypto';
import express, { Router } from 'express';
import { z } from 'zod';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { AppContext } from '../context';
import { parse } from '../validate';
import { ForbiddenError } from '../../errors';
import { registerOperations } from '../openapi';
import type { ReviewDeps } from '../../review/deps';
import { readAudit } from '../../review/audit';
import { sitesFor } from '../../review/claims';
import { shadowReport } from '../../review/intake';
import { actorOf, moderatorAuth } from './review-auth';

const auditQuery = z.object({
  siteId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'not an id'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.string().regex(/^\d+-\d+$/).optional(),
});
const shadowQuery = z.object({ siteId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'not an id'), limit: z.coerce.number().int().min(1).max(200).default(50) });

// @bull-board/express pins its own copy of @bull-board/api; the two are the same at run time.
type BoardAdapter = Parameters<typeof createBullBoard>[0]['serverAdapter'];

/** bull-board renders with inline styles, so its pages get a CSP that allows those and still no inline script. */
const BOARD_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
  "connect-src 'self'", "font-src 'self'", "frame-ancestors 'none'", "base-uri 'self'", "form-action 'self'",
].join('; ');

/** Admin-only: the audit log, the shadow-mode report, and bull-board for the review queues of the admin's sites. */
export function reviewAdminRoutes(ctx: AppContext, d: ReviewDeps): Router {
  const r = Router();
  const admin = moderatorAuth(ctx.redis, { admin: true });

  r.get('/v1/review/audit', admin, async (req, res) => {
    const q = parse(auditQuery, req.query);
    sitesFor(actorOf(res), q.siteId);
    res.setHeader('Cache-Control', 'no-store').json(await readAudit(ctx.redis, q.siteId, { limit: q.limit, ...(q.before ? { before: q.before } : {}) }));
  });
  r.get('/v1/review/shadow', moderatorAuth(ctx.redis), async (req, res) => {
    const q = parse(shadowQuery, req.query);
    sitesFor(actorOf(res), q.siteId);
    res.setHeader('Cache-Control', 'no-store').json(await shadowReport(ctx.redis, q.siteId, q.limit));
  });

  // One board per admin, so each sees only the queues of their own sites; the list is refreshed on every request
  // because sites can be granted at any time. A site admin is a tenant: their board hides what describes the
  // install (Redis version, port, OS, memory, clients; the connected workers' addresses), which bull-board also
  // refuses server-side with these options. The operator (OPERATOR_TOKEN) gets the shared queues and those details.
  const boards = new Map<string, { adapter: ExpressAdapter; board: ReturnType<typeof createBullBoard> }>();
  const boardFor = (id: string, operator: boolean) => {
    let b = boards.get(id);
    if (!b) {
      const adapter = new ExpressAdapter();
      adapter.setBasePath('/admin/queues');
      const uiConfig = { boardTitle: operator ? 'Vigil (operator)' : 'Vigil review', hideRedisDetails: !operator, showWorkers: operator };
      b = { adapter, board: createBullBoard({ queues: [], serverAdapter: adapter as unknown as BoardAdapter, options: { uiConfig } }) };
      boards.set(id, b);
    }
    return b;
  };
  const boardAuth = moderatorAuth(ctx.redis, { admin: true, basicChallenge: true });
  const operatorHash = ctx.config.OPERATOR_TOKEN ? sha256(ctx.config.OPERATOR_TOKEN) : undefined;
  r.use('/admin/queues', (req, res, next) => {
    // Browsers replay Basic credentials on their own, so a page on another site could drive bull-board's actions
    // (retry, clean, pause) with an admin's credentials; only same-origin requests may change anything.
    if (req.method !== 'GET' && req.method !== 'HEAD' && !sameOrigin(req)) throw new ForbiddenError('Cross-site requests to /admin/queues are refused.');
    res.setHeader('Content-Security-Policy', BOARD_CSP);
    if (!operatorHash || !sameSecret(presentedSecret(req), operatorHash)) return next();
    const b = boardFor('operator', true);
    b.board.replaceQueues(d.queues.shared([ctx.config.VIGIL_WEBHOOK_QUEUE]).map((q) => new BullMQAdapter(q)));
    (b.adapter.getRouter() as express.Router)(req, res, next);
  }, boardAuth, (req, res, next) => {
    const actor = actorOf(res);
    const b = boardFor(actor.id, false);
    b.board.replaceQueues(actor.siteIds.map((s) => new BullMQAdapter(d.queues.queue(s))));
    (b.adapter.getRouter() as express.Router)(req, res, next);
  });
  return r;
}

/** The Bearer token, or the password of HTTP Basic (what a browser sends after the challenge). */
function presentedSecret(req: express.Request): string | undefined {
  const auth = req.get('authorization') ?? '';
  if (/^bearer /i.test(auth)) return auth.slice(7).trim();
  if (!/^basic /i.test(auth)) return undefined;
  const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1);
}

function sha256(s: string): Buffer {
  return crypto.createHash('sha256').update(s).digest();
}

/** Constant-time, so the token cannot be guessed a character at a time from answer times. */
function sameSecret(presented: string | undefined, expectedHash: Buffer): boolean {
  return presented !== undefined && crypto.timingSafeEqual(sha256(presented), expectedHash);
}

function sameOrigin(req: express.Request): boolean {
  const site = req.get('sec-fetch-site');
  if (site) return site === 'same-origin' || site === 'none';
  const origin = req.get('origin');
  if (!origin) return true;
  try {
    return new URL(origin).host === req.get('host');
  } catch {
    return false;
  }
}

registerOperations([
  { method: 'get', path: '/v1/review/audit', summary: 'The audit log of a site, newest first (admins).', auth: 'moderatorToken', query: auditQuery, responses: { '200': { description: '{entries, next}' }, '401': { description: 'unauthorized' }, '403': { description: 'not an admin of the site' } } },
  { method: 'get', path: '/v1/review/shadow', summary: 'What Vigil would have held or rejected while the site runs in shadow mode.', auth: 'moderatorToken', query: shadowQuery, responses: { '200': { description: '{wouldBe, recent}' }, '401': { description: 'unauthorized' } } },
]);
