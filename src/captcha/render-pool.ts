import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger';
import { PackedBatch, prepareCaptcha, PreparedCaptcha, unpackBatch } from './prepared';

/**
 * Kept ready; refilled in batches when it falls below half. About 4 KB each, so 2 MB at most, outside the JS heap.
 * Batches are large because every message between the threads wakes the other one up, which costs about as much as
 * drawing a captcha.
 */
const POOL_SIZE = 512;
const BATCH = 128;

/**
 * Draws captchas ahead of demand on a worker thread, so that issuing one costs the event loop a pop instead of a
 * render and a JSON encoding (see prepared.ts), and the drawing runs on another core. When the pool is
 * empty (a burst larger than the pool, or the thread is gone) a captcha is drawn on the spot, so issuance never
 * waits for the thread. Every captcha is handed out once; its lifetime starts when it is issued, not when drawn.
 */
export class RenderPool {
  private readonly ready: PreparedCaptcha[] = [];
  private worker?: Worker;
  private asked = false;
  private closed = false;

  constructor(private readonly logger: Logger) {
    this.worker = startWorker();
    this.worker.on('message', (batch: PackedBatch) => {
      this.asked = false;
      if (this.closed) return;
      this.ready.push(...unpackBatch(batch));
      this.refill();
    });
    this.worker.on('error', (err) => this.lost(err));
    this.worker.on('exit', (code) => this.lost(new Error(`render thread exited with ${code}`)));
    // An idle pool must not keep the process alive (tests, CLI).
    this.worker.unref();
    this.refill();
  }

  take(): PreparedCaptcha {
    const c = this.ready.pop() ?? prepareCaptcha();
    this.refill();
    return c;
  }

  /** How many are ready now (metrics and tests). */
  get size(): number {
    return this.ready.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.ready.length = 0;
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }

  private refill(): void {
    if (this.asked || !this.worker || this.ready.length >= POOL_SIZE / 2) return;
    this.asked = true;
    this.worker.postMessage(Math.min(BATCH, POOL_SIZE - this.ready.length));
  }

  private lost(err: Error): void {
    if (this.closed || !this.worker) return;
    this.worker = undefined;
    this.logger.warn({ err: err.message }, 'captcha render thread stopped; captchas are drawn on the event loop from now on');
  }
}

/** dist/ runs the compiled worker; tests and benches from src/ load the TypeScript through scripts/ts-require.js. */
function startWorker(): Worker {
  const js = path.join(__dirname, 'render-worker.js');
  if (__filename.endsWith('.js')) return new Worker(js);
  const hook = path.join(__dirname, '..', '..', 'scripts', 'ts-require.js');
  const ts = path.join(__dirname, 'render-worker.ts');
  return new Worker(`require(${JSON.stringify(hook)}); require(${JSON.stringify(ts)});`, { eval: true });
}
