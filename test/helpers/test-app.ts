import type { AddressInfo } from 'node:net';
import type Redis from 'ioredis';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { connectRedis, createRequestRedis } from '../../src/infra/redis';
import { loadBundledModels } from '../../src/classifier';
import { composeService, Service } from '../../src/compose';
import { createSite, CreatedSite } from '../../src/sites/site-store';
import type { PolicyPatch } from '../../src/sites/policy';
import { createHttpServer } from '../../src/http/server';

let models: ReturnType<typeof loadBundledModels> | undefined;

/** The server secret of every Vigil the suite starts on its Redis: instances sharing a Redis must share it. */
export const TEST_SECRET = 'vigil-test-suite-secret-0123456789';

export interface TestApp {
  url: string;
  redis: Redis;
  service: Service;
  /** A fresh site of this test's own; its id scopes every key the test touches. */
  site(policy?: PolicyPatch, origins?: string[]): Promise<CreatedSite>;
  close(): Promise<void>;
}

/**
 * The real app on port 0 against the suite's real Redis. Apps share one loaded copy of the models unless
 * `opts.models` gives them their own, as separate processes have (needed when two apps both learn from feedback).
 */
export async function startTestApp(
  env: Record<string, string> = {}, opts: { workers?: boolean; models?: ReturnType<typeof loadBundledModels> } = {},
): Promise<TestApp> {
  const redisUrl = process.env.TEST_REDIS_URL!;
  // Learning is off unless a test asks for it: the models are shared by all sites, and other test files' feedback
  // in the same Redis would otherwise change this file's scores.
  const config = loadConfig({ LOG_LEVEL: 'silent', REDIS_URL: redisUrl, DEV_BOOTSTRAP: 'false', LEARN_FROM_FEEDBACK: 'false', VIGIL_SECRET: TEST_SECRET, ...env });
  const redis = createRequestRedis(redisUrl);
  await connectRedis(redis);
  models ??= loadBundledModels();
  const logger = createLogger(config.LOG_LEVEL);
  const service = await composeService({ config, redis, logger, models: opts.models ?? models, redisUrl, workers: opts.workers ?? true });
  const server = createHttpServer(service.app, {
    headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS, requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS, maxConnections: config.HTTP_MAX_CONNECTIONS,
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    redis,
    service,
    site: (policy = {}, origins = ['http://localhost:3000']) => createSite(redis, { name: 'test', origins, policy }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      for (const c of [...service.closers].reverse()) await c();
      redis.disconnect();
    },
  };
}

/** fetch with a JSON body and a bearer key. */
export async function api(
  base: string, method: string, path: string,
  opts: { key?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
): Promise<{ status: number; headers: Headers; json: any; text: string }> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  let body: string | undefined = opts.raw;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(base + path, { method, headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** A valid comment body from a server caller. */
export function serverComment(over: Record<string, unknown> = {}) {
  return {
    threadId: 'article-1',
    author: { name: 'Jane Reader', email: 'jane@example.com' },
    body: 'Thanks for the thorough reporting on the council budget; the figures on school funding were useful.',
    client: { ip: '198.51.100.7', userAgent: 'Mozilla/5.0', referrer: 'https://news.example/article-1' },
    ...over,
  };
}

/**
 * KEYS across the whole deployment: on a Redis Cluster (`npm run test:cluster`) a bare KEYS asks one node only, so
 * every master is asked.
 */
export async function keysMatching(redis: Redis, pattern: string): Promise<string[]> {
  const nodes = (redis as unknown as { nodes?: (role: string) => Redis[] }).nodes;
  if (typeof nodes !== 'function') return redis.keys(pattern);
  const all = await Promise.all(nodes.call(redis, 'master').map((n) => n.keys(pattern)));
  return all.flat();
}
