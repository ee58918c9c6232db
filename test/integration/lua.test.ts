import { connectRedis, createRequestRedis } from '../../src/infra/redis';
import { luaScript, runLua } from '../../src/infra/lua';

const ECHO = luaScript(`return {KEYS[1], ARGV[1] or '', #KEYS, #ARGV}`);

describe('Lua scripts (EVALSHA, the source on NOSCRIPT)', () => {
  it('when Redis has forgotten its scripts (restart, failover), then a script still runs, auto-pipelined or not', async () => {
    const redis = createRequestRedis(process.env.TEST_REDIS_URL!);
    await connectRedis(redis);
    try {
      const key = `vigil:{lua-test}:echo:${Date.now()}`;
      expect(await runLua(redis, ECHO, [key], ['a', 2])).toEqual([key, 'a', 1, 2]);
      await redis.script('FLUSH');
      const again = await Promise.all([runLua(redis, ECHO, [key], ['b']), runLua(redis, ECHO, [key, `${key}:2`], [])]);
      expect(again).toEqual([[key, 'b', 1, 1], [key, '', 2, 0]]);
    } finally {
      redis.disconnect();
    }
  });

  it('when a client first runs a script in the same turn as other commands, then every command gets its own answer', async () => {
    // The pitfall of ioredis defineCommand (src/infra/lua.ts says why it is not used): a pipeline opened by the GET
    // below, before a script is defined on this client, loses every reply.
    const redis = createRequestRedis(process.env.TEST_REDIS_URL!);
    await connectRedis(redis);
    try {
      const key = `vigil:{lua-test}:first:${Date.now()}`;
      const fresh = luaScript(`return 'fresh ' .. KEYS[1] .. ' ${key}'`);
      await redis.set(key, 'v');
      const answers = await Promise.all([redis.get(key), runLua(redis, fresh, [key], []), redis.get(key), runLua(redis, fresh, [key], [])]);
      expect(answers).toEqual(['v', `fresh ${key} ${key}`, 'v', `fresh ${key} ${key}`]);
      await redis.del(key);
    } finally {
      redis.disconnect();
    }
  });
});
