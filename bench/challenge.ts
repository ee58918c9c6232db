/**
 * `npm run bench:challenge`: the cost model of the proof-of-work challenge, against the targets of the captcha guide.
 *
 *   npm run bench:challenge                                   # the full run (a few minutes)
 *   npm run bench:challenge -- --budget 3 --duration 3        # a quick look while developing
 *
 * 1. Solve time per difficulty level: in headless Chromium's Web Worker (the widget's own pow-worker.js, one core)
 *    and in Node (crypto's SHA-256, this thread), median and p95; levels up to --browser-max / --node-max are solved,
 *    each for about --budget seconds (at least --min-samples times; the base level --samples times).
 * 2. What one comment costs a bot at each level: 2^level hashes expected (exact for this search), at the hash rate
 *    Node measured here, in CPU-seconds.
 * 3. The difficulty schedule under a simulated flood: ten comments a second from one network to one site for 60 s,
 *    then quiet, and a flood spread over many networks, through the real issue path and Lua script against a
 *    redis-server this script starts, on a simulated clock (no waiting).
 * 4. The server's verify cost per challenge, in CPU time of Vigil's process and of Redis (not wall time): the
 *    in-process check plus what the spent-id write adds to the intake call it rides on; and its issuance rate over HTTP against the
 *    bare-express baseline (bench/baseline-server.js), alternating rounds, median of each round's ratio.
 * Writes bench/results/challenge.json and bench/RESULTS.md (bench/record.ts). A script, not a test.
 */
import { spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Redis from 'ioredis';
import { CaptchaChallenge, issueCaptcha } from '../src/captcha/issue';
import { checkCaptcha } from '../src/captcha/verify';
import { PowSpend, spendChecked } from '../src/captcha/pow-spend';
import { admitComment } from '../src/moderation/intake-script';
import type { ModerationContext, ModerationDeps } from '../src/moderation/types';
import { checkPowSolution, signPowToken, solvePow } from '../src/captcha/pow';
import { randomId } from '../src/captcha/random';
import { identityHash } from '../src/moderation/identity';
import { keys } from '../src/infra/keys';
import { consume } from '../src/infra/rate-limit';
import { ipSubject } from '../src/moderation/ip-subject';
import { freePort, startOwnRedis } from '../src/infra/redis-server';
import { connectRedis, createRequestRedis } from '../src/infra/redis';
import { createSite, getSite, Site } from '../src/sites/site-store';
import { defaultPolicy } from '../src/sites/policy';
import { solveInChromium } from './challenge-browser';
import { commandLine, recordBench } from './record';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureBuilt } = require('../scripts/ensure-built');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeFlags: string[] = require('../scripts/node-flags');

const { values } = parseArgs({
  options: {
    /** Seconds of solving per level (after the minimum number of samples). */
    budget: { type: 'string', default: '10' },
    /** Solves at the base level, where the reader's p95 target applies. */
    samples: { type: 'string', default: '60' },
    'min-samples': { type: 'string', default: '5' },
    'browser-max': { type: 'string', default: '20' },
    'node-max': { type: 'string', default: '22' },
    /** Seconds per HTTP measurement, and rounds of baseline-then-Vigil. */
    duration: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '16' },
    'no-http': { type: 'boolean', default: false },
    'no-browser': { type: 'boolean', default: false },
    /** Writes a V8 CPU profile of the Vigil server under the issuance load into this directory (--cpu-prof). */
    'cpu-prof': { type: 'string' },
  },
});
const ROOT = path.join(__dirname, '..');
const BUDGET_S = Number(values.budget);
const SECRET = Buffer.from('bench-secret-0123456789abcdef');
const policy = defaultPolicy();
const BASE = policy.powDifficulty;

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
/** Nearest-rank percentile. */
const pct = (xs: number[], p: number) => (xs.length ? sorted(xs)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)] : NaN);
const cpuUs = () => { const u = process.cpuUsage(); return u.user + u.system; };
const fmtS = (ms: number) => (Number.isNaN(ms) ? '-' : ms < 1000 ? `${(ms / 1000).toFixed(3)} s` : `${(ms / 1000).toFixed(2)} s`);

/** Node's SHA-256 tries per CPU-second, the way solvePow tries them. */
function nodeHashRate(seconds = 2): number {
  const salt = randomId();
  let n = 0;
  const c0 = cpuUs();
  const stop = Date.now() + seconds * 1000;
  while (Date.now() < stop) for (let i = 0; i < 2000; i++) checkPowSolution(salt, 32, String(n++));
  return n / ((cpuUs() - c0) / 1e6);
}

/** How many solves fit the budget at a level, given a hash rate. */
const samplesFor = (level: number, rate: number, base: number) =>
  level === BASE ? base : Math.max(Number(values['min-samples']), Math.min(base, Math.round((BUDGET_S * rate) / 2 ** level)));

function solveInNode(level: number, samples: number): { ms: number[]; cpuMs: number[] } {
  const ms: number[] = [], cpuMs: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = process.hrtime.bigint(), c0 = cpuUs();
    solvePow(randomId(), level);
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    cpuMs.push((cpuUs() - c0) / 1000);
  }
  return { ms, cpuMs };
}

interface FloodPoint { t: number; difficulty: number; cpuS: number }

/** Issues challenges through the real path on a simulated clock; `from(i)` names the network of the i-th request. */
async function simulate(redis: Redis, site: Site, perSecond: number, seconds: number, from: (i: number) => string, t0: number, rate: number): Promise<FloodPoint[]> {
  const deps = { redis, secret: SECRET, ttlSeconds: 300 };
  const points: FloodPoint[] = [];
  const step = 1000 / perSecond;
  for (let i = 0; i < perSecond * seconds; i++) {
    const now = t0 + i * step;
    const c = JSON.parse((await issueCaptcha(deps, site, identityHash(SECRET, 'ip', ipSubject(from(i))), now)).toString()) as CaptchaChallenge;
    if (c.type !== 'pow') throw new Error(`expected a pow challenge, got ${c.type}`);
    points.push({ t: (now - t0) / 1000, difficulty: c.pow.difficulty, cpuS: 2 ** c.pow.difficulty / rate });
  }
  return points;
}

/** Redis's own CPU time so far (user + system), in microseconds. */
async function redisCpuUs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const of = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? NaN);
  return (of('used_cpu_user') + of('used_cpu_sys')) * 1e6;
}

interface VerifyCost {
  /** checkCaptcha on a right answer: token HMAC, claims, one SHA-256; no Redis. Vigil CPU µs per challenge. */
  checkUs: number;
  /** What carrying the spend adds to the comment's intake script call: Vigil CPU µs, Redis CPU µs per comment. */
  foldedUs: number;
  foldedRedisUs: number;
  /** The spend as a round trip of its own (spendChecked), for callers without an intake call: Vigil, Redis CPU µs. */
  aloneUs: number;
  aloneRedisUs: number;
  /** The intake call itself, without a spend, for scale: Vigil CPU µs per comment. */
  intakeUs: number;
}

/**
 * The server's cost of verifying a proof of work, in CPU time (not wall time, which is mostly waiting on Redis): the
 * in-process check, and the spent-id write carried by the comment's intake round trip, measured as the difference
 * between intake calls with and without it, in Vigil's process and in Redis's. 16 calls in flight, as under load;
 * the two kinds of intake call alternate over `rounds` and the medians are kept.
 */
async function verifyCost(redis: Redis, site: Site, n: number, rounds = 5): Promise<VerifyCost> {
  const deps = { redis, secret: SECRET, ttlSeconds: 300 };
  const fresh = () => {
    const id = randomId();
    return { id: signPowToken(SECRET, { siteId: site.id, id, difficulty: 8, expiresAt: Date.now() + 600_000, client: 'bench' }), answer: solvePow(id, 8) };
  };
  const inFlight = async <T>(items: T[], f: (x: T) => Promise<unknown>) => {
    for (let i = 0; i < items.length; i += 16) await Promise.all(items.slice(i, i + 16).map(f));
  };
  // Warmed up first, so the figure is the steady state rather than the JIT's first calls.
  for (const t of Array.from({ length: 500 }, fresh)) await checkCaptcha(deps, site, t);
  const tokens = Array.from({ length: n }, fresh);
  const c0 = cpuUs();
  const spends = await Promise.all(tokens.map((t) => checkCaptcha(deps, site, t)));
  const checkUs = (cpuUs() - c0) / n;
  if (spends.some((x) => !x)) throw new Error('bench token refused');

  let seqNo = 0;
  // A browser comment from its own network and e-mail each, as after the captcha phase.
  const ctxOf = (): ModerationContext => ({
    deps: { redis, secret: SECRET, settings: { ipv6Prefix: 64, captchaTtlSeconds: 300 } } as unknown as ModerationDeps,
    site, via: 'browser', now: new Date(), explain: false, reasons: [], meta: {} as ModerationContext['meta'],
    client: { ip: `10.9.${(seqNo >> 8) & 255}.${seqNo & 255}`, userAgent: 'bench', referrer: '' },
    input: { body: `A reader comment of ordinary length, number ${seqNo}.`, author: { name: 'Reader', email: `reader${seqNo++}@example.com` } } as ModerationContext['input'],
  });
  const measure = async (f: () => Promise<unknown>, count: number) => {
    const r0 = await redisCpuUs(redis), v0 = cpuUs();
    await f();
    const vigil = (cpuUs() - v0) / count;
    return { vigil, redis: (await redisCpuUs(redis) - r0) / count };
  };
  // Round 0 warms both kinds of call up and is not kept; the order of the two alternates between rounds.
  const per = Math.floor(n / (rounds + 1));
  const plain: Array<{ vigil: number; redis: number }> = [], added: typeof plain = [], alone: typeof plain = [];
  for (let r = 0; r <= rounds; r++) {
    const mine = spends.slice(r * per, (r + 1) * per) as PowSpend[];
    const half = Math.floor(per / 2);
    const without = () => measure(() => inFlight(mine.slice(0, half), () => admitComment(ctxOf(), 'after-captcha')), half);
    const withSpend = () => measure(() => inFlight(mine.slice(0, half), (sp) => admitComment(ctxOf(), 'after-captcha', sp)), half);
    const [p, f] = r % 2 ? [await without(), await withSpend()] : [undefined, await withSpend()];
    const q = p ?? (await without());
    const a = await measure(() => inFlight(mine.slice(half), (sp) => spendChecked(redis, sp)), per - half);
    if (r === 0) continue;
    plain.push(q);
    added.push({ vigil: f.vigil - q.vigil, redis: f.redis - q.redis });
    alone.push(a);
  }
  const med = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)];
  return {
    checkUs,
    foldedUs: med(added.map((x) => x.vigil)),
    foldedRedisUs: med(added.map((x) => x.redis)),
    aloneUs: med(alone.map((x) => x.vigil)),
    aloneRedisUs: med(alone.map((x) => x.redis)),
    intakeUs: med(plain.map((x) => x.vigil)),
  };
}

interface IssueCost {
  /** issueCaptcha with Redis answered by a stub: keyed hash of the network, token, JSON. Vigil CPU µs. */
  inProcessUs: number;
  /** issueCaptcha through the real issue script, batched as the service batches it (16 in flight: one call): Vigil CPU µs and Redis CPU µs per challenge. */
  withRedisUs: number;
  withRedisRedisUs: number;
  /** What Redis did per challenge issued: commands run (the script's own calls included) and bytes received. */
  withRedisCommands: number;
  withRedisBytes: number;
  /** The captchas-off route's only Redis work (one rate-limit point, consume()), for comparison: Vigil, Redis CPU µs. */
  limitOnlyUs: number;
  limitOnlyRedisUs: number;
}

/**
 * Where issuance's CPU goes outside HTTP: the in-process part, and the issue script (limit, failures, pressure counts)
 * against the one rate-limit script a site with captchas off runs. 16 in flight, each from its own network.
 */
async function issueCost(redis: Redis, site: Site, n: number): Promise<IssueCost> {
  const deps = { redis, secret: SECRET, ttlSeconds: 300 };
  let seqNo = 0;
  const client = () => identityHash(SECRET, 'ip', `10.7.${(seqNo >> 8) & 255}.${seqNo++ & 255}`);
  const limit = (c: string) => ({ key: keys.rateLimit(site.id, 'captcha-ip', c), points: 100000, windowSeconds: 60 });
  const stub = { evalsha: async () => [0, 1, 1] } as unknown as Redis;
  const inProcess = async () => {
    const c0 = cpuUs();
    for (let i = 0; i < n; i++) { const c = client(); await issueCaptcha({ ...deps, redis: stub }, site, c, Date.now(), limit(c)); }
    return (cpuUs() - c0) / n;
  };
  const stats = async () => {
    const info = await redis.info('stats');
    const of = (name: string) => Number(new RegExp(`${name}:(\\d+)`).exec(info)?.[1] ?? NaN);
    return { commands: of('total_commands_processed'), bytes: of('total_net_input_bytes') };
  };
  const measure = async (f: () => Promise<unknown>) => {
    const s0 = await stats(), r0 = await redisCpuUs(redis), v0 = cpuUs();
    for (let i = 0; i < n; i += 16) await Promise.all(Array.from({ length: 16 }, f));
    const vigil = (cpuUs() - v0) / n;
    const redisUs = (await redisCpuUs(redis) - r0) / n, s1 = await stats();
    return { vigil, redis: redisUs, commands: (s1.commands - s0.commands) / n, bytes: (s1.bytes - s0.bytes) / n };
  };
  const issue = () => { const c = client(); return issueCaptcha(deps, site, c, Date.now(), limit(c)); };
  const limitOnly = () => consume(redis, limit(client()));
  await inProcess(); await measure(issue); await measure(limitOnly); // warm-up
  const inProcessUs = await inProcess();
  const a = await measure(issue), b = await measure(limitOnly);
  return { inProcessUs, withRedisUs: a.vigil, withRedisRedisUs: a.redis, withRedisCommands: a.commands, withRedisBytes: a.bytes, limitOnlyUs: b.vigil, limitOnlyRedisUs: b.redis };
}

async function waitFor(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode}`);
    if (await fetch(url).then(() => true, () => false)) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer within 60 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** User + system CPU time of a process, in microseconds (Linux /proc; clock ticks of 1/100 s). */
function cpuOfPid(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10000;
  } catch {
    return NaN;
  }
}

let seq = 0;
/** Requests per second answered, and the server's CPU µs per request (which other load on the machine moves less). */
async function cannon(url: string, opts: { path: string; headers: Record<string, string>; body?: string; forwardedFor?: boolean }, seconds: number, pid?: number): Promise<{ rate: number; cpuUs: number }> {
  const c0 = pid ? cpuOfPid(pid) : NaN;
  const r = await autocannon({
    url, connections: Number(values.connections), duration: seconds,
    requests: [{
      method: 'POST', path: opts.path, headers: opts.headers, body: opts.body,
      // Each request from another reader's network, as a site's traffic is; Vigil trusts X-Forwarded-For from loopback.
      setupRequest: (req: Record<string, unknown>) => (opts.forwardedFor ? { ...req, headers: { ...opts.headers, 'x-forwarded-for': `10.${(seq >> 16) & 255}.${(seq >> 8) & 255}.${seq++ & 255}` } } : req),
    }],
  });
  if (r.non2xx || r.errors) throw new Error(`${opts.path}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
  return { rate: r['2xx'] / seconds, cpuUs: pid ? (cpuOfPid(pid) - c0) / Math.max(1, r['2xx']) : NaN };
}

interface Issuance { baseline: number[]; issue: number[]; ratios: number[]; baselineCpuUs: number[]; issueCpuUs: number[]; off: number[]; offCpuUs: number[] }

/** `offKey` is a site with captchas off: the same route with no challenge, to tell the HTTP stack's share from the challenge's. */
async function issuanceVsBaseline(redisUrl: string, siteKey: string, offKey: string): Promise<Issuance> {
  ensureBuilt(ROOT);
  const children: ChildProcess[] = [];
  try {
    const basePort = await freePort();
    const base = spawn(process.execPath, [path.join(__dirname, 'baseline-server.js')], { env: { ...process.env, PORT: String(basePort) }, stdio: 'ignore' });
    children.push(base);
    const port = await freePort();
    const prof = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values['cpu-prof'])}`] : [];
    const vigil = spawn(process.execPath, [...nodeFlags, ...prof, path.join(ROOT, 'dist', 'main.js')], {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL: redisUrl, PORT: String(port), HOST: '127.0.0.1', DEV_BOOTSTRAP: 'false', WORKERS: '1', LOG_LEVEL: 'warn', NODE_ENV: 'production', VIGIL_SECRET: SECRET.toString(), TRUST_PROXY: 'loopback' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(vigil);
    const baseUrl = `http://127.0.0.1:${basePort}`, vigilUrl = `http://127.0.0.1:${port}`;
    await waitFor(`${vigilUrl}/readyz`, vigil);
    await waitFor(baseUrl, base);
    const echo = { path: '/echo', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ body: 'A reader comment of ordinary length for the baseline to parse.' }) };
    const issue = { path: '/v1/captchas', headers: { authorization: `Bearer ${siteKey}` }, forwardedFor: true };
    await cannon(baseUrl, echo, 2);
    await cannon(vigilUrl, issue, 2);
    const out: Issuance = { baseline: [], issue: [], ratios: [], baselineCpuUs: [], issueCpuUs: [], off: [], offCpuUs: [] };
    for (let i = 0; i < Number(values.rounds); i++) {
      const b = await cannon(baseUrl, echo, Number(values.duration), base.pid);
      const v = await cannon(vigilUrl, issue, Number(values.duration), vigil.pid);
      out.baseline.push(b.rate);
      out.issue.push(v.rate);
      out.ratios.push(v.rate / b.rate);
      out.baselineCpuUs.push(b.cpuUs);
      out.issueCpuUs.push(v.cpuUs);
      const o = await cannon(vigilUrl, { ...issue, headers: { authorization: `Bearer ${offKey}` } }, Number(values.duration), vigil.pid);
      out.off.push(o.rate);
      out.offCpuUs.push(o.cpuUs);
      process.stderr.write(`  round ${i + 1}: baseline ${b.rate.toFixed(0)}/s (${b.cpuUs.toFixed(0)} µs CPU each), POST /v1/captchas ${v.rate.toFixed(0)}/s (${v.cpuUs.toFixed(0)} µs), ${((v.rate / b.rate) * 100).toFixed(0)}%\n`);
    }
    return out;
  } finally {
    for (const c of children) {
      if (c.exitCode !== null) continue;
      c.kill('SIGTERM');
      await new Promise((r) => c.once('exit', r));
    }
  }
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-challenge-'));
  const own = await startOwnRedis({ port: await freePort(), dir, appendfsync: 'everysec' });
  const redis = new Redis(own.url);
  try {
    process.stderr.write('Node hash rate...\n');
    const rate = nodeHashRate();
    const levels: number[] = [];
    for (let l = BASE - 2; l <= Math.max(Number(values['node-max']), Number(values['browser-max'])); l++) levels.push(l);
    const base = Number(values.samples);

    const node = new Map<number, { ms: number[]; cpuMs: number[] }>();
    for (const l of levels.filter((x) => x <= Number(values['node-max']))) {
      process.stderr.write(`Node: level ${l}\n`);
      node.set(l, solveInNode(l, samplesFor(l, rate, base)));
    }
    // The browser's rate is about a third of Node's here; its sample counts are sized with a guess, then measured.
    const browserLevels = levels.filter((x) => x <= Number(values['browser-max'])).map((l) => ({ level: l, samples: samplesFor(l, rate / 3, base) }));
    process.stderr.write(`Chromium: levels ${browserLevels.map((b) => `${b.level}×${b.samples}`).join(', ')}\n`);
    const browser = values['no-browser'] ? undefined : await solveInChromium(browserLevels);
    const browserRate = browser
      ? [...browser.byLevel.values()].reduce((a, r) => a + r.tries.reduce((x, y) => x + y, 0), 0) / ([...browser.byLevel.values()].reduce((a, r) => a + r.ms.reduce((x, y) => x + y, 0), 0) / 1000)
      : NaN;

    // The flood, through the real issue path: a site with the default policy and no per-IP limit on challenges, so
    // the schedule shows what proof of work alone does (the default limit, 30 a minute, would refuse most of them).
    const created = await createSite(redis, { name: 'bench', origins: ['https://news.example'], policy: { captcha: 'pow', rateLimits: { captchasPerIpPerMinute: 100000 } } });
    const site = (await getSite(redis, created.siteId))!;
    const window = policy.powAdaptive.windowSeconds * 1000;
    const t0 = Math.ceil(Date.now() / window) * window + 7_000; // not on a bucket boundary: the sliding estimate works
    process.stderr.write('flood: 10/s from one network for 60 s, simulated\n');
    const flood = await simulate(redis, site, 10, 60, () => '203.0.113.66', t0, rate);
    const quiet = [];
    for (let s = 70; s <= 180; s += 10) quiet.push(...(await simulate(redis, site, 1, 1, () => '203.0.113.66', t0 + s * 1000, rate)).map((p) => ({ ...p, t: s })));
    process.stderr.write('flood: 100/s from 6,000 networks for 60 s, simulated\n');
    const spreadSite = (await getSite(redis, (await createSite(redis, { name: 'bench-spread', origins: ['https://news.example'], policy: { captcha: 'pow' } })).siteId))!;
    const spread = await simulate(redis, spreadSite, 100, 60, (i) => `198.18.${(i >> 8) & 255}.${i & 255}`, t0, rate);
    const at = (ps: FloodPoint[], t: number) => ps.filter((p) => p.t <= t).at(-1)!;
    const after60 = flood.at(-1)!;
    const meanCpu = flood.reduce((a, p) => a + p.cpuS, 0) / flood.length;

    process.stderr.write('verify cost...\n');
    // The service's own kind of connection (auto-pipelined), so the per-command cost is what a request pays.
    const requestRedis = createRequestRedis(own.url);
    await connectRedis(requestRedis);
    const verify = await verifyCost(requestRedis, site, 12000, 5);
    const verifyTotal = verify.checkUs + Math.max(0, verify.foldedUs) + Math.max(0, verify.foldedRedisUs);
    process.stderr.write('issue cost...\n');
    const issue = await issueCost(requestRedis, site, 8000);
    requestRedis.disconnect();
    const off = await createSite(redis, { name: 'bench-off', origins: ['https://news.example'], policy: { captcha: 'off', rateLimits: { captchasPerIpPerMinute: 100000 } } });
    const http = values['no-http'] ? undefined : await issuanceVsBaseline(own.url, created.siteKey, off.siteKey);
    const mid = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)];
    const issueRatio = http ? mid(http.ratios) : NaN;
    const offRatio = http ? mid(http.off.map((o, i) => o / http.baseline[i])) : NaN;
    // What one core could answer of each, from their CPU per request: the rate ratio on a machine with idle cores.
    const cpuRatio = http ? mid(http.baselineCpuUs) / mid(http.issueCpuUs) : NaN;

    const baseBrowser = browser?.byLevel.get(BASE);
    const targets = [
      { what: `reader p95 at the base level (${BASE} bits) in Chromium <= 1.5 s`, value: baseBrowser ? fmtS(pct(baseBrowser.ms, 95)) : 'not run', ok: !!baseBrowser && pct(baseBrowser.ms, 95) <= 1500 },
      { what: 'bot CPU-s per accepted comment after 60 s of flood >= 5', value: `${after60.cpuS.toFixed(1)} CPU-s (${after60.difficulty} bits)`, ok: after60.cpuS >= 5 },
      { what: 'verify <= 50 µs CPU per challenge (check + spend in the intake call, Vigil and Redis CPU, not wall time)', value: `${verifyTotal.toFixed(1)} µs`, ok: verifyTotal <= 50 },
      { what: 'issuance >= 70 % of the bare-express baseline (req/s, median of rounds)', value: http ? `${(issueRatio * 100).toFixed(0)} %` : 'not run', ok: issueRatio >= 0.7 },
      { what: 'issuance >= 70 % of the baseline by CPU per request (the rate one core could give each)', value: http ? `${(cpuRatio * 100).toFixed(0)} %` : 'not run', ok: cpuRatio >= 0.7 },
    ];

    const levelRows = levels.map((l) => {
      const b = browser?.byLevel.get(l), n = node.get(l);
      return [
        l, (2 ** l).toLocaleString('en'),
        b ? `${fmtS(pct(b.ms, 50))} / ${fmtS(pct(b.ms, 95))} (${b.ms.length})` : '-',
        n ? `${fmtS(pct(n.ms, 50))} / ${fmtS(pct(n.ms, 95))} (${n.ms.length})` : '-',
        (2 ** l / rate).toFixed(2),
      ];
    });
    const floodRows = [0, 10, 20, 30, 40, 50, 60].map((s) => { const p = at(flood, s); return [`${s} s`, p.difficulty, p.cpuS.toFixed(2), at(spread, s).difficulty]; })
      .concat(quiet.filter((p) => p.t % 30 === 0 || p.t === 70).map((p) => [`${p.t} s (quiet)`, p.difficulty, p.cpuS.toFixed(2), '-']));

    const out: string[] = [];
    const table = (head: Array<string | number>, rows: Array<Array<string | number>>) => {
      const w = head.map((h, i) => Math.max(String(h).length, ...rows.map((r) => String(r[i]).length)));
      out.push(head.map((h, i) => String(h).padEnd(w[i])).join('  '), w.map((x) => '-'.repeat(x)).join('  '), ...rows.map((r) => r.map((c, i) => String(c).padEnd(w[i])).join('  ')), '');
    };
    const levelHead = ['bits', 'expected hashes', 'Chromium worker median / p95 (n)', 'Node median / p95 (n)', 'bot CPU-s per comment'];
    table(levelHead, levelRows);
    const floodHead = ['time', 'difficulty, 10/s from one network', 'bot CPU-s per comment', 'difficulty, 100/s over 6,000 networks'];
    table(floodHead, floodRows);
    const serverRows = [
      ['Node SHA-256 tries per CPU-second', Math.round(rate).toLocaleString('en')],
      ['Chromium worker tries per second (all solves)', Number.isNaN(browserRate) ? '-' : Math.round(browserRate).toLocaleString('en')],
      ['verify: token and solution check in-process (checkCaptcha), Vigil CPU µs', verify.checkUs.toFixed(1)],
      ['verify: the spent-id write carried by the intake call, added CPU µs: Vigil / Redis', `${verify.foldedUs.toFixed(1)} / ${verify.foldedRedisUs.toFixed(1)}`],
      ['verify per challenge, CPU µs (the sum of the two rows above; no round trip of its own)', verifyTotal.toFixed(1)],
      ['the intake call it rides on, without the spend, Vigil CPU µs (for scale)', verify.intakeUs.toFixed(1)],
      ['the spend as its own round trip (spendChecked), CPU µs: Vigil / Redis', `${verify.aloneUs.toFixed(1)} / ${verify.aloneRedisUs.toFixed(1)}`],
      ['issue: in-process (keyed hash, token, JSON; Redis stubbed), Vigil CPU µs', issue.inProcessUs.toFixed(1)],
      ['issue: issueCaptcha with its issue script (16 at once share one call, as in the service), CPU µs: Vigil / Redis', `${issue.withRedisUs.toFixed(1)} / ${issue.withRedisRedisUs.toFixed(1)}`],
      ['issue: Redis commands run and bytes received per challenge (the same 16 at once)', `${issue.withRedisCommands.toFixed(1)}, ${issue.withRedisBytes.toFixed(0)} B`],
      ['captchas off: the one rate-limit script instead, CPU µs: Vigil / Redis', `${issue.limitOnlyUs.toFixed(1)} / ${issue.limitOnlyRedisUs.toFixed(1)}`],
      ['bot CPU-s per comment, mean over the 60 s of flood', meanCpu.toFixed(2)],
      ...(http ? [
        ['bare-express baseline req/s (median)', sorted(http.baseline)[Math.floor(http.baseline.length / 2)].toFixed(0)],
        ['POST /v1/captchas (pow) req/s (median)', sorted(http.issue)[Math.floor(http.issue.length / 2)].toFixed(0)],
        ['issuance / baseline (median of the rounds)', `${(issueRatio * 100).toFixed(0)} % (${http.ratios.map((r) => `${(r * 100).toFixed(0)} %`).join(', ')})`],
        ['server CPU µs per request: baseline / POST /v1/captchas (medians)', `${mid(http.baselineCpuUs).toFixed(0)} / ${mid(http.issueCpuUs).toFixed(0)} (${(cpuRatio * 100).toFixed(0)} %)`],
        ['the same route for a site with captchas off (the HTTP floor): req/s, CPU µs per request', `${mid(http.off).toFixed(0)}, ${mid(http.offCpuUs).toFixed(0)}`],
        ['captchas off / baseline: the share the route reaches with no challenge at all (median of the rounds)', `${(offRatio * 100).toFixed(0)} %`],
      ] : []),
    ];
    table(['what', 'figure'], serverRows);
    for (const t of targets) out.push(`${t.ok ? 'MET    ' : 'NOT MET'}  ${t.what}: ${t.value}`);
    out.push(`Chromium ${browser?.version ?? '-'}${browser?.pinned ? ' pinned to one core with taskset' : ''}; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs`);
    process.stdout.write(out.join('\n') + '\n');

    recordBench('challenge', {
      title: 'Proof-of-work challenge: solve times, bot cost under flood, verify and issuance',
      command: commandLine('npm run bench:challenge --'),
      tables: [
        { caption: `Solve time per difficulty (median / p95 wall time, solves in brackets; Chromium ${browser?.version ?? '-'}${browser?.pinned ? ' on one core' : ''}, a new Web Worker per challenge as the widget does). Bot cost = 2^bits hashes at Node's measured rate.`, columns: levelHead, rows: levelRows },
        { caption: `Difficulty under a simulated flood with the default policy (base ${BASE}, window ${policy.powAdaptive.windowSeconds} s), on the real issue path and Redis script, per-IP challenge limit lifted; "quiet" is after the flood stopped at 60 s.`, columns: floodHead, rows: floodRows },
        { columns: ['what', 'figure'], rows: serverRows },
      ],
      notes: targets.map((t) => `${t.ok ? 'MET' : 'NOT MET'}: ${t.what}: ${t.value}.`),
      raw: {
        nodeHashRate: rate, browserHashRate: browserRate, levels: Object.fromEntries(levels.map((l) => [l, { browserMs: browser?.byLevel.get(l)?.ms, nodeMs: node.get(l)?.ms }])),
        flood, quiet, spread: spread.filter((_, i) => i % 100 === 0), verify, issue, http,
      },
    });
  } finally {
    redis.disconnect();
    await own.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exitCode = 1;
});
