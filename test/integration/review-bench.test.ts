import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';
import { createModerator } from '../../src/sites/moderator-store';

/**
 * Measures the moderators' API on the suite's real Redis: claim and decision latency with several moderators working
 * one queue at once. Skipped unless REVIEW_BENCH=1, so the normal suite stays quick:
 *   REVIEW_BENCH=1 npx jest test/integration/review-bench.test.ts
 */
const run = process.env.REVIEW_BENCH === '1' ? describe : describe.skip;
const ITEMS = Number(process.env.REVIEW_BENCH_ITEMS ?? 300);
const MODERATORS = 4;

let t: TestApp;
beforeAll(async () => {
  if (process.env.REVIEW_BENCH === '1') t = await startTestApp();
});
afterAll(() => t?.close());

const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)];
const fmt = (xs: number[]) => `p50 ${q(xs, 0.5).toFixed(1)} ms, p95 ${q(xs, 0.95).toFixed(1)} ms`;

run('review API bench', () => {
  it(`when ${MODERATORS} moderators clear ${ITEMS} items at once, then each item is decided exactly once`, async () => {
    const site = await t.site({ captcha: 'off', moderation: 'pre', rateLimits: { commentsPerIpPerMinute: 100000, commentsPerEmailPerHour: 100000 } });
    const tokens = await Promise.all(
      Array.from({ length: MODERATORS }, (_, i) => createModerator(t.redis, { name: `m${i}`, role: 'moderator', siteIds: [site.siteId] }).then((m) => m.token)),
    );
    for (let i = 0; i < ITEMS; i++) {
      const r = await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment({
        body: `Bench comment ${i} about the riverside park and its cycle path.`,
        author: { name: `Reader ${i}`, email: `reader${i}@example.com` },
        client: { ip: `198.51.${i >> 8}.${i & 255}`, userAgent: 'Mozilla/5.0', referrer: 'https://news.example/a' },
      }) });
      if (r.json?.status !== 'pending') throw new Error(r.text);
    }
    const claims: number[] = [];
    const decisions: number[] = [];
    const seen = new Set<string>();
    const start = performance.now();
    await Promise.all(
      tokens.map(async (token) => {
        for (;;) {
          let t0 = performance.now();
          const c = await api(t.url, 'POST', '/v1/review/claim', { key: token });
          claims.push(performance.now() - t0);
          if (c.status === 204) return;
          const id = c.json.item.commentId as string;
          expect(seen.has(id)).toBe(false);
          seen.add(id);
          t0 = performance.now();
          const d = await api(t.url, 'POST', `/v1/review/${id}/decision`, { key: token, body: { decision: 'approve' } });
          decisions.push(performance.now() - t0);
          expect(d.status).toBe(200);
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    expect(seen.size).toBe(ITEMS);
    process.stdout.write(
      `review bench: ${ITEMS} items, ${MODERATORS} moderators, ${(ITEMS / seconds).toFixed(0)} decisions/s; ` +
        `claim ${fmt(claims)}; decision ${fmt(decisions)}\n`,
    );
  });
});
