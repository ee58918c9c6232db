import type Redis from 'ioredis';
import { checkCaptcha } from '../../../src/captcha/verify';
import { signPowToken, solvePow } from '../../../src/captcha/pow';
import { keys } from '../../../src/infra/keys';
import { defaultPolicy } from '../../../src/sites/policy';
import type { Site } from '../../../src/sites/site-store';

const secret = Buffer.from('unit-secret-0123456789abcdef');
const site: Site = { id: 's1', name: 'unit', createdAt: new Date(0).toISOString(), policy: { ...defaultPolicy(), captcha: 'pow' } };
/** A Redis handle that fails the test on any use: the right-answer path must not need one. */
const noRedis = new Proxy({}, { get: (_, name) => { throw new Error(`Redis used: ${String(name)}`); } }) as unknown as Redis;

describe('checking a proof of work in-process', () => {
  it('when the answer is right, then it is checked without Redis and comes back as the spend the caller must make', async () => {
    const now = Date.now();
    const token = signPowToken(secret, { siteId: 's1', id: 'abc', difficulty: 8, expiresAt: now + 60_000, client: 'c' });
    const spend = await checkCaptcha({ redis: noRedis, secret, ttlSeconds: 300 }, site, { id: token, answer: solvePow('abc', 8) }, now);
    expect(spend).toMatchObject({ key: keys.powSpent('s1', 'abc'), statsKey: keys.captchaStats('s1'), solvedField: 'pow:solved' });
    // The spent mark outlives the token, so a replay is refused until the signature alone refuses it.
    expect(spend!.ttlMs).toBeGreaterThanOrEqual(60_000);
  });

  it('when the answer is wrong, then it does not come back as a spend', async () => {
    const now = Date.now();
    const token = signPowToken(secret, { siteId: 's1', id: 'abc', difficulty: 8, expiresAt: now + 60_000, client: 'c' });
    const wrong = String(Number(solvePow('abc', 8)) + 1);
    // The wrong answer is written (burnt and counted) through Redis, which this handle refuses: it is not waved through.
    await expect(checkCaptcha({ redis: noRedis, secret, ttlSeconds: 300 }, site, { id: token, answer: wrong }, now)).rejects.toThrow('Redis used');
  });
});
