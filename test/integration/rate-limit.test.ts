import { connectRedis, createRequestRedis } from '../../src/infra/redis';
import { consume } from '../../src/infra/rate-limit';

describe('rate limits on an auto-pipelined connection', () => {
  it('when a client first spends a limit in the same turn as other commands, then every command gets its own answer', async () => {
    // rate-limiter-flexible defines its script with ioredis defineCommand on first use; a pipeline the GETs opened
    // before that definition would lose the limiter's call and shift every reply in it.
    const redis = createRequestRedis(process.env.TEST_REDIS_URL!);
    await connectRedis(redis);
    try {
      const key = `vigil:{rl-test}:value:${Date.now()}`;
      await redis.set(key, 'v');
      const limit = { prefix: `vigil:{rl-test}:rl:${Date.now()}`, points: 5, durationSeconds: 60 };
      const answers = await Promise.all([redis.get(key), consume(redis, limit, 'a'), redis.get(key), consume(redis, limit, 'b'), redis.get(key)]);
      expect(answers).toEqual(['v', undefined, 'v', undefined, 'v']);
      await redis.del(key);
    } finally {
      redis.disconnect();
    }
  });
});
