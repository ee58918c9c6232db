import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startOwnRedis } from '../../src/infra/redis-server';

/**
 * Starts one throwaway redis-server for the whole run on a free port in a temp dir. Tests isolate themselves by
 * creating their own sites (every key of a site carries its id). TEST_REDIS_URL lets a run use another Redis,
 * e.g. a cluster.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_REDIS_URL) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-test-redis-'));
  const port = await freePort();
  const redis = await startOwnRedis({ port, dir, appendfsync: 'everysec' });
  process.env.TEST_REDIS_URL = redis.url;
  process.env.VIGIL_TEST_REDIS_DIR = dir;
  (globalThis as Record<string, unknown>).__vigilRedis = redis;
}
