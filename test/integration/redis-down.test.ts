import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort, startOwnRedis, OwnRedis } from '../../src/infra/redis-server';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { connectRedis, createRedis } from '../../src/infra/redis';
import { loadBundledModels } from '../../src/classifier';
import { composeService } from '../../src/compose';
import { createSite } from '../../src/sites/site-store';
import { api, serverComment, TEST_SECRET } from '../helpers/test-app';

// This suite kills its own Redis, so it does not share the suite-wide one.
let own: OwnRedis;
let dir: string;
let server: http.Server;
let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-down-'));
  own = await startOwnRedis({ port: await freePort(), dir, appendfsync: 'everysec' });
  const config = loadConfig({ LOG_LEVEL: 'silent', REDIS_URL: own.url, DEV_BOOTSTRAP: 'false', VIGIL_SECRET: TEST_SECRET });
  const redis = createRedis(own.url);
  await connectRedis(redis);
  const service = await composeService({ config, redis, logger: createLogger('silent'), models: loadBundledModels(), redisUrl: own.url, workers: false });
  server = http.createServer(service.app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    for (const c of [...service.closers].reverse()) await c();
    redis.disconnect();
  };
});

afterAll(async () => {
  await close();
  await own.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('when Redis is down, then the API answers 503 service_unavailable quickly and /readyz says not ready', async () => {
  const redis = createRedis(own.url);
  await connectRedis(redis);
  const site = await createSite(redis, { name: 'down', origins: ['http://localhost:3000'] });
  redis.disconnect();
  expect((await api(url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment() })).status).toBe(201);
  own.process.kill('SIGKILL');
  await new Promise((r) => own.process.once('exit', r));
  const started = Date.now();
  const res = await api(url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment() });
  expect(res.status).toBe(503);
  expect(res.json.code).toBe('service_unavailable');
  expect(res.headers.get('retry-after')).toBeTruthy();
  expect(Date.now() - started).toBeLessThan(3000);
  expect((await api(url, 'GET', '/readyz')).status).toBe(503);
  expect((await api(url, 'GET', '/healthz')).status).toBe(200);
});
