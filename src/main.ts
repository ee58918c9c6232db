import http from 'node:http';
import path from 'node:path';
import { loadConfig } from './config';
import { createLogger } from './logger';
import { connectRedis, createRedis } from './infra/redis';
import { OwnRedis, startOwnRedis } from './infra/redis-server';
import { loadBundledModels } from './classifier';
import { composeService } from './compose';
import { bootstrapDev, DevKeys } from './bootstrap';

/** Boot order: config -> Redis -> models -> app and workers -> listen. SIGTERM closes in the reverse order. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  let own: OwnRedis | undefined;
  let redisUrl = config.REDIS_URL;
  if (!redisUrl) {
    own = await startOwnRedis({ port: config.OWN_REDIS_PORT, dir: path.resolve(config.DATA_DIR) });
    redisUrl = own.url;
    logger.info({ dir: path.resolve(config.DATA_DIR), port: config.OWN_REDIS_PORT }, 'started own redis-server (AOF, appendfsync always)');
  }
  const redis = createRedis(redisUrl);
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  await connectRedis(redis, 30000);
  const models = loadBundledModels(config.MODELS_DIR);
  logger.info({ spam: models.spam.version, toxicity: models.toxicity.version }, 'models loaded');
  const service = await composeService({ config, redis, logger, models, redisUrl });

  const server = http.createServer(service.app);
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
  const port = (server.address() as { port: number }).port;
  logger.info({ port }, 'vigil listening');

  if (config.DEV_BOOTSTRAP) {
    // Both spellings of this machine, so /demo works whichever one the browser was pointed at.
    const origins = config.DEV_ORIGIN ? [config.DEV_ORIGIN] : [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
    const dev = await bootstrapDev(redis, origins);
    if (dev) printDevKeys(dev, port);
  }

  let stopping = false;
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
