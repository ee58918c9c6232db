import type Redis from 'ioredis';
import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';
import { getComment } from '../../src/comments/comment-store';
import { createWorkerRedis } from '../../src/infra/redis';
import { keys } from '../../src/infra/keys';
import { readFeedback } from '../../src/learning/feedback';
import { readAudit } from '../../src/review/audit';
import { decide, undoDecision } from '../../src/review/decisions';
import type { Actor, ReviewDeps } from '../../src/review/deps';
import { ReviewQueues } from '../../src/review/queue';

/**
 * A process can die between any two Redis commands of a review decision. These tests let a decision (and an undo)
 * run against a connection that is cut after its k-th command, for every k until one runs through, and check after
 * each cut that Redis holds all of the decision or none of it: never a decided comment without its audit entry, its
 * undo record, its author history or its learning feedback.
 */
let t: TestApp;
let queueRedis: Redis;
let d: ReviewDeps;
beforeAll(async () => {
  t = await startTestApp();
  queueRedis = createWorkerRedis(process.env.TEST_REDIS_URL!);
  const queues = new ReviewQueues(queueRedis, { leaseMs: 30000, checkStalled: false });
  d = {
    redis: t.redis, queues, events: t.service.ctx.events, models: t.service.ctx.moderation.models, logger: t.service.ctx.logger,
    settings: { leaseMs: 30000, undoSeconds: 60, retentionSeconds: 86400 },
  };
  afterAllClose.push(() => queues.close());
});
const afterAllClose: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of afterAllClose) await c();
  queueRedis.disconnect();
  await t.close();
});

/** The suite's client, but every command after the `cutAfter`-th fails as if the connection had dropped. */
function cutConnection(redis: Redis, cutAfter: number): { redis: Redis; commands: () => number } {
  let n = 0;
  const proxy = new Proxy(redis, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function' || prop === 'constructor') return v;
      return (...args: unknown[]) => {
        n++;
        if (n > cutAfter) throw new Error('Connection is closed.');
        return v.apply(target, args);
      };
    },
  });
  return { redis: proxy, commands: () => n };
}

/** What one decision writes, as Redis holds it now. */
async function traces(siteId: string, commentId: string, emailHash: string) {
  const c = await getComment(t.redis, siteId, commentId);
  const audit = (await readAudit(t.redis, siteId, { limit: 1000 })).entries.filter((e) => e.commentId === commentId);
  const feedback = (await readFeedback(t.redis, siteId, 10000)).filter((f) => f.feedback.commentId === commentId);
  const history = await t.redis.hget(keys.reviewAuthor(siteId, emailHash), 'approved');
  return {
    decided: c?.needsReview !== true && c?.status === 'approved',
    audit: audit.map((e) => e.action),
    feedback: feedback.map((f) => (f.feedback.withdraw ? 'withdraw' : 'learn')),
    approvals: Number(history ?? 0),
    undo: (await t.redis.exists(keys.reviewUndo(siteId, commentId))) === 1,
  };
}

describe('review decisions are atomic', () => {
  it('when the connection is cut after any command of a decision, then Redis holds all of the decision or none of it', async () => {
    const site = await t.site({ captcha: 'off', moderation: 'pre', rateLimits: { commentsPerIpPerMinute: 1000, commentsPerEmailPerHour: 1000 } });
    const actor: Actor = { id: 'mod-atomic', name: 'Ann', role: 'moderator', siteIds: [site.siteId] };
    let completed = false;
    for (let cut = 0; cut < 60 && !completed; cut++) {
      const posted = await api(t.url, 'POST', '/v1/comments', {
        key: site.secretKey,
        body: serverComment({ author: { name: 'Jo', email: `jo${cut}@example.com` }, body: `Comment ${cut} on the library opening hours.` }),
      });
      expect(posted.json.status).toBe('pending');
      const id = posted.json.id as string;
      const emailHash = (await getComment(t.redis, site.siteId, id))!.author.emailHash;
      const conn = cutConnection(t.redis, cut);
      completed = await decide({ ...d, redis: conn.redis }, actor, { commentId: id, decision: 'approve', note: 'ok' }).then(() => true, () => false);
      const seen = await traces(site.siteId, id, emailHash);
      const all = { decided: true, audit: ['decision'], feedback: ['learn', 'learn'], approvals: 1, undo: true };
      const none = { decided: false, audit: [], feedback: [], approvals: 0, undo: false };
      expect([all, none]).toContainEqual(seen);
      if (completed) expect(seen).toEqual(all);
    }
    expect(completed).toBe(true);
  });

  it('when the connection is cut after any command of an undo, then the decision is either wholly in place or wholly taken back', async () => {
    const site = await t.site({ captcha: 'off', moderation: 'pre', rateLimits: { commentsPerIpPerMinute: 1000, commentsPerEmailPerHour: 1000 } });
    const actor: Actor = { id: 'mod-atomic-undo', name: 'Bo', role: 'moderator', siteIds: [site.siteId] };
    let completed = false;
    for (let cut = 0; cut < 60 && !completed; cut++) {
      const posted = await api(t.url, 'POST', '/v1/comments', {
        key: site.secretKey,
        body: serverComment({ author: { name: 'Sam', email: `sam${cut}@example.com` }, body: `Question ${cut} about the park.` }),
      });
      const id = posted.json.id as string;
      const emailHash = (await getComment(t.redis, site.siteId, id))!.author.emailHash;
      await decide(d, actor, { commentId: id, decision: 'approve' });
      completed = await undoDecision({ ...d, redis: cutConnection(t.redis, cut).redis }, actor, id).then(() => true, () => false);
      const seen = await traces(site.siteId, id, emailHash);
      const decidedState = { decided: true, audit: ['decision'], feedback: ['learn', 'learn'], approvals: 1, undo: true };
      const undone = { decided: false, audit: ['undo', 'decision'], feedback: ['learn', 'learn', 'withdraw', 'withdraw'], approvals: 0, undo: false };
      expect([decidedState, undone]).toContainEqual(seen);
      if (completed) expect(seen).toEqual(undone);
    }
    expect(completed).toBe(true);
  });
});
