import { spawn } from 'node:child_process';
import path from 'node:path';
import { createModerator } from '../../src/sites/moderator-store';
import { freePort } from '../../src/infra/redis-server';
import { connectRedis, createRedis } from '../../src/infra/redis';
import { TEST_SECRET } from '../helpers/test-app';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * An open /moderate page keeps a server-sent event stream open. A graceful shutdown must not wait on it until the
 * shutdown timeout (that kills the process before the workers are closed): streams end on SIGTERM.
 */
it('when Vigil gets SIGTERM while a moderator page holds an event stream, then it exits 0 well before the shutdown timeout', async () => {
  const redisUrl = process.env.TEST_REDIS_URL!;
  const redis = createRedis(redisUrl);
  await connectRedis(redis);
  const mod = await createModerator(redis, { name: 'S', role: 'moderator', siteIds: ['nosite'] });
  redis.disconnect();
  const port = await freePort();
  const proc = spawn(process.execPath, [path.join(ROOT, 'scripts', 'run-ts.js'), path.join(ROOT, 'src', 'main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), HOST: '127.0.0.1', REDIS_URL: redisUrl, DEV_BOOTSTRAP: 'false', LOG_LEVEL: 'warn', SHUTDOWN_TIMEOUT_MS: '8000', VIGIL_SECRET: TEST_SECRET },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | string>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  try {
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 45000;
    while (!(await fetch(`${url}/readyz`).then((r) => r.ok, () => false))) {
      if (Date.now() > deadline) throw new Error('vigil did not become ready');
      await new Promise((r) => setTimeout(r, 100));
    }
    const stream = await fetch(`${url}/v1/review/events`, { headers: { authorization: `Bearer ${mod.token}` } });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const reader = stream.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain(': connected');
    const t0 = Date.now();
    proc.kill('SIGTERM');
    for (;;) if ((await reader.read().catch(() => ({ done: true }))).done) break;
    expect(await exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(6000);
  } finally {
    if (proc.exitCode === null) proc.kill('SIGKILL');
  }
});
