import path from 'node:path';
import express, { Router } from 'express';
import { keys } from '../../infra/keys';
import type { AppContext } from '../context';
import { WEB_DIR } from '../web-dir';

/**
 * /demo: a news article with Vigil's comment form, and /demo/config.json telling it the dev site's public key.
 * The key is public by design; a demo?siteKey=... query overrides it to try another site.
 */
export function demoRoutes(ctx: AppContext): Router {
  // strict, so that /demo and /demo/ are different routes and the redirect cannot loop.
  const r = Router({ strict: true });
  r.get('/demo/config.json', async (_req, res) => {
    const raw = await ctx.redis.get(keys.devBootstrap());
    const dev = raw ? (JSON.parse(raw) as { siteKey?: string }) : {};
    res.setHeader('Cache-Control', 'no-store').json({ siteKey: dev.siteKey ?? null, apiBase: '' });
  });
  // Relative asset URLs in the page need the trailing slash.
  r.get('/demo', (req, res) => {
    const q = req.originalUrl.indexOf('?');
    res.redirect(301, `/demo/${q >= 0 ? req.originalUrl.slice(q) : ''}`);
  });
  r.use('/demo', express.static(path.join(WEB_DIR, 'demo'), { index: 'index.html', fallthrough: true }));
  return r;
}
