import { spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, OwnRedis, startOwnRedis } from '../../src/infra/redis-server';
import { connectRedis, createRedis, createWorkerRedis } from '../../src/infra/redis';
import { api, serverComment, startTestApp } from '../helpers/test-app';

/**
 * REDIS_URL=redis://<sentinel>:26379/?sentinel=<master name>: Vigil finds the master through Redis Sentinel. A real
 * master and a real sentinel are started on free ports; the whole app runs against the sentinel URL.
 */
let dir: string;
let master: OwnRedis;
let sentinel: ChildProcess;
let sentinelUrl: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-sentinel-'));
  master = await startOwnRedis({ port: await freePort(), dir: path.join(dir, 'master'), appendfsync: 'everysec' });
  const port = await freePort();
  const conf = path.join(dir, 'sentinel.conf');
  fs.writeFileSync(conf, [
    `port ${port}`, 'bind 127.0.0.1', `dir ${dir}`,
    `sentinel monitor vigilmaster 127.0.0.1 ${new URL(master.url).port} 1`,
    'sentinel down-after-milliseconds vigilmaster 2000',
  ].join('\n') + '\n');
  sentinel = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' });
  sentinelUrl = `redis://127.0.0.1:${port}/?sentinel=vigilmaster`;
  const probe = createRedis(sentinelUrl);
  const deadline = Date.now() + 15000;
  for (;;) {
    try {
      await connectRedis(probe, 2000);
      break;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
  }
  probe.disconnect();
});
afterAll(async () => {
  sentinel?.kill('SIGTERM');
  await master?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('when REDIS_URL names a sentinel, then request and worker connections reach the master it reports', async () => {
  const r = createRedis(sentinelUrl);
  await connectRedis(r);
  await r.set('vigil:{sentinel-test}:probe', 'yes');
  const w = createWorkerRedis(sentinelUrl);
  expect(await w.get('vigil:{sentinel-test}:probe')).toBe('yes');
  expect((await r.info('server')).includes(`tcp_port:${new URL(master.url).port}`)).toBe(true);
  r.disconnect();
  w.disconnect();
});

it('when the whole app runs on the sentinel URL, then comments are stored and read back', async () => {
  const saved = process.env.TEST_REDIS_URL;
  process.env.TEST_REDIS_URL = sentinelUrl;
  const t = await startTestApp({ VIGIL_WEBHOOK_QUEUE: `webhooks-sentinel-${process.pid}` }).finally(() => (process.env.TEST_REDIS_URL = saved));
  try {
    const site = await t.site({ captcha: 'off' });
    const c = await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment() });
    expect(c.status).toBe(201);
    expect((await api(t.url, 'GET', `/v1/comments/${c.json.id}`, { key: site.secretKey })).status).toBe(200);
  } finally {
    await t.close();
  }
});
