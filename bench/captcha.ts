/**
 * Captcha issuance speed against its target: POST /v1/captchas must run at >= 70% of the rate of plain
 * svgCaptcha.create() on the same machine, measured side by side.
 *
 *   node scripts/run-ts.js bench/captcha.ts                       # 4 rounds, 12 s per kind of measurement
 *   node scripts/run-ts.js bench/captcha.ts --duration 30 --rounds 6 --connections 16
 *   node scripts/run-ts.js bench/captcha.ts --workers 2          # Vigil on every core (WORKERS=2 here)
 *
 * 1. plain svgCaptcha.create() (size 5, noise 3, colour) in a loop on this process's one thread;
 * 2. Vigil's renderer alone (renderCaptcha), the same way;
 * 3. POST /v1/captchas over HTTP against `node dist/main.js` (built first when src/ is newer) in its own process, on a
 *    redis-server this script starts on a free port, driven by autocannon from this process. Every request does the
 *    real work: key check, per-IP rate limit, failure limit, rendering and storing the answer's HMAC.
 * The server uses one core for its event loop, like the plain loop. Prints numbers; not a test.
 */
import { spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { commandLine, recordBench } from './record';
import Redis from 'ioredis';
import svgCaptcha from 'svg-captcha';
import { renderCaptcha } from '../src/captcha/render';
import { freePort, startOwnRedis } from '../src/infra/redis-server';
import { createSite } from '../src/sites/site-store';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureBuilt } = require('../scripts/ensure-built');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeFlags: string[] = require('../scripts/node-flags');

const { values } = parseArgs({
  options: {
    /** Seconds per kind of measurement, split over the rounds. */
    duration: { type: 'string', default: '12' },
    rounds: { type: 'string', default: '4' },
    connections: { type: 'string', default: '16' },
    /** API processes (WORKERS) for Vigil; the plain loop always has one thread. */
    workers: { type: 'string', default: '1' },
  },
});
const DURATION = Number(values.duration);
const ROUNDS = Number(values.rounds);
const ROOT = path.join(__dirname, '..');

function loopRate(fn: () => unknown, seconds: number): number {
  let n = 0;
  const start = process.hrtime.bigint();
  const stopAt = Date.now() + seconds * 1000;
  while (Date.now() < stopAt) {
    for (let i = 0; i < 50; i++) fn();
    n += 50;
  }
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
}

async function waitFor(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vigil exited with ${child.exitCode}`);
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer within 60 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const plainOpts = { size: 5, noise: 3, color: true, ignoreChars: '0oO1lIi', width: 180, height: 60 };
  ensureBuilt(ROOT);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-captcha-'));
  const own = await startOwnRedis({ port: await freePort(), dir, appendfsync: 'everysec' });
  const redis = new Redis(own.url);
  let vigil: ChildProcess | undefined;
  try {
    const limits = { captchasPerIpPerMinute: 100000 };
    const site = await createSite(redis, { name: 'bench', origins: ['http://localhost:3000'], policy: { captcha: 'svg', rateLimits: limits } });
    const off = await createSite(redis, { name: 'bench-off', origins: ['http://localhost:3000'], policy: { captcha: 'off', rateLimits: limits } });
    const port = await freePort();
    vigil = spawn(process.execPath, [...nodeFlags, path.join(ROOT, 'dist', 'main.js')], {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL: own.url, PORT: String(port), HOST: '127.0.0.1', DEV_BOOTSTRAP: 'false', WORKERS: values.workers!, LOG_LEVEL: 'warn', NODE_ENV: 'production', VIGIL_SECRET: 'bench-secret-0123456789abcdef' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const url = `http://127.0.0.1:${port}`;
    await waitFor(`${url}/readyz`, vigil);
    const http = async (siteKey: string, seconds: number) => {
      const r = await autocannon({
        url: `${url}/v1/captchas`, method: 'POST', headers: { authorization: `Bearer ${siteKey}` },
        connections: Number(values.connections), duration: seconds,
      });
      if (r.non2xx || r.errors) throw new Error(`${r.non2xx} non-2xx answers, ${r.errors} errors`);
      return { rate: r['2xx'] / seconds, p50: r.latency.p50, p99: r.latency.p99 };
    };
    // Warm-up: JIT, the glyph cache, the server's connections.
    loopRate(() => svgCaptcha.create(plainOpts), 2);
    loopRate(() => renderCaptcha(), 2);
    await http(site.siteKey, 2);
    await http(off.siteKey, 1);
    // Rounds alternate the measurements, so that other load on the machine weighs on all of them alike; medians
    // are reported.
    const plain: number[] = [], render: number[] = [], issue: number[] = [], offRates: number[] = [], p99: number[] = [];
    const slice = Math.max(2, Math.round(DURATION / ROUNDS));
    for (let i = 0; i < ROUNDS; i++) {
      plain.push(loopRate(() => svgCaptcha.create(plainOpts), slice));
      render.push(loopRate(() => renderCaptcha(), slice));
      const r = await http(site.siteKey, slice);
      issue.push(r.rate);
      p99.push(r.p99);
      offRates.push((await http(off.siteKey, slice)).rate);
    }
    const ratio = median(issue) / median(plain);
    const line = (label: string, xs: number[]) => `${label.padEnd(30)}${median(xs).toFixed(0)}/s  (rounds: ${xs.map((x) => x.toFixed(0)).join(', ')})\n`;
    process.stdout.write(
      `${ROUNDS} rounds of ${slice} s each, ${values.connections} connections, Vigil WORKERS=${values.workers}, load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs\n` +
      line('plain svgCaptcha.create():', plain) +
      line('Vigil renderCaptcha():', render) +
      line('POST /v1/captchas (HTTP):', issue) +
      `${''.padEnd(30)}p99 ${median(p99)} ms\n` +
      // The same route for a site with captchas off: key check, rate limit and a tiny JSON answer. It shows what the
      // HTTP path alone leaves on this machine.
      line('same route, captchas off:', offRates) +
      // Each round's own ratio too: the machine's speed can change between rounds, which moves the medians apart.
      `per-round ratios: ${issue.map((x, i) => `${((x / plain[i]) * 100).toFixed(0)}%`).join(', ')}\n` +
      `POST /v1/captchas / plain create(): ${(ratio * 100).toFixed(0)}% (target >= 70%)\n`,
    );
    const rate = (xs: number[]) => `${median(xs).toFixed(0)}/s`;
    recordBench(Number(values.workers) > 1 ? `captcha-workers-${values.workers}` : 'captcha', {
      title: `Captcha issuance against plain svg-captcha (WORKERS=${values.workers})`,
      command: commandLine('node scripts/run-ts.js bench/captcha.ts'),
      tables: [{
        columns: ['what', 'median', 'rounds'],
        rows: [
          ['plain `svgCaptcha.create()`, one thread', rate(plain), plain.map((x) => x.toFixed(0)).join(', ')],
          ["Vigil's renderer alone, one thread", rate(render), render.map((x) => x.toFixed(0)).join(', ')],
          ['`POST /v1/captchas`, svg mode, over HTTP', `${rate(issue)} (p99 ${median(p99)} ms)`, issue.map((x) => x.toFixed(0)).join(', ')],
          ['the same route with captchas off (the HTTP floor)', rate(offRates), offRates.map((x) => x.toFixed(0)).join(', ')],
          ['issuance / plain `create()`', `${(ratio * 100).toFixed(0)}%`, issue.map((x, i) => `${((x / plain[i]) * 100).toFixed(0)}%`).join(', ')],
        ],
      }],
      notes: [`${ROUNDS} alternating rounds of ${slice} s, ${values.connections} connections; target: issuance >= 70% of plain create() (${ratio >= 0.7 ? 'PASS' : 'FAIL'}).`],
      raw: { plain, render, issue, p99, off: offRates, ratio },
    });
  } finally {
    if (vigil && vigil.exitCode === null) {
      vigil.kill('SIGTERM');
      await new Promise((r) => vigil!.once('exit', r));
    }
    redis.disconnect();
    await own.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exitCode = 1;
});
