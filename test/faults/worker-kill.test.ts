import { spawn, ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';
import { until } from './helpers';

/**
 * The process running the webhook worker is SIGKILLed while a delivery is in flight. The job's lock runs
 * out, BullMQ's stalled-job check moves it back to waiting, another worker process picks it up and the delivery
 * finishes, with the same webhook-id so the receiver can drop the duplicate. (Review items are not BullMQ jobs being
 * processed: a moderator's claim is a lease that returns the item to the queue when it ends, which
 * test/integration/review.test.ts covers.)
 */
const ROOT = path.resolve(__dirname, '..', '..');
const QUEUE = `webhooks-fault-${process.pid}`;
let t: TestApp;
let receiver: http.Server;
const children: ChildProcess[] = [];

function startWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'run-ts.js'), path.join(__dirname, 'webhook-worker-process.ts'), '1500'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, REDIS_URL: process.env.TEST_REDIS_URL, VIGIL_WEBHOOK_QUEUE: QUEUE, VIGIL_WEBHOOK_ALLOWLIST: '127.0.0.1', LOG_LEVEL: 'warn', VIGIL_WEBHOOK_RETRY_SCHEDULE: '100ms,200ms' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('worker ready')) resolve(child);
    });
    child.stderr!.on('data', (d) => (out += d));
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${out}`)));
  });
}

beforeAll(async () => {
  t = await startTestApp({ VIGIL_WEBHOOK_QUEUE: QUEUE, VIGIL_WEBHOOK_ALLOWLIST: '127.0.0.1' }, { workers: false });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  receiver?.closeAllConnections();
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
  await t.close();
});

it('when the worker process dies mid-delivery, then another process takes the stalled job over and delivers it', async () => {
  const hits: Array<{ id: string; at: number }> = [];
  const w: { first?: ChildProcess } = {};
  receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      hits.push({ id: String(req.headers['webhook-id']), at: Date.now() });
      // The first attempt never gets an answer: its worker is killed while waiting for it.
      if (hits.length === 1) return w.first?.kill('SIGKILL');
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  const site = await t.site({ captcha: 'off' });
  const ep = await api(t.url, 'POST', '/v1/webhooks', { key: site.secretKey, body: { url: hookUrl, events: ['comment.created'] } });
  expect(ep.status).toBe(201);
  w.first = await startWorker();
  const posted = await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment() });
  expect(posted.status).toBe(201);
  await until('the first attempt to reach the receiver', () => hits.length >= 1);
  await until('the first worker to be dead', () => w.first!.signalCode === 'SIGKILL');

  await startWorker();
  await until('the stalled delivery to be taken over', () => hits.length >= 2, 30000);
  expect(hits[1].id).toBe(hits[0].id);
  const log = await until('the delivery log to show it delivered', async () => {
    const r = await api(t.url, 'GET', `/v1/webhooks/${ep.json.id}/deliveries`, { key: site.secretKey });
    const list = (r.json?.deliveries ?? r.json?.items ?? r.json) as Array<{ status: string }>;
    return Array.isArray(list) && list.length > 0 && list.every((d) => d.status === 'delivered') ? list : undefined;
  }, 20000);
  expect(log).toHaveLength(1);
}, 60000);
