import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Redis from 'ioredis';
import { freePort, startOwnRedis, OwnRedis } from '../../src/infra/redis-server';
import { connectRedis, createRedis } from '../../src/infra/redis';
import { keys } from '../../src/infra/keys';
import { reconcileOnLease, RECONCILE_LEASE_MS } from '../../src/review/intake';
import { until } from '../helpers/wait';

/**
 * The review-queue reconcile runs in one process of the deployment per interval, start-up included. Its own
 * redis-server: the lease is one key for the whole deployment, which the suite's other apps would take.
 */
let own: OwnRedis;
let tmp: string;
let a: Redis;
let b: Redis;
beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-review-reconcile-'));
  own = await startOwnRedis({ port: await freePort(), dir: tmp, appendfsync: 'everysec' });
  // Two processes' connections.
  a = createRedis(own.url);
  b = createRedis(own.url);
  await Promise.all([connectRedis(a), connectRedis(b)]);
});
beforeEach(() => a.del(keys.reviewReconcileLock()));
afterAll(async () => {
  a.disconnect();
  b.disconnect();
  await own.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

it('when several processes start at once, then exactly one reconciles and holds the lease for about an interval', async () => {
  const runs: string[] = [];
  const results = await Promise.all([a, b, a, b].map((redis, i) => reconcileOnLease({ redis }, undefined, async () => {
    runs.push(`process ${i}`);
    return 2;
  })));
  expect(runs).toHaveLength(1);
  expect(results.filter((r) => r === 2)).toHaveLength(1);
  expect(results.filter((r) => r === undefined)).toHaveLength(3);
  const ttl = await a.pttl(keys.reviewReconcileLock());
  expect(ttl).toBeGreaterThan(RECONCILE_LEASE_MS - 60_000);
  expect(ttl).toBeLessThanOrEqual(RECONCILE_LEASE_MS);
});

it('when the process holding the lease crashed, then its lease expires and the next process to try reconciles', async () => {
  let runs = 0;
  const run = async () => ++runs;
  // The leader takes a short lease and dies without releasing it (nothing releases a lease).
  expect(await reconcileOnLease({ redis: a }, 300, run)).toBe(1);
  expect(await reconcileOnLease({ redis: b }, 300, run)).toBeUndefined();
  expect(runs).toBe(1);
  await until('the crashed leader\'s lease to expire', async () => (await b.pttl(keys.reviewReconcileLock())) === -2);
  expect(await reconcileOnLease({ redis: b }, 300, run)).toBe(2);
});

it('when the reconcile fails, then the lease is still held, so a failing Redis is not hammered by every process', async () => {
  await expect(reconcileOnLease({ redis: a }, undefined, async () => {
    throw new Error('Redis blinked');
  })).rejects.toThrow('Redis blinked');
  let ran = false;
  expect(await reconcileOnLease({ redis: b }, undefined, async () => {
    ran = true;
    return 0;
  })).toBeUndefined();
  expect(ran).toBe(false);
});
