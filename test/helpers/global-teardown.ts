import fs from 'node:fs';
import type { OwnRedis } from '../../src/infra/redis-server';

export default async function globalTeardown(): Promise<void> {
  const redis = (globalThis as Record<string, unknown>).__vigilRedis as OwnRedis | undefined;
  if (!redis) return;
  await redis.stop();
  const dir = process.env.VIGIL_TEST_REDIS_DIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
