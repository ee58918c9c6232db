import cluster from 'node:cluster';
import http from 'node:http';
import path from 'node:path';
import type Redis from 'ioredis';
import { Config, loadConfig } from './config';
import { createLogger, Logger } from './logger';
import { connectRedis, createRedis, createRequestRedis } from './infra/redis';
import { OwnRedis, startOwnRedis } from './infra/redis-server';
import { loadBundledModels } from './classifier';
import { createHttpServer } from './http/server';
import { composeService } from './compose';
import { bootstrapDev, DevKeys } from './bootstrap';

/**
 * Boot order: config -> Redis -> models -> app and workers -> listen. SIGTERM closes in the reverse order.
 * With WORKERS > 1 this process becomes the cluster primary (see runPrimary) and each forked process runs this same
 * boot with the primary's Redis URL.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  if (config.WORKERS > 1 && cluster.isPrimary) return runPrimary(config, logger);
  const forked = cluster.isWorker;
  const { own, redisUrl } = await redisFor(config, logger);
  const redis = createRequestRedis(redisUrl);
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  await connectRedis(redis, 30000);
  const models = loadBundledModels(config.MODELS_DIR);
  logger.info({ spam: models.spam.version, toxicity: models.toxicity.version }, 'models loaded');
  const service = await composeService({ config, redis, logger, models, redisUrl });

  const server = createHttpServer(service.app, {
    headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS, requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS, maxConnections: config.HTTP_MAX_CONNECTIONS,
  });
  let stopping = false;
  // Once stopping, every answer closes its connection: a busy keep-alive connection is never idle, so without this a
  // client streaming requests on it would hold the shutdown until its timeout.
  server.prependListener('request', (_req, res: http.ServerResponse) => {
    if (stopping) res.setHeader('Connection', 'close');
  });
  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
  const port = (server.address() as { port: number }).port;
  logger.info({ port }, 'vigil listening');
  const metricsServer = config.METRICS_PORT === undefined ? undefined : http.createServer(service.metricsApp());
  if (metricsServer) {
    await new Promise<void>((resolve) => metricsServer.listen(config.METRICS_PORT, config.METRICS_HOST, resolve));
    logger.info({ port: (metricsServer.address() as { port: number }).port, host: config.METRICS_HOST }, 'metrics listening');
  }

  // Under the cluster primary, the primary bootstraps once (after the first process listens) instead of each process.
  if (config.DEV_BOOTSTRAP && !forked) await devBootstrap(config, redis, port);
  if (forked) process.send?.({ vigil: 'listening', port });

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing in-flight work');
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    force.unref();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    metricsServer?.close();
    metricsServer?.closeAllConnections();
    for (const close of [...service.closers].reverse()) await close().catch((err) => logger.error({ err }, 'close failed'));
    await redis.quit().catch(() => undefined);
    if (own) await own.stop();
    logger.info('stopped');
    process.exit(0);
  };
  // A stray rejection is a bug to log, not a reason to drop every other request in flight.
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

async function devBootstrap(config: Config, redis: Redis, port: number): Promise<void> {
  // Both spellings of this machine, so /demo works whichever one the browser was pointed at.
  const origins = config.DEV_ORIGIN ? [config.DEV_ORIGIN] : [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
  const dev = await bootstrapDev(redis, origins);
  if (dev) printDevKeys(dev, port);
}

/** REDIS_URL when it is set; otherwise our own redis-server, started here and stopped on shutdown. */
async function redisFor(config: Config, logger: Logger): Promise<{ own?: OwnRedis; redisUrl: string }> {
  if (config.REDIS_URL) return { redisUrl: config.REDIS_URL };
  const dir = path.resolve(config.DATA_DIR);
  const own = await startOwnRedis({ port: config.OWN_REDIS_PORT, dir });
  logger.info({ dir, port: config.OWN_REDIS_PORT }, 'started own redis-server (AOF, appendfsync always)');
  return { own, redisUrl: own.url };
}

/**
 * The cluster primary serves no requests. It starts the bundled Redis when REDIS_URL is unset, forks WORKERS
 * processes that share the listening port (each a full Vigil: API and queue workers, since BullMQ workers on one
 * queue share its jobs safely and a killed process's active jobs are taken over through stalled-job recovery), runs
 * the dev bootstrap once, replaces a process that dies, and on SIGTERM passes the signal on, waits for every process
 * to finish its in-flight work, then stops Redis.
 */
async function runPrimary(config: Config, logger: Logger): Promise<void> {
  const { own, redisUrl } = await redisFor(config, logger);
  const env = { REDIS_URL: redisUrl };
  let stopping = false;
  let bootstrapped = false;
  let quickFailures = 0;
  const fork = () => {
    const started = Date.now();
    const w = cluster.fork(env);
    w.on('message', (m: { vigil?: string; port?: number }) => {
      if (m?.vigil !== 'listening' || bootstrapped) return;
      bootstrapped = true;
      logger.info({ port: m.port, workers: config.WORKERS }, 'vigil cluster listening');
      if (config.DEV_BOOTSTRAP) void withRedis(redisUrl!, (r) => devBootstrap(config, r, m.port!)).catch((err) => logger.error({ err }, 'dev bootstrap failed'));
    });
    w.on('exit', (code, signal) => {
      if (stopping) return;
      // A process that cannot even start (bad config, Redis unreachable) would fail again at once: give up.
      quickFailures = Date.now() - started < 5000 ? quickFailures + 1 : 0;
      logger.error({ pid: w.process.pid, code, signal }, 'vigil process exited; starting another');
      if (quickFailures >= 3) return void shutdown('workers keep failing', 1);
      fork();
    });
  };
  const shutdown = async (reason: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'stopping the vigil processes');
    const exits = Object.values(cluster.workers ?? {}).map(
      (w) => new Promise<void>((resolve) => {
        if (!w || w.isDead()) return resolve();
        w.once('exit', () => resolve());
        w.process.kill('SIGTERM');
      }),
    );
    await Promise.all(exits);
    if (own) await own.stop();
    process.exit(exitCode);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  for (let i = 0; i < config.WORKERS; i++) fork();
}

async function withRedis(url: string, fn: (r: Redis) => Promise<void>): Promise<void> {
  const redis = createRedis(url);
  try {
    await connectRedis(redis, 30000);
    await fn(redis);
  } finally {
    redis.disconnect();
  }
}

function printDevKeys(dev: DevKeys, port: number): void {
  const lines = [
    '',
    'Vigil created a dev site and an admin moderator (shown once; only hashes are stored):',
    `  siteId           ${dev.siteId}`,
    `  site key         ${dev.siteKey}   (public: browsers, /demo)`,
    `  secret key       ${dev.secretKey}   (your server only)`,
    `  moderator token  ${dev.moderatorToken}   (sign in at /moderate)`,
    `  Try it: http://localhost:${port}/demo/`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err) => {
  process.stderr.write(`vigil failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
