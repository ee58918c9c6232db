import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Redis from 'ioredis';
import { freePort, startOwnRedis, OwnRedis } from '../../src/infra/redis-server';
import { connectRedis, createRedis, createWorkerRedis } from '../../src/infra/redis';
import { keys } from '../../src/infra/keys';
import { ReviewQueues } from '../../src/review/queue';
import { until } from '../helpers/wait';

/**
 * A process's review work grows with activity, not with the number of sites: no Redis connection and no timer per
 * site. Its own redis-server, so the connections counted are this test's alone.
 */
let own: OwnRedis;
let admin: Redis;
let tmp: string;
beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-review-scale-'));
  own = await startOwnRedis({ port: await freePort(), dir: tmp, appendfsync: 'everysec' });
  admin = createRedis(own.url);
  await connectRedis(admin);
});
afterAll(async () => {
  admin.disconnect();
  await own.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const clients = async () => (await admin.client('LIST') as string).split('\n').filter((l) => l.trim()).length;

it('when items are added and claimed on many sites, then the queues use one connection whatever the number of sites', async () => {
  const connection = createWorkerRedis(own.url);
  await connectRedis(connection);
  const before = await clients();
  const queues = new ReviewQueues(connection, { leaseMs: 60000, checkStalled: true });
  try {
    const sites = Array.from({ length: 40 }, (_, i) => `site${String(i).padStart(12, '0')}`);
    for (const siteId of sites) {
      await queues.add({ siteId, commentId: `c-${siteId}`, createdAt: new Date().toISOString() }, 1);
      const claimed = await queues.claim(siteId);
      expect(claimed?.job.data.commentId).toBe(`c-${siteId}`);
    }
    expect(await clients()).toBe(before);
    expect(await admin.zcard(keys.reviewClaimedSites())).toBe(40);
  } finally {
    await queues.close();
    connection.disconnect();
  }
});

it('when a claim lapses, then one sweep returns it to its queue and forgets the site once nothing is claimed there', async () => {
  const connection = createWorkerRedis(own.url);
  await connectRedis(connection);
  // A short lease; the process that claimed it goes away without deciding.
  const claimer = new ReviewQueues(connection, { leaseMs: 300, checkStalled: false });
  const siteId = 'lapsed0000000000';
  await claimer.add({ siteId, commentId: 'c-lapsed', createdAt: new Date().toISOString() }, 1);
  expect(await claimer.claim(siteId)).toBeDefined();
  await claimer.close();
  // Another process's sweep, which never saw that site before, finds it through the claimed-sites set.
  const sweeper = new ReviewQueues(connection, { leaseMs: 300, checkStalled: true });
  try {
    const back = await until('the lapsed claim is claimable again', async () => {
      await sweeper.sweepStalled();
      return sweeper.claim(siteId);
    }, 10000);
    expect(back.job.data.commentId).toBe('c-lapsed');
    await sweeper.finish(siteId, 'c-lapsed', back.token, { decision: 'approve' });
    await sweeper.sweepStalled();
    expect(await admin.zscore(keys.reviewClaimedSites(), siteId)).toBeNull();
  } finally {
    await sweeper.close();
    connection.disconnect();
  }
});
