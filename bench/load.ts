/**
 * `npm run bench`: Vigil's HTTP throughput against a bare express baseline, measured in one run on one machine.
 *
 *   npm run bench                         # 3 rounds of: baseline, POST /v1/comments, /v1/check, /v1/captchas
 *   npm run bench -- --soak 300           # ... then 300 s of the comment path, RSS at start (after 120 s) and end
 *   npm run bench -- --duration 20 --connections 32 --workers 2 --fsync always
 *
 * Vigil runs as `node dist/main.js` in its own process (built first when src/ is newer) against a redis-server this
 * script starts on a free port in a temp dir, so the numbers include the real network hops and Redis round trips.
 * The baseline (bench/baseline-server.js) is another process with express's JSON parser and a JSON answer. Peak RSS
 * is sampled from /proc every 100 ms (summed over the process and its children when WORKERS > 1). Results go to
 * bench/results/load*.json and bench/RESULTS.md (bench/record.ts). A script, not a test: the numbers depend on the
 * machine and on what else runs on it.
 */
import { spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Redis from 'ioredis';
import { freePort, startOwnRedis } from '../src/infra/redis-server';
import { createSite } from '../src/sites/site-store';
import { loadSummary } from './load-summary';
import { commandLine, recordBench } from './record';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureBuilt } = require('../scripts/ensure-built');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeFlags: string[] = require('../scripts/node-flags');

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    soak: { type: 'string' },
    'soak-only': { type: 'boolean', default: false },
    /**
     * Seconds of load before the soak's start RSS is read, so that it is read in the steady state. With the 64 MB young
     * generation (scripts/node-flags.js) the process holds about 100 MB of start-up heap for its first ~90 s of load,
     * then returns it once: read after 30 s, the start looked 24 % above an end that was flat for four minutes.
     */
    'soak-warmup': { type: 'string', default: '120' },
    /**
     * Rounds of baseline-then-endpoints. Each endpoint's share of the baseline is taken per round, against the baseline
     * measured just before it, and the median is reported: on a shared machine the rate of both can halve for a minute,
     * and a ratio of runs minutes apart then measures the machine rather than Vigil.
     */
    rounds: { type: 'string', default: '3' },
    workers: { type: 'string', default: '1' },
    fsync: { type: 'string', default: 'everysec' },
    'log-level': { type: 'string', default: 'info' },
    /** Also write the raw result to this file. */
    out: { type: 'string' },
    /** Only the endpoints whose name contains this text (the baseline always runs). */
    only: { type: 'string' },
    /**
     * Writes V8 CPU profiles of Vigil (DIR/vigil) and of the baseline (DIR/baseline), with the number of requests each
     * answered (DIR/requests.json), for `bench/cpu-table.ts DIR`. Use it with `--only`, one endpoint at a time.
     */
    'cpu-prof': { type: 'string' },
    /** Use dist/ as it is, without rebuilding it from src/ first. */
    'no-build': { type: 'boolean', default: false },
  },
});
const ROOT = path.resolve(__dirname, '..');
const DURATION = Number(values.duration);
const ROUNDS = Math.max(1, Number(values.rounds));
const BASELINE = 'baseline (bare express JSON POST)';
const WARMUP = Number(values.warmup);
const CONNECTIONS = Number(values.connections);

interface Run {
  name: string;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  peakRssMb: number;
  /** This endpoint's rate as a share of the baseline's in the same round, one entry per round. */
  roundPcts?: number[];
  /** Median of roundPcts: the figure the targets are checked against. */
  ofBaselinePct?: number;
  /** CPU time (user + system) per request, in microseconds, of the server process(es) and of redis-server. */
  cpuUsPerReq: number;
  redisCpuUsPerReq?: number;
}

/** Resident memory of a process and all its descendants, in bytes (0 once it is gone). */
function rssOf(pid: number): number {
  let total = 0;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
    for (const t of fs.readdirSync(`/proc/${pid}/task`)) {
      const kids = fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim();
      for (const k of kids ? kids.split(/\s+/) : []) total += rssOf(Number(k));
    }
  } catch {
    /* the process ended between two reads */
  }
  return total;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return 0;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** User + system CPU time of a process and all its descendants, in microseconds. */
function cpuOf(pid: number): number {
  let total = 0;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of /proc/PID/stat (utime, stime), in clock ticks of 1/100 s on Linux.
    total += (Number(f[11]) + Number(f[12])) * 10000;
    for (const t of fs.readdirSync(`/proc/${pid}/task`)) {
      const kids = fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim();
      for (const k of kids ? kids.split(/\s+/) : []) total += cpuOf(Number(k));
    }
  } catch {
    /* the process ended between two reads */
  }
  return total;
}

let redisPid: number | undefined;

function sampleRss(pid: number): { stop(): number } {
  let peak = rssOf(pid);
  const t = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 100);
  return {
    stop: () => {
      clearInterval(t);
      return Math.max(peak, rssOf(pid));
    },
  };
}

async function waitFor(url: string, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => child.kill('SIGKILL'), 15000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

const SENTENCES = [
  'Thanks for the thorough reporting on the council budget.',
  'The figures on school funding were genuinely useful to our parents group.',
  'I walk past that junction every morning and the new crossing has made a difference.',
  'Does anyone know whether the library will keep its Saturday hours?',
  'Good to see the bus timetable finally published in full.',
  'My neighbour said the same thing at the last public meeting.',
  'I would like to see more coverage of the housing plans on the east side.',
  'This is the third article this month about the bridge repairs.',
];

let seq = 0;
/** A different commenter, IP and text each time, so rate limits and the duplicate-body signal see normal traffic. */
function commentBody(): string {
  const i = seq++;
  const text = `${SENTENCES[i % SENTENCES.length]} ${SENTENCES[(i * 7 + 3) % SENTENCES.length]} (reader ${i})`;
  return JSON.stringify({
    threadId: `article-${i % 50}`,
    author: { name: `Reader ${i % 997}`, email: `reader${i}@example.com` },
    body: text,
    client: { ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, userAgent: 'Mozilla/5.0 (bench)', referrer: 'https://news.example/a' },
  });
}

function checkBody(): string {
  const i = seq++;
  return JSON.stringify({ body: `${SENTENCES[i % SENTENCES.length]} ${SENTENCES[(i * 5 + 1) % SENTENCES.length]}`, author: { name: 'Reader', email: 'r@example.com' } });
}

function fakeIp(): string {
  const i = seq++;
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}

interface Target {
  url: string;
  path: string;
  headers: Record<string, string>;
  body?: () => string;
  /** Varies X-Forwarded-For (trusted from loopback) for endpoints limited by the connection's IP. */
  forwardedFor?: boolean;
}

/** Requests answered per server URL, warm-ups included, so that a CPU profile can be read per request. */
const answered = new Map<string, number>();

function cannon(t: Target, seconds: number): Promise<any> {
  return new Promise((resolve, reject) => {
    const inst = autocannon(
      {
        url: t.url,
        connections: CONNECTIONS,
        duration: seconds,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            path: t.path,
            headers: t.headers,
            setupRequest: (req: any) => {
              const headers = t.forwardedFor ? { ...t.headers, 'x-forwarded-for': fakeIp() } : t.headers;
              return { ...req, headers, body: t.body ? t.body() : undefined };
            },
          },
        ],
      },
      (err: Error | null, result: any) => {
        if (err) return reject(err);
        answered.set(t.url, (answered.get(t.url) ?? 0) + result.requests.total);
        resolve(result);
      },
    );
    void inst;
  });
}

async function measure(name: string, t: Target, pid: number, seconds = DURATION): Promise<Run> {
  if (WARMUP > 0) await cannon(t, WARMUP);
  const rss = sampleRss(pid);
  const cpu0 = cpuOf(pid), redisCpu0 = redisPid ? cpuOf(redisPid) : 0;
  const r = await cannon(t, seconds);
  const cpu = cpuOf(pid) - cpu0, redisCpu = redisPid ? cpuOf(redisPid) - redisCpu0 : 0;
  const peak = rss.stop();
  const run: Run = {
    name,
    requestsPerSec: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    peakRssMb: Math.round(peak / 1048576),
    // CPU per request does not depend on what else the machine runs, unlike requests/s on 2 shared cores.
    cpuUsPerReq: Math.round(cpu / Math.max(1, r.requests.total)),
    ...(redisPid && redisCpu ? { redisCpuUsPerReq: Math.round(redisCpu / Math.max(1, r.requests.total)) } : {}),
  };
  process.stderr.write(`  ${name}: ${run.requestsPerSec} req/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms, non-2xx ${run.non2xx}, CPU ${run.cpuUsPerReq} µs/req (redis ${run.redisCpuUsPerReq ?? '-'})\n`);
  return run;
}

async function main(): Promise<void> {
  const profDir = values['cpu-prof'] ? path.resolve(values['cpu-prof']) : undefined;
  if (!values['no-build']) ensureBuilt(ROOT);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-'));
  const redisPort = await freePort();
  const redis = await startOwnRedis({ port: redisPort, dir, appendfsync: values.fsync as 'always' | 'everysec' });
  redisPid = redis.process.pid;
  const children: ChildProcess[] = [];
  const cleanup = async () => {
    for (const c of children) await stop(c);
    await redis.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));
  try {
    const admin = new Redis(redis.url);
    const limits = { commentsPerIpPerMinute: 100000, commentsPerEmailPerHour: 100000, captchasPerIpPerMinute: 100000 };
    const site = await createSite(admin, { name: 'bench', origins: ['https://news.example'], policy: { rateLimits: limits, captcha: 'svg' } });
    admin.disconnect();

    const profArgs = (name: string) => (profDir ? ['--cpu-prof', '--cpu-prof-dir', path.join(profDir, name)] : []);
    const basePort = await freePort();
    const base = spawn(process.execPath, [...profArgs('baseline'), path.join(__dirname, 'baseline-server.js')], { env: { ...process.env, PORT: String(basePort) }, stdio: 'ignore' });
    children.push(base);
    const vigilPort = await freePort();
    const vigil = spawn(process.execPath, [...nodeFlags, ...profArgs('vigil'), path.join(ROOT, 'dist', 'main.js')], {
      cwd: ROOT,
      env: {
        ...process.env, REDIS_URL: redis.url, PORT: String(vigilPort), HOST: '127.0.0.1', DEV_BOOTSTRAP: 'false',
        WORKERS: values.workers, LOG_LEVEL: values['log-level'], NODE_ENV: 'production', VIGIL_SECRET: 'bench-secret-0123456789abcdef',
      },
      // Logs go to /dev/null rather than a pipe nobody reads, which would stall the process once the pipe is full.
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(vigil);
    const baseUrl = `http://127.0.0.1:${basePort}`;
    const vigilUrl = `http://127.0.0.1:${vigilPort}`;
    // The baseline answers only POST /echo; any HTTP answer at all means it is listening.
    await waitFor(vigilUrl + '/readyz', 60000, vigil);
    await new Promise((r) => setTimeout(r, 300));
    const json = { 'content-type': 'application/json' };
    const sk = { ...json, authorization: `Bearer ${site.secretKey}` };
    const pk = { authorization: `Bearer ${site.siteKey}` };

    process.stderr.write(`bench: ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s per endpoint, WORKERS=${values.workers}, appendfsync ${values.fsync}, LOG_LEVEL ${values['log-level']}\n`);
    const runs: Run[] = [];
    if (!values['soak-only']) {
      const want = (name: string) => !values.only || name.includes(values.only);
      const perRound: Run[][] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        if (ROUNDS > 1) process.stderr.write(`round ${round} of ${ROUNDS}\n`);
        const these: Run[] = [];
        these.push(await measure(BASELINE, { url: baseUrl, path: '/echo', headers: json, body: commentBody }, base.pid!));
        if (want('comments')) these.push(await measure('POST /v1/comments', { url: vigilUrl, path: '/v1/comments', headers: sk, body: commentBody }, vigil.pid!));
        if (want('check')) these.push(await measure('POST /v1/check', { url: vigilUrl, path: '/v1/check', headers: sk, body: checkBody }, vigil.pid!));
        if (want('captchas')) these.push(await measure('POST /v1/captchas', { url: vigilUrl, path: '/v1/captchas', headers: pk, forwardedFor: true }, vigil.pid!));
        perRound.push(these);
      }
      runs.push(...combineRounds(perRound));
    }
    let soak: Record<string, number | number[]> | undefined;
    if (values.soak) {
      const seconds = Number(values.soak);
      process.stderr.write(`soak: ${seconds} s of POST /v1/comments\n`);
      const t: Target = { url: vigilUrl, path: '/v1/comments', headers: sk, body: commentBody };
      // Start-up leaves garbage (model decoding, first JIT tiers) that the first minute's GCs return: the start RSS is
      // read after a warm-up under the same load, and the RSS every 30 s is printed so a trend shows either way.
      await cannon(t, Number(values['soak-warmup']));
      // RSS follows the garbage collector's sawtooth (±15 % here), so one reading at each end says little: it is
      // sampled every 5 s and the medians of the first and the last minute are compared.
      const firstRss = rssOf(vigil.pid!);
      const timeline: number[] = [];
      const tick = setInterval(() => timeline.push(rssOf(vigil.pid!)), 5000);
      const run = await measure('soak POST /v1/comments', t, vigil.pid!, seconds);
      clearInterval(tick);
      const lastRss = rssOf(vigil.pid!);
      const minute = Math.min(12, Math.floor(timeline.length / 2));
      const startRss = median(timeline.slice(0, minute).concat(minute ? [] : [firstRss]));
      const endRss = median(timeline.slice(timeline.length - minute).concat(minute ? [] : [lastRss]));
      process.stderr.write(`  soak RSS every 5 s (MB): ${timeline.map((b) => Math.round(b / 1048576)).join(' ')}\n`);
      soak = {
        seconds, requestsPerSec: run.requestsPerSec, p99Ms: run.p99Ms, requests: run.requests, non2xx: run.non2xx,
        rssStartMb: Math.round(startRss / 1048576), rssEndMb: Math.round(endRss / 1048576), peakRssMb: run.peakRssMb,
        rssGrowthPct: Math.round(((endRss - startRss) / startRss) * 1000) / 10,
        warmupSeconds: Number(values['soak-warmup']),
        rssFirstReadingMb: Math.round(firstRss / 1048576), rssLastReadingMb: Math.round(lastRss / 1048576),
      };
      Object.assign(soak, { rssEvery5sMb: timeline.map((b) => Math.round(b / 1048576)) });
    }
    const result = report(runs, soak);
    if (values.out) fs.writeFileSync(values.out, JSON.stringify(result, null, 2) + '\n');
    // A partial run (--only) or another worker count is its own section of RESULTS.md, so it never hides the full run.
    const recordName = ['load', Number(values.workers) > 1 ? `workers-${values.workers}` : '', values.only ? `only-${values.only}` : '']
      .filter(Boolean).join('-').toLowerCase().replace(/[^a-z0-9-]+/g, '-');
    const written = recordBench(recordName, { ...loadSummary(result), command: commandLine('npm run bench --'), raw: result });
    process.stdout.write(`\nwritten to ${path.relative(process.cwd(), written)} and bench/RESULTS.md\n`);
    if (profDir) {
      // node writes the profiles themselves when the processes exit, in cleanup below.
      fs.mkdirSync(profDir, { recursive: true });
      const requests = { baseline: answered.get(baseUrl) ?? 0, vigil: answered.get(vigilUrl) ?? 0 };
      fs.writeFileSync(path.join(profDir, 'requests.json'), JSON.stringify(requests) + '\n');
      process.stdout.write(`CPU profiles in ${profDir}; read them with: node scripts/run-ts.js bench/cpu-table.ts ${profDir}\n`);
    }
  } finally {
    await cleanup();
  }
}

/**
 * One row per endpoint from several rounds: medians of the rates, latencies and CPU times, the worst peak RSS and the
 * sums of the counts, and each round's share of that round's baseline.
 */
function combineRounds(perRound: Run[][]): Run[] {
  return perRound[0].map((first, i) => {
    const xs = perRound.map((r) => r[i]);
    const roundPcts = perRound.map((r) => Math.round((r[i].requestsPerSec / Math.max(1, r[0].requestsPerSec)) * 1000) / 10);
    const med = (f: (r: Run) => number) => median(xs.map(f));
    const sum = (f: (r: Run) => number) => xs.reduce((a, r) => a + f(r), 0);
    const redis = xs.filter((r) => r.redisCpuUsPerReq !== undefined);
    return {
      name: first.name, requestsPerSec: med((r) => r.requestsPerSec), p50Ms: med((r) => r.p50Ms), p99Ms: med((r) => r.p99Ms),
      maxMs: Math.max(...xs.map((r) => r.maxMs)), requests: sum((r) => r.requests), non2xx: sum((r) => r.non2xx),
      errors: sum((r) => r.errors), timeouts: sum((r) => r.timeouts), peakRssMb: Math.max(...xs.map((r) => r.peakRssMb)),
      cpuUsPerReq: med((r) => r.cpuUsPerReq),
      ...(redis.length ? { redisCpuUsPerReq: median(redis.map((r) => r.redisCpuUsPerReq!)) } : {}),
      roundPcts, ofBaselinePct: median(roundPcts),
    };
  });
}

function report(runs: Run[], soak?: Record<string, any>) {
  const rows = runs.map((r, i) => [
    r.name, String(r.requestsPerSec), i === 0 ? '100%' : `${r.ofBaselinePct}%`, r.p50Ms.toFixed(1), r.p99Ms.toFixed(1), String(r.peakRssMb), String(r.non2xx + r.errors),
    String(r.cpuUsPerReq), r.redisCpuUsPerReq === undefined ? '-' : String(r.redisCpuUsPerReq),
  ]);
  const head = ['endpoint', 'req/s', 'of baseline', 'p50 ms', 'p99 ms', 'peak RSS MB', 'non-2xx/err', 'CPU µs/req', 'redis µs/req'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  if (ROUNDS > 1) {
    out.push('', `${ROUNDS} rounds; req/s, latencies and CPU are medians; "of baseline" is the median of each round's share:`);
    for (const r of runs.slice(1)) out.push(`  ${r.name}: ${r.roundPcts!.map((p) => `${p}%`).join(', ')}`);
  }
  const comments = runs.find((r) => r.name === 'POST /v1/comments');
  const check = runs.find((r) => r.name === 'POST /v1/check');
  const targets: Record<string, boolean> = {};
  if (comments) {
    targets['comments >= 50% of baseline'] = (comments.ofBaselinePct ?? 0) >= 50;
    targets['comments p99 < 50 ms'] = comments.p99Ms < 50;
  }
  if (check) targets['check >= 70% of baseline'] = (check.ofBaselinePct ?? 0) >= 70;
  if (soak) {
    out.push('', `soak: ${soak.seconds} s, ${soak.requestsPerSec} req/s, p99 ${soak.p99Ms} ms, RSS (median of the first and the last minute) ${soak.rssStartMb} MB -> ${soak.rssEndMb} MB (${soak.rssGrowthPct}%), single readings ${soak.rssFirstReadingMb} -> ${soak.rssLastReadingMb} MB, non-2xx ${soak.non2xx}`);
    targets['soak RSS within 10%'] = Math.abs(soak.rssGrowthPct) <= 10;
  }
  out.push('', ...Object.entries(targets).map(([k, ok]) => `${ok ? 'PASS' : 'FAIL'}  ${k}`));
  process.stdout.write(out.join('\n') + '\n');
  return {
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version },
    settings: { connections: CONNECTIONS, durationSeconds: DURATION, warmupSeconds: WARMUP, rounds: ROUNDS, workers: Number(values.workers), appendfsync: values.fsync, logLevel: values['log-level'] },
    runs,
    ...(soak ? { soak } : {}),
    targets,
  };
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
