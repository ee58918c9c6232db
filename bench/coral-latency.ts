/**
 * Time to answer Coral's external moderation phase (POST /v1/integrations/coral/:siteId), one request at a time as
 * Coral sends them (one per comment, waiting for the answer), against a redis-server of its own. Coral's default
 * phase timeout is 200 ms; the goal is to answer within 300 ms. Prints and writes bench/coral-latency.json.
 *
 *   node scripts/run-ts.js bench/coral-latency.ts [--requests 500]
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { connectRedis, createRequestRedis } from '../src/infra/redis';
import { freePort, startOwnRedis } from '../src/infra/redis-server';
import { loadBundledModels } from '../src/classifier';
import { composeService } from '../src/compose';
import { createSite } from '../src/sites/site-store';
import { setCoralSigningSecret } from '../src/integrations/coral/signing-secret';
import { coralSignature } from '../src/integrations/coral/signature';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '500' }, out: { type: 'string', default: path.join(__dirname, 'coral-latency.json') } } });
const N = Number(values.requests);

const TEXTS = [
  'Thanks for the thorough reporting on the council budget; the figures on school funding were useful.',
  'You are a stupid idiot and a disgrace, shut up you moron.',
  '<p>I disagree with the mayor here.<br>The numbers from last year tell another story.</p>',
  'Visit my site for great deals on watches and shoes, best prices online today http://deals.example',
];

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-coral-bench-'));
  const own = await startOwnRedis({ port: await freePort(), dir, appendfsync: 'everysec' });
  const config = loadConfig({ LOG_LEVEL: 'silent', REDIS_URL: own.url, DEV_BOOTSTRAP: 'false', LEARN_FROM_FEEDBACK: 'false' });
  const redis = createRequestRedis(own.url);
  await connectRedis(redis);
  const service = await composeService({ config, redis, logger: createLogger('silent'), models: loadBundledModels(), redisUrl: own.url, workers: false });
  const server = http.createServer(service.app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const site = await createSite(redis, { name: 'bench', origins: [] });
    const secret = `ems_${crypto.randomBytes(32).toString('hex')}`;
    await setCoralSigningSecret(redis, service.ctx.moderation.secret, site.siteId, secret);
    const url = `${base}/v1/integrations/coral/${site.siteId}`;
    const ms: number[] = [];
    const statuses: Record<string, number> = {};
    for (let i = 0; i < N + 50; i++) {
      const body = JSON.stringify({
        action: 'NEW', // A different text each time: a repeated body is held as a duplicate, which is not the common case.
        comment: { body: `${TEXTS[i % TEXTS.length]} (${i})`, parentID: null },
        author: { id: crypto.randomUUID(), role: 'COMMENTER' }, story: { id: `story-${i % 20}`, url: 'https://news.example/s' },
        site: { id: 'coral-site' }, tenantID: 't', tenantDomain: 'news.example',
      }, null, 2);
      const t0 = process.hrtime.bigint();
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-coral-signature': coralSignature(body, [secret]) }, body });
      await res.text();
      const elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
      if (i >= 50) {
        ms.push(elapsed);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      }
    }
    ms.sort((a, b) => a - b);
    const q = (p: number) => Math.round(ms[Math.min(ms.length - 1, Math.ceil(p * ms.length) - 1)] * 100) / 100;
    const out = {
      at: new Date().toISOString(),
      command: `node scripts/run-ts.js bench/coral-latency.ts --requests ${N}`,
      machine: `${os.cpus()[0]?.model} x${os.cpus().length}, node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`,
      requests: N, warmup: 50, statuses,
      ms: { p50: q(0.5), p95: q(0.95), p99: q(0.99), max: q(1) },
      within300ms: ms.filter((x) => x <= 300).length / ms.length,
    };
    fs.writeFileSync(values.out!, JSON.stringify(out, null, 2) + '\n');
    console.log(JSON.stringify(out, null, 2));
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    for (const c of [...service.closers].reverse()) await c();
    redis.disconnect();
    await own.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
