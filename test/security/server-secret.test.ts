import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Redis from 'ioredis';
import { freePort, startOwnRedis, OwnRedis } from '../../src/infra/redis-server';
import { connectRedis, createRedis } from '../../src/infra/redis';
import { keys } from '../../src/infra/keys';
import { loadServerSecret, SECRET_FILE } from '../../src/infra/server-secret';

/**
 * The server secret keys the hashes of e-mails and IPs and the captcha HMACs; whoever holds a Redis dump and the
 * secret can test guesses against those hashes in seconds. So the secret never lives in Redis.
 */
let own: OwnRedis;
let redis: Redis;
let tmp: string;
beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-secret-'));
  own = await startOwnRedis({ port: await freePort(), dir: path.join(tmp, 'redis'), appendfsync: 'everysec' });
  redis = createRedis(own.url);
  await connectRedis(redis);
});
beforeEach(() => redis.flushall());
afterAll(async () => {
  redis.disconnect();
  await own.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const dataDir = () => fs.mkdtempSync(path.join(tmp, 'data-'));

async function redisHolds(secret: Buffer): Promise<boolean> {
  for (const k of await redis.keys('*')) {
    const type = await redis.type(k);
    const v = type === 'string' ? await redis.get(k) : JSON.stringify(await redis.hgetall(k).catch(() => ({})));
    if (v && (v.includes(secret.toString('base64')) || v.includes(secret.toString('hex')))) return true;
  }
  return false;
}

it('when no VIGIL_SECRET is set, then a 0600 key file under the data directory holds the secret and Redis does not', async () => {
  const dir = dataDir();
  const secret = await loadServerSecret({ redis, dataDir: dir, production: false });
  const file = path.join(dir, SECRET_FILE);
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  expect(secret.length).toBe(32);
  expect(await redis.exists(keys.serverSecret())).toBe(0);
  expect(await redisHolds(secret)).toBe(false);
  // A restart reads the same secret back.
  expect((await loadServerSecret({ redis, dataDir: dir, production: false })).equals(secret)).toBe(true);
});

it('when an older version left its secret in Redis, then it moves into the key file and leaves Redis', async () => {
  const old = crypto.randomBytes(32).toString('base64');
  await redis.set(keys.serverSecret(), old);
  const dir = dataDir();
  const secret = await loadServerSecret({ redis, dataDir: dir, production: false });
  expect(secret.equals(Buffer.from(old, 'base64'))).toBe(true);
  expect(fs.readFileSync(path.join(dir, SECRET_FILE), 'utf8').trim()).toBe(old);
  expect(await redis.exists(keys.serverSecret())).toBe(0);
});

it('when NODE_ENV=production and VIGIL_SECRET is unset, then the start fails and says what to set', async () => {
  const dir = dataDir();
  await expect(loadServerSecret({ redis, dataDir: dir, production: true })).rejects.toThrow(/VIGIL_SECRET is required when NODE_ENV=production/);
  expect(fs.existsSync(path.join(dir, SECRET_FILE))).toBe(false);
  const set = await loadServerSecret({ redis, dataDir: dir, production: true, configured: 'a-long-enough-operator-secret' });
  expect(set.toString('utf8')).toBe('a-long-enough-operator-secret');
  expect(await redisHolds(set)).toBe(false);
  expect(JSON.stringify(await redis.mget(await redis.keys('*')))).not.toContain('a-long-enough-operator-secret');
  // A key file made earlier (say, copied onto the volume during an upgrade) is accepted.
  await redis.flushall();
  const made = await loadServerSecret({ redis, dataDir: dir, production: false });
  expect((await loadServerSecret({ redis, dataDir: dir, production: true })).equals(made)).toBe(true);
});

it('when a second instance starts on the same Redis with another secret, then it refuses to start', async () => {
  await loadServerSecret({ redis, dataDir: dataDir(), production: false });
  await expect(loadServerSecret({ redis, dataDir: dataDir(), production: false })).rejects.toThrow(/different server secret/);
  await expect(loadServerSecret({ redis, dataDir: dataDir(), production: false, configured: 'another-operator-secret' })).rejects.toThrow(/different server secret/);
});
