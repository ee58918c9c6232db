import { spawn, ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { freePort } from '../../src/infra/redis-server';
import { TEST_SECRET } from '../helpers/test-app';

const ROOT = path.resolve(__dirname, '..', '..');

export interface VigilProcess {
  url: string;
  proc: ChildProcess;
  /** Everything the process wrote, for failure messages. */
  output(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | string>;
}

/**
 * Runs Vigil's real entry point (src/main.ts) as a child process, as `npm start` would. It is compiled in memory by
 * scripts/run-ts.js (swc), so fault tests neither wait for tsc nor race other suites rebuilding dist/.
 */
export async function spawnVigil(env: Record<string, string>, timeoutMs = 45000): Promise<VigilProcess> {
  const port = await freePort();
  const proc = spawn(process.execPath, [path.join(ROOT, 'scripts', 'run-ts.js'), path.join(ROOT, 'src', 'main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), HOST: '127.0.0.1', DEV_BOOTSTRAP: 'false', LOG_LEVEL: 'warn', VIGIL_SECRET: TEST_SECRET, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out = (out + d).slice(-20000)));
  proc.stderr!.on('data', (d) => (out = (out + d).slice(-20000)));
  const exited = new Promise<number | string>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`vigil exited with ${proc.exitCode}:\n${out}`);
    const ok = await fetch(url + '/readyz').then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`vigil did not become ready within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, proc, output: () => out, exited };
}

export { until } from '../helpers/wait';

export interface Outcome {
  status: number;
  /** Set when the request failed before any answer (refused, reset). */
  error?: string;
  id?: string;
  startedAt: number;
  ms: number;
  body: string;
}

/** One keep-alive agent per load, so connections are reused the way a busy site's server would. */
export function keepAliveAgent(): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: 64 });
}

/** A POST over node:http (not fetch) so that each request has a hard deadline and connection errors are visible. */
export function post(agent: http.Agent, url: string, key: string, payload: string, timeoutMs = 8000): Promise<Outcome> {
  const startedAt = Date.now();
  return new Promise((resolve) => {
    const req = http.request(url, {
      method: 'POST', agent, timeout: timeoutMs,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        let id: string | undefined;
        try {
          id = JSON.parse(body).id;
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, id, startedAt, ms: Date.now() - startedAt, body });
      });
      res.on('error', (err) => resolve({ status: 0, error: err.message, startedAt, ms: Date.now() - startedAt, body: '' }));
    });
    req.on('timeout', () => req.destroy(new Error('client timeout')));
    req.on('error', (err) => resolve({ status: 0, error: err.message, startedAt, ms: Date.now() - startedAt, body: '' }));
    req.end(payload);
  });
}

/** Runs `concurrency` loops of `send` until `stop()` says so; returns every outcome. */
export async function loadUntil(concurrency: number, stop: () => boolean, send: (i: number) => Promise<Outcome>): Promise<Outcome[]> {
  const all: Outcome[] = [];
  let n = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (!stop()) {
        const o = await send(n++);
        all.push(o);
        // A refused connection returns at once; pause briefly so a dead server is not spun on.
        if (o.status === 0) await new Promise((r) => setTimeout(r, 10));
      }
    }),
  );
  return all;
}

/** A comment from the site's server, different each time so no signal treats it as a repeat. */
export function commentPayload(i: number, tag: string): string {
  return JSON.stringify({
    threadId: `fault-${tag}`,
    author: { name: `Reader ${i}`, email: `reader${i}.${tag}@example.com` },
    body: `Comment ${i} on the council budget: the school figures were useful (${tag}).`,
    client: { ip: `10.9.${(i >> 8) & 255}.${i & 255}`, userAgent: 'fault-test' },
  });
}
