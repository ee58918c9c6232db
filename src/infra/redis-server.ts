import { spawn, ChildProcess, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface OwnRedisOptions {
  port: number;
  dir: string;
  /** @defaultValue 'always' — every acknowledged write is on disk before Redis answers. */
  appendfsync?: 'always' | 'everysec' | 'no';
  bin?: string;
}

export interface OwnRedis {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Finds redis-server on PATH or in the usual Debian place. */
export function findRedisServer(): string | undefined {
  for (const p of ['redis-server', '/usr/bin/redis-server', '/usr/local/bin/redis-server']) {
    try {
      execFileSync(p, ['--version'], { stdio: 'ignore' });
      return p;
    } catch {
      /* try the next */
    }
  }
  return undefined;
}

/** Asks the OS for a free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null || child.signalCode !== null) return reject(new Error(`redis-server exited (${child.exitCode ?? child.signalCode})`));
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.write('PING\r\n');
        sock.once('data', (d) => {
          sock.destroy();
          if (d.toString().startsWith('+PONG')) resolve();
          else setTimeout(attempt, 50);
        });
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`redis-server did not answer on port ${port}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/**
 * Starts a redis-server of our own with AOF on and `noeviction` (BullMQ loses jobs under any eviction policy), and
 * waits until it answers PING.
 */
export async function startOwnRedis(opts: OwnRedisOptions): Promise<OwnRedis> {
  const bin = opts.bin ?? findRedisServer();
  if (!bin) throw new Error('redis-server is not installed; install it (apt-get install redis-server) or set REDIS_URL');
  fs.mkdirSync(opts.dir, { recursive: true });
  const args = [
    '--port', String(opts.port), '--bind', '127.0.0.1', '--dir', path.resolve(opts.dir),
    '--appendonly', 'yes', '--appendfsync', opts.appendfsync ?? 'always',
    '--maxmemory-policy', 'noeviction', '--save', '', '--daemonize', 'no', '--protected-mode', 'yes',
  ];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (d) => (log = (log + d).slice(-4000)));
  child.stderr?.on('data', (d) => (log = (log + d).slice(-4000)));
  try {
    await waitForPort(opts.port, child, 15000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${log}`);
  }
  return {
    url: `redis://127.0.0.1:${opts.port}`,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
