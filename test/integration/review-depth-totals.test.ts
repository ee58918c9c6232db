import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Redis from 'ioredis';
import { freePort, startOwnRedis, OwnRedis } from '../../src/infra/redis-server';
import { connectRedis, createRedis, createWorkerRedis } from '../../src/infra/redis';
import { keys } from '../../src/infra/keys';
import { createSite } from '../../src/sites/site-store';
import { ReviewQueues } from '../../src/review/queue';
import { DEPTH_INTERVAL_MS, reviewDepthTotals } from '../../src/review/depth-totals';
import { until } from '../helpers/wait';

/** The summed review queue depth of /metrics. Its own redis-server: the sum covers every site of the deployment. */
let own: OwnRedis;
let tmp: string;
let redis: Redis;
let connection: Redis;
let queues: ReviewQueues;
/** countsOf calls, as the scrapes' Redis work on every site. */
let counted = 0;
const counting = { countsOf: (ids: string[]) => (counted++, queues.countsOf(ids)) };

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-review-depth-'));
  own = await startOwnRedis({ port: await freePort(), dir: tmp, appendfsync: 'everysec' });
  redis = createRedis(own.url);
  connection = createWorkerRedis(own.url);
  await Promise.all([connectRedis(redis), connectRedis(connection)]);
  queues = new ReviewQueues(connection, { leaseMs: 60000, checkStalled: false });
  for (let s = 0; s < 12; s++) {
    const { siteId } = await createSite(redis, { name: `site ${s}`, origins: ['https://news.example'] });
    for (let c = 0; c < 2; c++) await queues.add({ siteId, commentId: `c${s}-${c}`, createdAt: new Date().toISOString() }, 1);
    if (s < 3) expect(await queues.claim(siteId)).toBeDefined();
  }
});
afterAll(async () => {
  await queues.close();
  connection.disconnect();
  redis.disconnect();
  await own.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

it('when the first scrape finds no count, then it answers without one at once and the count is made after its answer', async () => {
  const t0 = 1_900_000_000_000;
  let afterAnswer: (() => void) | undefined;
  expect(await reviewDepthTotals(redis, counting, t0, (work) => (afterAnswer = work))).toBeUndefined();
  expect(counted).toBe(0);
  afterAnswer!();
  await until('the count', async () => (await redis.hget(keys.reviewDepthTotals(), 'at')) === String(t0));
  expect(await reviewDepthTotals(redis, counting, t0 + 1)).toEqual({ waiting: 21, claimed: 3 });
  expect(counted).toBe(1);
});

it('when many processes scrape within the interval, then every site is counted once per interval, and the next interval counts again', async () => {
  const t0 = 1_900_000_000_000;
  const before = counted;
  for (let i = 2; i < 40; i++) expect(await reviewDepthTotals(redis, counting, t0 + i * 200)).toEqual({ waiting: 21, claimed: 3 });
  expect(counted).toBe(before);
  // A moderator decides one (its job leaves the queue); the next interval's first scrape still answers the stored
  // count at once and counts anew after it.
  const job = (await queues.claim((await redis.zrange(keys.siteIndex(), 0, 0))[0]))!;
  await queues.finish(job.job.data.siteId, job.job.data.commentId, job.token, 'approved');
  await redis.del(keys.reviewDepthTotalsLock());
  const t1 = t0 + DEPTH_INTERVAL_MS + 1;
  expect(await reviewDepthTotals(redis, counting, t1)).toEqual({ waiting: 21, claimed: 3 });
  await until('the new count', async () => (await reviewDepthTotals(redis, counting, t1 + 1))?.waiting === 20);
  expect(counted).toBe(before + 1);
});
