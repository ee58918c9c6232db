import Redis from 'ioredis';
import { AtomicWrites } from '../../src/infra/atomic-writes';

let redis: Redis;
beforeAll(() => {
  redis = new Redis(process.env.TEST_REDIS_URL!);
});
afterAll(() => redis.disconnect());

describe('atomic writes', () => {
  it('when writes are run as one script, then each lands with its own arguments, in order', async () => {
    const t = `{aw-${Date.now()}}`;
    await new AtomicWrites()
      .add('SET', `${t}:s`, 'v1', 'EX', 100)
      .add('SET', `${t}:s`, 'v2', 'KEEPTTL')
      .add('ZADD', `${t}:z`, 5, 'a')
      .add('HINCRBY', `${t}:h`, 'n', 2)
      .add('HINCRBY', `${t}:h`, 'n', -1)
      .add('LPUSH', `${t}:l`, 'x')
      .add('LPUSH', `${t}:l`, 'y')
      .add('LTRIM', `${t}:l`, 0, 0)
      .exec(redis);
    expect(await redis.get(`${t}:s`)).toBe('v2');
    expect(await redis.ttl(`${t}:s`)).toBeGreaterThan(90);
    expect(await redis.zscore(`${t}:z`, 'a')).toBe('5');
    expect(await redis.hget(`${t}:h`, 'n')).toBe('1');
    expect(await redis.lrange(`${t}:l`, 0, -1)).toEqual(['y']);
  });

  it('when a write fails, then the call rejects', async () => {
    const t = `{aw-err-${Date.now()}}`;
    await redis.set(`${t}:s`, 'not a hash');
    await expect(new AtomicWrites().add('HINCRBY', `${t}:s`, 'n', 1).exec(redis)).rejects.toThrow(/WRONGTYPE/);
  });
});
