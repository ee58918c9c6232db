/**
 * What an idle Vigil process costs as the number of sites grows: with a few pending comments on every site, its
 * Redis connections, resident memory, what its JS heap holds, CPU while nobody sends anything (the compactor's hourly
 * full pass included), the Redis commands it sends while idle, and the time of a /metrics scrape. Target: 1,000 sites
 * within 10 % of 10 sites on connections, RSS and idle CPU, and every scrape under 50 ms.
 *
 *   npm run bench:sites                                   # 10 and 1,000 sites, 3 pending comments each
 *   npm run bench:sites -- --sites 10,100,1000 --idle 30  # other sizes, a longer idle window
 *   npm run bench:sites -- --heap-snapshot DIR            # keep the heap snapshots (compare them in Chrome DevTools)
 *
 * For each size: a fresh redis-server on a free port; one Vigil process (`node dist/main.js` with the service's node
 * flags, built first when src/ is newer) takes the comments over HTTP with the sites' secret keys (pre-moderated, so
 * every one waits for review) and is stopped; then a fresh process starts on that data, as after a deploy. Its first
 * compactor pass (the sites marked with feedback: none here) is measured on its own (`--pass-every` s after the
 * start); then, once V8 has shrunk the heap after start-up and `--settle` seconds more, the idle window (`--idle` s,
 * the compactor's light passes included), the compactor's hourly full pass (every site), run in this script's
 * process with the same code and measured there, the scrapes, and last a heap snapshot (V8 collects garbage first),
 * whose objects are the "live heap".
 *
 * CPU time is read from /proc/<pid>/task/<tid>/schedstat, the nanoseconds each of the process's threads ran, summed:
 * /proc/<pid>/stat counts 10 ms ticks, which over the idle window is about the size of the difference to measure.
 */
import { spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Redis from 'ioredis';
import { freePort, startOwnRedis } from '../src/infra/redis-server';
import { createSite } from '../src/sites/site-store';
import { startCompactor } from '../src/learning/compactor';
import { createLogger } from '../src/logger';
import type { Model } from '../src/classifier';
import { keys as learnKeys } from '../src/infra/keys';
import { commandLine, recordBench } from './record';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureBuilt } = require('../scripts/ensure-built');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeFlags: string[] = require('../scripts/node-flags');

const ROOT = path.resolve(__dirname, '..');
const TOKEN = 'bench-metrics-token-0123456789';
const SECRET = 'bench-secret-0123456789abcdef';

const { values } = parseArgs({
  options: {
    sites: { type: 'string', default: '10,1000' },
    pending: { type: 'string', default: '3' },
    settle: { type: 'string', default: '8' },
    /** At most this long after the first pass, wait for V8 to shrink the heap before the idle window (see measure). */
    'shrink-wait': { type: 'string', default: '90' },
    idle: { type: 'string', default: '60' },
    /**
     * LEARN_SNAPSHOT_SECONDS of the measured process: its first compactor pass (the marked sites) then comes this long
     * after it starts and is measured on its own, and the idle window holds the light passes that follow, at six times
     * the default rate of one a minute.
     */
    'pass-every': { type: 'string', default: '10' },
    scrapes: { type: 'string', default: '15' },
    'no-build': { type: 'boolean', default: false },
    /** Write a V8 heap snapshot of each measured process into this directory, after the idle window. */
    'heap-snapshot': { type: 'string' },
  },
});

interface Row {
  sites: number;
  pending: number;
  redisConnections: number;
  /** RSS after the first compactor pass, before the settle time and the idle window. */
  startRssMb: number;
  /** RSS at the end of the idle window, and the lowest and highest of its samples (one a second). */
  rssMb: number;
  /** What the JS heap holds after a full garbage collection (the heap snapshot's objects), after the scrapes. */
  liveHeapMb: number;
  rssMinMb: number;
  rssMaxMb: number;
  /** VmHWM: the most the process held at any time since it started, its first compactor pass included. */
  peakRssMb: number;
  /**
   * CPU while idle, the median of the idle window's 10 s slices: the learner's ticks and the compactor's light passes
   * (every `--pass-every` s) included.
   */
  idleCpuPct: number;
  /** The mean over the whole idle window, and each slice's. */
  idleCpuMeanPct: number;
  /** Whether V8 had shrunk the heap after start-up before the idle window began (see measure). */
  heapShrunkBeforeIdle: boolean;
  idleCpuSlicesPct: number[];
  /** Idle CPU plus the hourly full pass's CPU spread over an hour. */
  idleCpuWithPassesPct: number;
  /** The compactor's first pass after a start: the sites marked with feedback. */
  passCpuMs: number;
  passWallMs: number;
  passRedisCmds: number;
  /** The hourly full pass (every site), run in the bench's process: its CPU there, its wall time and Redis commands. */
  fullPassCpuMs: number;
  fullPassWallMs: number;
  fullPassRedisCmds: number;
  /** Every scrape's wall time, in order. */
  scrapeMs: number[];
  idleRedisCmdsPerSec: number;
  scrapeMsMedian: number;
  scrapeMsMax: number;
  /** CPU time of the Vigil process per scrape: on a shared, loaded machine wall time mostly measures the queue for a core. */
  scrapeCpuMs: number;
  startMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startVigil(redisUrl: string, port: number, opts: { heapDir?: string; passEvery?: number } = {}): ChildProcess {
  const flags = [...nodeFlags];
  if (opts.heapDir) flags.push('--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${opts.heapDir}`);
  return spawn(process.execPath, [...flags, path.join(ROOT, 'dist', 'main.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH, HOME: process.env.HOME, REDIS_URL: redisUrl, PORT: String(port), HOST: '127.0.0.1',
      LOG_LEVEL: 'warn', NODE_ENV: 'production', VIGIL_SECRET: SECRET, METRICS_TOKEN: TOKEN,
      ...(opts.passEvery ? { LEARN_SNAPSHOT_SECONDS: String(opts.passEvery) } : {}),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function ready(url: string, proc: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60000;
  while (!(await fetch(`${url}/readyz`).then((r) => r.ok, () => false))) {
    if (proc.exitCode !== null) throw new Error(`vigil exited with ${proc.exitCode}`);
    if (Date.now() > deadline) throw new Error('vigil did not become ready');
    await sleep(100);
  }
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await Promise.race([exited, sleep(15000).then(() => proc.kill('SIGKILL'))]);
}

/**
 * CPU time of a process, in ms with nanosecond resolution: the time each of its threads has run (the first field of
 * /proc/<pid>/task/<tid>/schedstat), summed. A thread that exits takes its time with it; node's threads live as long
 * as the process.
 */
function cpuMs(pid: number): number {
  let ns = 0;
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return ns / 1e6;
}

function statusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Math.round((Number(m?.[1] ?? 0) / 1024) * 10) / 10;
}
const rssMb = (pid: number) => statusMb(pid, 'VmRSS');
const peakRssMb = (pid: number) => statusMb(pid, 'VmHWM');

/**
 * Waits for the compactor's first pass (the sites marked with feedback) and measures it: the process's CPU and the Redis
 * commands from the last look before its lock was taken to the first look after it wrote the agreed delta. Looks
 * every 20 ms (two commands each, subtracted); a pass shorter than that is measured over at most two looks.
 */
async function firstCompactorPass(admin: Redis, pid: number): Promise<{ cpuMs: number; wallMs: number; commands: number }> {
  const deadline = Date.now() + 180_000;
  let before = { cpu: cpuMs(pid), cmds: await commandsProcessed(admin), at: performance.now(), looks: 0 };
  let looks = 0;
  for (;;) {
    const cpu = cpuMs(pid);
    const at = performance.now();
    const [[, locked], [, agreed]] = (await admin.multi().exists(learnKeys.learnLock()).exists(learnKeys.learnAgreed()).exec()) as Array<[Error | null, number]>;
    looks++;
    if (agreed && !locked) {
      const cmds = await commandsProcessed(admin);
      // Each look is a MULTI, two EXISTS and an EXEC; each INFO one more.
      return { cpuMs: cpuMs(pid) - before.cpu, wallMs: Math.round(performance.now() - before.at), commands: cmds - before.cmds - (looks - before.looks) * 4 - 1 };
    }
    if (!locked && !agreed) before = { cpu, cmds: await commandsProcessed(admin), at, looks };
    if (Date.now() > deadline) throw new Error('the compactor made no pass');
    await sleep(20);
  }
}

/**
 * Signals the process to write a heap snapshot (V8 collects garbage first) and renames it once written (V8 names it
 * by pid and time). Taken last: writing it costs the process memory and CPU.
 */
async function heapSnapshot(proc: ChildProcess, dir: string, name: string): Promise<string> {
  const before = new Set(fs.readdirSync(dir));
  proc.kill('SIGUSR2');
  const deadline = Date.now() + 120000;
  for (;;) {
    const file = fs.readdirSync(dir).find((f) => !before.has(f) && f.endsWith('.heapsnapshot'));
    // The file is complete once its size stops changing and its JSON closes.
    if (file) {
      const size = fs.statSync(path.join(dir, file)).size;
      await sleep(500);
      if (size > 0 && size === fs.statSync(path.join(dir, file)).size) {
        fs.renameSync(path.join(dir, file), path.join(dir, `${name}.heapsnapshot`));
        return path.join(dir, `${name}.heapsnapshot`);
      }
    }
    if (Date.now() > deadline) throw new Error('no heap snapshot written');
    await sleep(200);
  }
}

/** The sum of the self sizes of a heap snapshot's nodes, in MB: the objects live after its garbage collection. */
function liveHeap(file: string): number {
  const snap = JSON.parse(fs.readFileSync(file, 'utf8')) as { snapshot: { meta: { node_fields: string[] } }; nodes: number[] };
  const width = snap.snapshot.meta.node_fields.length;
  const at = snap.snapshot.meta.node_fields.indexOf('self_size');
  let bytes = 0;
  for (let i = at; i < snap.nodes.length; i += width) bytes += snap.nodes[i];
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

/**
 * The compactor's hourly full pass, visiting every site, run here with the service's code on the bench's data (the
 * measured process makes one only an hour after the last): this process's CPU, the wall time and the Redis commands
 * (the INFO calls around it subtracted). The sites have no feedback, so the models are never asked anything.
 */
async function fullPass(admin: Redis, url: string): Promise<{ cpuMs: number; wallMs: number; commands: number }> {
  const redis = new Redis(url);
  const model = new Proxy({}, { get: () => () => { throw new Error('the bench has no feedback to learn'); } }) as Model;
  const compactor = startCompactor({ redis, models: { spam: model, toxicity: model }, logger: createLogger('silent'), minSites: 3, retentionSeconds: 30 * 86400, intervalMs: 0 });
  try {
    await redis.ping();
    const cmds0 = await commandsProcessed(admin);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    if (!(await compactor.run({ wait: true }))) throw new Error('the full pass did not get the lock');
    const wallMs = Math.round(performance.now() - t0);
    const c = process.cpuUsage(c0);
    const commands = (await commandsProcessed(admin)) - cmds0 - 1;
    return { cpuMs: (c.user + c.system) / 1000, wallMs, commands };
  } finally {
    await compactor.close();
    redis.disconnect();
  }
}

async function commandsProcessed(admin: Redis): Promise<number> {
  return Number(/total_commands_processed:(\d+)/.exec(await admin.info('stats'))?.[1] ?? 0);
}

async function measure(sites: number, pending: number): Promise<Row> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-sites-'));
  const redis = await startOwnRedis({ port: await freePort(), dir, appendfsync: 'everysec' });
  const admin = new Redis(redis.url);
  let proc: ChildProcess | undefined;
  try {
    const limits = { commentsPerIpPerMinute: 100000, commentsPerEmailPerHour: 100000, captchasPerIpPerMinute: 100000 };
    const keys: string[] = [];
    for (let i = 0; i < sites; i++) {
      const s = await createSite(admin, { name: `site ${i}`, origins: ['https://news.example'], policy: { captcha: 'off', moderation: 'pre', rateLimits: limits } });
      keys.push(s.secretKey);
    }
    // The comments go through a first process, as in production, so each is stored and on its review queue.
    let port = await freePort();
    proc = startVigil(redis.url, port);
    let url = `http://127.0.0.1:${port}`;
    await ready(url, proc);
    const jobs = keys.flatMap((key, s) => Array.from({ length: pending }, (_, c) => ({ key, s, c })));
    const post = async ({ key, s, c }: { key: string; s: number; c: number }) => {
      const res = await fetch(`${url}/v1/comments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          threadId: `article-${c}`, author: { name: `Reader ${s}-${c}`, email: `reader${s}.${c}@example.com` },
          body: `Comment ${c} on site ${s}: the council budget figures on school funding were useful.`,
          client: { ip: `198.51.${s % 250}.${(c % 250) + 1}`, userAgent: 'Mozilla/5.0' },
        }),
      });
      if (res.status !== 201) throw new Error(`seeding answered ${res.status}: ${await res.text()}`);
    };
    for (let i = 0; i < jobs.length; i += 32) await Promise.all(jobs.slice(i, i + 32).map(post));
    await stop(proc);

    // The measured process: a fresh start on that data. What the seeding process left of the compactor's state goes,
    // so that the measured process's first pass is seen to end (it writes the agreed delta afresh).
    await admin.del(learnKeys.learnAgreed(), learnKeys.learnLock());
    port = await freePort();
    const t0 = Date.now();
    proc = startVigil(redis.url, port, { heapDir: values['heap-snapshot'] ?? dir, passEvery: Number(values['pass-every']) });
    url = `http://127.0.0.1:${port}`;
    await ready(url, proc);
    const startMs = Date.now() - t0;
    const pid = proc.pid!;
    const pass = await firstCompactorPass(admin, pid);
    const startRssMb = rssMb(pid);
    // V8's memory reducer shrinks the heap once, 15-60 s after start-up (decision 0070), with a burst of major GCs
    // (about 150 ms of CPU at either size, measured with --cpu-prof): inside one process's idle window and not the
    // other's, that alone read as +30 % idle CPU. The window starts once it has happened (RSS below 90 % of its peak),
    // or after --shrink-wait s, so that both sizes are measured in the same state.
    const shrinkDeadline = Date.now() + Number(values['shrink-wait']) * 1000;
    while (rssMb(pid) > 0.9 * peakRssMb(pid) && Date.now() < shrinkDeadline) await sleep(1000);
    const shrunk = rssMb(pid) <= 0.9 * peakRssMb(pid);
    await sleep(Number(values.settle) * 1000);
    const idleS = Number(values.idle);
    const cpu0 = cpuMs(pid);
    const cpuSamples = [cpu0];
    const cmd0 = await commandsProcessed(admin);
    const rssSamples: number[] = [];
    for (let i = 0; i < idleS; i++) {
      await sleep(1000);
      rssSamples.push(rssMb(pid));
      cpuSamples.push(cpuMs(pid));
    }
    const cpu1 = cpuMs(pid);
    const cmd1 = await commandsProcessed(admin);
    const clients = (await admin.client('LIST') as string).split('\n').filter((l) => l.trim()).length - 1;
    // Before the scrapes: the recounts a scrape starts afterwards would add their commands to the pass's.
    const full = await fullPass(admin, redis.url);
    const rss = rssSamples[rssSamples.length - 1];
    const times: number[] = [];
    const scrapeCpu0 = cpuMs(pid);
    for (let i = 0; i < Number(values.scrapes); i++) {
      const s = performance.now();
      const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      await res.text();
      if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
      times.push(performance.now() - s);
    }
    const scrapeCpuMs = Math.round(((cpuMs(pid) - scrapeCpu0) / Number(values.scrapes)) * 10) / 10;
    const peakRss = peakRssMb(pid);
    const snapshot = await heapSnapshot(proc, values['heap-snapshot'] ?? dir, `sites-${sites}`);
    const liveHeapMb = liveHeap(snapshot);
    if (!values['heap-snapshot']) fs.rmSync(snapshot);
    else process.stderr.write(`  heap snapshot: ${snapshot}\n`);
    // The target holds for every scrape, the first included (it pays for first-use compilation in either case).
    const sorted = [...times].sort((a, b) => a - b);
    const idleCpuMeanRate = (cpu1 - cpu0) / (idleS * 1000);
    // The window in slices of 10 s (each holds one light compactor pass at the default --pass-every and five learner
    // ticks): their median is the steady idle rate, which a one-off event in one slice does not move (V8's memory
    // reducer shrinks the heap once, 15-60 s after start, with a few major GCs: inside one process's window and not
    // the other's, it alone made a 50 % difference). The mean over the whole window is recorded beside it.
    const slices: number[] = [];
    for (let i = 10; i < cpuSamples.length; i += 10) slices.push((cpuSamples[i] - cpuSamples[i - 10]) / 10_000);
    const idleCpuRate = slices.length ? [...slices].sort((a, b) => a - b)[Math.floor(slices.length / 2)] : idleCpuMeanRate;
    // The pass's own CPU: what the process spent over the pass's window beyond its idle rate.
    const passCpuMs = Math.max(0, Math.round(pass.cpuMs - idleCpuRate * pass.wallMs));
    const round1 = (x: number) => Math.round(x * 10) / 10;
    return {
      sites, pending, redisConnections: clients, rssMb: rss,
      liveHeapMb, startRssMb, rssMinMb: Math.min(...rssSamples), rssMaxMb: Math.max(...rssSamples), peakRssMb: peakRss,
      idleCpuPct: Math.round(idleCpuRate * 100 * 1000) / 1000,
      idleCpuMeanPct: Math.round(idleCpuMeanRate * 100 * 1000) / 1000,
      heapShrunkBeforeIdle: shrunk,
      idleCpuSlicesPct: slices.map((x) => Math.round(x * 100 * 1000) / 1000),
      // A full pass an hour (compactor.ts FULL_PASS_EVERY intervals of the default LEARN_SNAPSHOT_SECONDS, 60 s),
      // spread over that hour.
      idleCpuWithPassesPct: Math.round((idleCpuRate * 100 + (full.cpuMs / 3_600_000) * 100) * 1000) / 1000,
      passCpuMs, passWallMs: pass.wallMs, passRedisCmds: pass.commands,
      fullPassCpuMs: Math.round(full.cpuMs), fullPassWallMs: full.wallMs, fullPassRedisCmds: full.commands,
      scrapeMs: times.map(round1),
      // Minus the INFO call of this script itself.
      idleRedisCmdsPerSec: round1((cmd1 - cmd0 - 1) / idleS),
      scrapeMsMedian: Math.round(sorted[Math.floor(sorted.length / 2)] * 10) / 10,
      scrapeMsMax: Math.round(sorted[sorted.length - 1] * 10) / 10,
      scrapeCpuMs,
      startMs,
    };
  } finally {
    if (proc) await stop(proc);
    admin.disconnect();
    await redis.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!values['no-build']) ensureBuilt(ROOT);
  const sizes = values.sites!.split(',').map(Number);
  const rows: Row[] = [];
  for (const n of sizes) {
    process.stderr.write(`${n} sites x ${values.pending} pending comments...\n`);
    rows.push(await measure(n, Number(values.pending)));
    process.stderr.write(`  ${JSON.stringify(rows[rows.length - 1])}\n`);
  }
  const base = rows[0];
  const rel = (a: number, b: number) => (b ? `${a >= b ? '+' : ''}${Math.round(((a - b) / b) * 100)}%` : '-');
  const columns = [
    'sites', 'Redis connections', 'RSS MB (min-max over the idle window)', 'peak RSS MB', 'live heap MB', 'idle CPU % (median of 10 s slices; mean)', 'idle CPU % with the hourly full pass',
    'first pass after start: CPU ms, wall ms, Redis cmds', 'hourly full pass: CPU ms, wall ms, Redis cmds', 'idle Redis cmds/s', '/metrics ms (median, max)', '/metrics CPU ms', 'ready after ms',
  ];
  const table = rows.map((r) => [
    r.sites, `${r.redisConnections} (${rel(r.redisConnections, base.redisConnections)})`,
    `${r.rssMb} (${rel(r.rssMb, base.rssMb)}; ${r.rssMinMb}-${r.rssMaxMb})`, `${r.peakRssMb} (${rel(r.peakRssMb, base.peakRssMb)})`, `${r.liveHeapMb} (${rel(r.liveHeapMb, base.liveHeapMb)})`,
    `${r.idleCpuPct} (${rel(r.idleCpuPct, base.idleCpuPct)}; mean ${r.idleCpuMeanPct}; heap shrunk before: ${r.heapShrunkBeforeIdle ? 'yes' : 'no'})`, `${r.idleCpuWithPassesPct} (${rel(r.idleCpuWithPassesPct, base.idleCpuWithPassesPct)})`,
    `${r.passCpuMs}, ${r.passWallMs}, ${r.passRedisCmds}`, `${r.fullPassCpuMs}, ${r.fullPassWallMs}, ${r.fullPassRedisCmds}`, r.idleRedisCmdsPerSec, `${r.scrapeMsMedian}, ${r.scrapeMsMax}`, r.scrapeCpuMs, r.startMs,
  ]);
  process.stdout.write([columns.join(' | '), ...table.map((r) => r.join(' | '))].join('\n') + '\n');
  const last = rows[rows.length - 1];
  const within = (a: number, b: number) => a <= b * 1.1;
  const verdicts = [
    `connections: ${within(last.redisConnections, base.redisConnections) ? 'PASS' : 'FAIL'}`,
    `RSS: ${within(last.rssMb, base.rssMb) ? 'PASS' : 'FAIL'}`,
    `live heap: ${within(last.liveHeapMb, base.liveHeapMb) ? 'PASS' : 'FAIL'}`,
    `idle CPU with the hourly full pass: ${within(last.idleCpuWithPassesPct, base.idleCpuWithPassesPct) ? 'PASS' : 'FAIL'}`,
    `every scrape under 50 ms: ${last.scrapeMsMax < 50 ? 'PASS' : 'FAIL'} (median ${last.scrapeMsMedian} ms, CPU per scrape ${last.scrapeCpuMs} ms, load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`,
  ];
  process.stdout.write(`${last.sites} sites against ${base.sites}: ${verdicts.join(', ')}\n`);
  recordBench('sites', {
    title: 'Cost of an idle process by number of sites',
    command: commandLine('npm run bench:sites --'),
    tables: [{
      caption: `Each site has ${values.pending} comments waiting for review. A fresh process (the service's node flags, LEARN_SNAPSHOT_SECONDS=${values['pass-every']}): its first compactor pass (the sites marked with feedback) measured on its own, then, once V8 has shrunk the heap after start-up (or ${values['shrink-wait']} s passed) and ${values.settle} s more, ${values.idle} s of idleness (RSS and CPU sampled every second; CPU from the threads' schedstat, in ns; idle CPU is the median of the window's 10 s slices), the hourly full pass (every site) run and measured in the bench's process, /metrics scraped ${values.scrapes} times back to back with a bearer token (summed series, the default), and last a heap snapshot, whose objects are the live heap. Idle CPU with the hourly full pass adds that pass's CPU spread over an hour.`,
      columns, rows: table,
    }],
    notes: [
      `Target: ${last.sites} sites within 10 % of ${base.sites} on connections, RSS and idle CPU, and every scrape under 50 ms: ${verdicts.join(', ')}.`,
      ...rows.map((r) => `Scrapes at ${r.sites} sites, ms in order: ${r.scrapeMs.join(', ')}.`),
      ...rows.map((r) => `Idle CPU % at ${r.sites} sites by 10 s slice: ${r.idleCpuSlicesPct.join(', ')}.`),
    ],
    raw: rows,
  });
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
