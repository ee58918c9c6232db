/**
 * The reader's side of bench/challenge.ts: solves proof-of-work challenges with the widget's own solver
 * (src/web/demo/pow-worker.js) in a Web Worker of headless Chromium, one new worker per challenge as the widget starts
 * them, and times each from postMessage to the answer. Chromium runs under `taskset` on one core when taskset exists,
 * so the figure is what one core does, whatever else the machine runs on its other cores.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { randomId } from '../src/captcha/random';

const WORKER = path.join(__dirname, '..', 'src', 'web', 'demo', 'pow-worker.js');
const CHROMIUM = '/usr/bin/chromium';

export interface BrowserSolves {
  /** Wall milliseconds per solve, worker start included. */
  ms: number[];
  /** Hashes tried per solve (n + 1). */
  tries: number[];
}

/** Serves a blank page and the worker script on a free loopback port. */
async function serve(): Promise<{ url: string; close(): Promise<void> }> {
  const worker = fs.readFileSync(WORKER);
  const server = http.createServer((req, res) => {
    if (req.url === '/pow-worker.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(worker);
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>pow bench</title>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => new Promise((r) => server.close(() => r())) };
}

/** A wrapper that starts Chromium pinned to one core (the last), or Chromium itself when taskset is missing. */
function oneCoreChromium(dir: string): { executable: string; pinned: boolean } {
  if (!fs.existsSync('/usr/bin/taskset')) return { executable: CHROMIUM, pinned: false };
  const wrapper = path.join(dir, 'chromium-one-core');
  fs.writeFileSync(wrapper, `#!/bin/sh\nexec /usr/bin/taskset -c ${os.cpus().length - 1} ${CHROMIUM} "$@"\n`, { mode: 0o755 });
  return { executable: wrapper, pinned: true };
}

/** Solves `counts[level]` challenges at each level, in that order, with fresh salts shaped like the service's. */
export async function solveInChromium(counts: Array<{ level: number; samples: number }>): Promise<{ byLevel: Map<number, BrowserSolves>; pinned: boolean; version: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-chromium-'));
  const site = await serve();
  const { executable, pinned } = oneCoreChromium(dir);
  const browser = await chromium.launch({
    executablePath: executable,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(site.url);
    // One warm-up solve, so that the first timed one does not pay for compiling the solver.
    const byLevel = new Map<number, BrowserSolves>();
    for (const { level, samples, warmUp } of [{ level: 12, samples: 2, warmUp: true }, ...counts.map((c) => ({ ...c, warmUp: false }))]) {
      const salts = Array.from({ length: samples }, () => randomId());
      const r = await page.evaluate(async ({ salts, difficulty }) => {
        const ms: number[] = [], tries: number[] = [];
        for (const salt of salts) {
          const t0 = performance.now();
          const n = await new Promise<number>((resolve, reject) => {
            const w = new Worker('/pow-worker.js');
            w.onmessage = (ev) => {
              // Progress messages come before the answer; only the answer or an error ends the solve.
              if (ev.data.n === undefined && ev.data.error === undefined) return;
              w.terminate();
              if (ev.data.error) reject(new Error(ev.data.error));
              else resolve(ev.data.n);
            };
            w.postMessage({ salt, difficulty });
          });
          ms.push(performance.now() - t0);
          tries.push(n + 1);
        }
        return { ms, tries };
      }, { salts, difficulty: level });
      if (!warmUp) byLevel.set(level, r);
    }
    return { byLevel, pinned, version: browser.version() };
  } finally {
    await browser.close();
    await site.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
