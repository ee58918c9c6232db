import type { RequestHandler, Response } from 'express';
import type Redis from 'ioredis';
import { ForbiddenError, UnauthorizedError } from '../../errors';
import type { Actor } from '../../review/deps';
import { moderatorForToken } from '../../sites/moderator-store';

/**
 * Authenticates a moderator token: `Authorization: Bearer <token>` for the API and the /moderate page, or HTTP Basic
 * with the token as password, which is what a browser can send when it opens /admin/queues directly.
 */
export function moderatorAuth(redis: Redis, opts: { admin?: boolean; basicChallenge?: boolean } = {}): RequestHandler {
  return async (req, res, next) => {
    const auth = req.get('authorization') ?? '';
    let token: string | undefined;
    if (/^bearer /i.test(auth)) token = auth.slice(7).trim();
    else if (/^basic /i.test(auth)) {
      const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
      token = decoded.slice(decoded.indexOf(':') + 1);
    }
    const mod = token ? await moderatorForToken(redis, token) : undefined;
    if (!mod) {
      if (opts.basicChallenge) res.setHeader('WWW-Authenticate', 'Basic realm="Vigil admin", charset="UTF-8"');
      throw new UnauthorizedError('Send a moderator token as "Authorization: Bearer <token>".');
    }
    if (opts.admin && mod.role !== 'admin') throw new ForbiddenError('This needs an admin moderator.');
    res.locals.actor = { id: mod.id, name: mod.name, role: mod.role, siteIds: mod.siteIds } satisfies Actor;
    next();
  };
}

export function actorOf(res: Response): Actor {
  return res.locals.actor as Actor;
}
