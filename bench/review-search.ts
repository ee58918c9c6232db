/**
 * What the review lists' search costs in Redis, with secondary indexes against a bounded scan of the same list: one
 * site with `--comments` decided comments (rejected list), a rare author with 3 of them among `--authors` others.
 * Prints and records: the time of an author search through the e-mail index, the time of the same question answered
 * by scanning (a filter checked on each comment, 2,000 entries per request, as many requests as the list needs), the
 * memory the indexes take per comment next to the comment itself, and the time to store a comment with and without
 * the index writes.
 *
 *   node scripts/run-ts.js bench/review-search.ts                      # 20,000 comments
 *   node scripts/run-ts.js bench/review-search.ts -- --comments 50000
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Redis from 'ioredis';
import { freePort, startOwnRedis } from '../src/infra/redis-server';
import { persistComment, StoredComment } from '../src/comments/comment-store';
import { emailIdentity, maskEmail } from '../src/moderation/identity';
import { facetWrites } from '../src/review/search-index';
import { listReview, SCAN_BUDGET } from '../src/review/list';
import { keys } from '../src/infra/keys';
import { commandLine, recordBench } from './record';

const { values } = parseArgs({ options: { comments: { type: 'string', default: '20000' }, authors: { type: 'string', default: '2000' }, runs: { type: 'string', default: '15' } } });
const N = Number(values.comments);
const AUTHORS = Number(values.authors);
const RUNS = Number(values.runs);
const SECRET = Buffer.from('bench-secret-0123456789abcdef');
const RETENTION = 90 * 86400;
const SITE = 'benchsite';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function comment(i: number, email: string, body: string): StoredComment {
  return {
    id: crypto.randomUUID(), siteId: SITE, threadId: `article-${i % 200}`,
    author: { name: `Reader ${email.split('@')[0]}`, emailMasked: maskEmail(email), emailHash: emailIdentity(SECRET, email, false) },
    body, status: 'rejected', scores: { spam: (i % 97) / 100, toxicity: (i % 89) / 100 }, reasons: ['possibly_toxic', 'moderator_reject'],
    client: { ipHash: 'x'.repeat(32), userAgent: 'Mozilla/5.0', referrer: 'https://news.example/' },
    via: 'server', createdAt: new Date(Date.now() - (N - i) * 1000).toISOString(),
  };
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-search-'));
  const own = await startOwnRedis({ port: await freePort(), dir, appendfsync: 'no' });
  const redis = new Redis(own.url);
  try {
    const hook = facetWrites(SECRET, RETENTION);
    const rare = 'rare.author@example.org';
    const body = 'A comment about the council budget, the tram line and the new library opening hours, long enough to be typical.';
    for (let i = 0; i < N; i += 500) {
      await Promise.all(Array.from({ length: Math.min(500, N - i) }, (_, j) => {
        const k = i + j;
        const isRare = k === Math.floor(N / 4) || k === Math.floor(N / 2) || k === Math.floor((3 * N) / 4);
        const email = isRare ? rare : `reader${k % AUTHORS}@example.com`;
        const c = comment(k, email, isRare ? `${body} quokka` : body);
        return persistComment(redis, c, { retentionSeconds: RETENTION, extra: (w) => hook(w, c) });
      }));
    }
    const q = { siteId: SITE, queue: 'rejected' as const, order: 'newest' as const, limit: 25 };
    const indexed: number[] = [];
    const scanned: number[] = [];
    let requests = 0;
    for (let r = 0; r < RUNS; r++) {
      indexed.push(await time(async () => {
        const page = await listReview(redis, SECRET, 'm', { ...q, author: rare });
        if (page.items.length !== 3) throw new Error(`index search found ${page.items.length}`);
      }));
      // The same question without the index: a check on every comment, the whole list through the scan budget.
      scanned.push(await time(async () => {
        let cursor: string | undefined;
        let found = 0;
        requests = 0;
        do {
          const page = await listReview(redis, SECRET, 'm', { ...q, text: 'quokka', ...(cursor ? { cursor } : {}) });
          found += page.items.length;
          cursor = page.next;
          requests++;
        } while (cursor);
        if (found !== 3) throw new Error(`scan found ${found}`);
      }));
    }
    const mem = async (k: string) => Number(await redis.memory('USAGE', k, 'SAMPLES', '0'));
    const listBytes = (await mem(keys.reviewListByTime(SITE, 'rejected'))) + (await mem(keys.reviewListByScore(SITE, 'rejected')));
    let facetBytes = 0;
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `vigil:{${SITE}}:review:facet:*`, 'COUNT', 1000);
      for (const k of found) facetBytes += await mem(k);
      cursor = next;
    } while (cursor !== '0');
    const sample = await redis.scan('0', 'MATCH', `vigil:{${SITE}}:comment:*`, 'COUNT', 50);
    const commentBytes = median(await Promise.all(sample[1].map(mem)));

    // Storing: the same comment records with and without the list and facet writes, one script per comment. CPU of
    // this process (building and sending the script) and of Redis (running it), per comment.
    const redisCpu = async () => {
      const info = await redis.info('cpu');
      const v = (k: string) => Number(new RegExp(`${k}:([\\d.]+)`).exec(info)?.[1] ?? 0);
      return (v('used_cpu_user') + v('used_cpu_sys')) * 1e6;
    };
    const cpu: Record<string, { node: number[]; redis: number[] }> = { plain: { node: [], redis: [] }, indexed: { node: [], redis: [] } };
    const store = async (withIndex: boolean) => {
      const c0 = process.cpuUsage();
      const r0 = await redisCpu();
      const t = await time(async () => {
        for (let i = 0; i < 2000; i += 100) {
          await Promise.all(Array.from({ length: 100 }, (_, j) => {
            const c = { ...comment(i + j, `w${j}@example.com`, body), siteId: withIndex ? 'w-index' : 'w-plain', status: 'pending' as const, decidedElsewhere: withIndex ? undefined : 'coral' as const };
            return persistComment(redis, c, { retentionSeconds: RETENTION, ...(withIndex ? { extra: (w) => hook(w, c) } : {}) });
          }));
        }
      });
      const c1 = process.cpuUsage(c0);
      const r1 = await redisCpu();
      const into = cpu[withIndex ? 'indexed' : 'plain'];
      into.node.push((c1.user + c1.system) / 2000);
      into.redis.push((r1 - r0) / 2000);
      return t / 2000;
    };
    const plain = median([await store(false), await store(false), await store(false)]);
    const withIdx = median([await store(true), await store(true), await store(true)]);

    const result = {
      comments: N, authors: AUTHORS, runs: RUNS, scanBudget: SCAN_BUDGET,
      authorSearchIndexMs: median(indexed), authorSearchScanMs: median(scanned), scanRequests: requests,
      indexBytesPerComment: Math.round((listBytes + facetBytes) / N), commentBytes,
      storeMsPerCommentPlain: plain, storeMsPerCommentIndexed: withIdx,
      nodeCpuUsPerCommentPlain: median(cpu.plain.node), nodeCpuUsPerCommentIndexed: median(cpu.indexed.node),
      redisCpuUsPerCommentPlain: median(cpu.plain.redis), redisCpuUsPerCommentIndexed: median(cpu.indexed.redis),
    };
    console.log(JSON.stringify(result, null, 2));
    recordBench('review-search', {
      title: 'Review search: secondary indexes against a bounded scan',
      command: commandLine('node scripts/run-ts.js bench/review-search.ts'),
      tables: [{
        caption: `One site, ${N} rejected comments from ${AUTHORS + 1} authors; a rare author has 3 of them. Medians of ${RUNS} runs.`,
        columns: ['measure', 'value'],
        rows: [
          ['author search through the e-mail index (ms)', result.authorSearchIndexMs.toFixed(2)],
          [`same search by scanning the list (ms, ${requests} requests of ${SCAN_BUDGET} entries)`, result.authorSearchScanMs.toFixed(1)],
          ['index bytes per comment (lists by time and score, author, name and thread facets)', result.indexBytesPerComment],
          ['bytes of one comment record', commentBytes],
          ['store one comment without the index writes (ms, 100 in flight)', plain.toFixed(3)],
          ['store one comment with them (ms, 100 in flight)', withIdx.toFixed(3)],
          ['CPU of the storing process per comment without / with them (µs)', `${result.nodeCpuUsPerCommentPlain.toFixed(0)} / ${result.nodeCpuUsPerCommentIndexed.toFixed(0)}`],
          ['CPU of Redis per comment without / with them (µs)', `${result.redisCpuUsPerCommentPlain.toFixed(0)} / ${result.redisCpuUsPerCommentIndexed.toFixed(0)}`],
        ],
      }],
      notes: ['Redis 7 on the same machine as the script; the scan reads every comment of the list, which is what a search without an index must do.'],
      raw: result,
    });
  } finally {
    redis.disconnect();
    await own.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
