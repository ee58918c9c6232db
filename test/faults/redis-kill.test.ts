import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { freePort, OwnRedis, startOwnRedis } from '../../src/infra/redis-server';
import { keys } from '../../src/infra/keys';
import { createSite } from '../../src/sites/site-store';
import { commentPayload, keepAliveAgent, loadUntil, Outcome, post, spawnVigil, until, VigilProcess } from './helpers';

/**
 * Redis is killed with SIGKILL in the middle of a load of comment submissions and started again on the same
 * AOF (appendfsync always). Every comment that was answered 201 must be there afterwards; while Redis was down the
 * clients must get 503 quickly (no hangs, no 500); the same Vigil process must recover on its own.
 */
let dir: string;
let port: number;
let redis: OwnRedis;
let vigil: VigilProcess | undefined;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-fault-redis-'));
  port = await freePort();
  redis = await startOwnRedis({ port, dir, appendfsync: 'always' });
});
afterAll(async () => {
  if (vigil) {
    vigil.proc.kill('SIGKILL');
    await vigil.exited;
  }
  await redis.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('when Redis is SIGKILLed under load and restarted, then no 201 is lost, the outage answers 503 fast and Vigil recovers', async () => {
  const admin = new Redis(redis.url);
  const limits = { commentsPerIpPerMinute: 100000, commentsPerEmailPerHour: 100000 };
  const site = await createSite(admin, { name: 'fault', origins: ['https://news.example'], policy: { rateLimits: limits, captcha: 'off' } });
  admin.disconnect();
  vigil = await spawnVigil({ REDIS_URL: redis.url });
  const url = `${vigil.url}/v1/comments`;
  const agent = keepAliveAgent();

  let phase: 'before' | 'down' | 'after' = 'before';
  const tagged: Array<Outcome & { phase: string }> = [];
  let stop = false;
  const load = loadUntil(8, () => stop, async (i) => {
    const at = phase;
    const o = await post(agent, url, site.secretKey, commentPayload(i, 'redis-kill'));
    tagged.push({ ...o, phase: at });
    return o;
  });

  await until('some comments stored before the crash', () => tagged.filter((o) => o.status === 201).length >= 30);
  redis.process.kill('SIGKILL');
  await new Promise<void>((r) => (redis.process.exitCode !== null || redis.process.signalCode !== null ? r() : redis.process.once('exit', () => r())));
  phase = 'down';
  await until('503 answers while Redis is down', () => tagged.filter((o) => o.phase === 'down' && o.status === 503).length >= 20);
  redis = await startOwnRedis({ port, dir, appendfsync: 'always' });
  phase = 'after';
  await until('Vigil to store comments again without a restart', () => tagged.filter((o) => o.phase === 'after' && o.status === 201).length >= 20, 30000);
  stop = true;
  await load;
  agent.destroy();

  const statuses = new Set(tagged.map((o) => o.status));
  expect([...statuses].filter((s) => s !== 201 && s !== 503)).toEqual([]);
  const down = tagged.filter((o) => o.phase === 'down' && o.status === 503);
  // "Quickly": a 503 never waits for a client timeout; the slowest is bounded by the connect timeout.
  expect(Math.max(...down.map((o) => o.ms))).toBeLessThan(2500);
  expect(down.every((o) => JSON.parse(o.body).code === 'service_unavailable')).toBe(true);

  const acknowledged = tagged.filter((o) => o.status === 201).map((o) => o.id!);
  expect(acknowledged.length).toBeGreaterThan(50);
  const check = new Redis(redis.url);
  const stored = await check.mget(acknowledged.map((id) => keys.comment(site.siteId, id)));
  check.disconnect();
  const missing = acknowledged.filter((_, i) => !stored[i]);
  expect(missing).toEqual([]);
  expect(vigil.proc.exitCode).toBeNull();
}, 90000);
