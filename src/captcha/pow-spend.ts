import type Redis from 'ioredis';
import { keys } from '../infra/keys';
import { luaScript, runLua } from '../infra/lua';
import { CaptchaInvalidError } from '../errors';
import { FAILURE_WINDOW_SECONDS, field } from './captcha-store';
import type { PressureKeys } from './difficulty';

/**
 * Answers a proof-of-work challenge in one round trip: marks its id spent (SET NX, kept until the token would have
 * expired anyway), counts the outcome, and on a failure charges the client and weighs on the adaptive difficulty, as
 * `record` does. Solved only when the id was fresh and `solutionOk`; a wrong answer burns the challenge too.
 */
const SPEND_POW = luaScript(`
local fresh = redis.call('SET', KEYS[1], '1', 'EX', ARGV[1], 'NX')
if fresh and ARGV[2] == '1' then
  redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
  return 1
end
redis.call('HINCRBY', KEYS[2], ARGV[4], 1)
if ARGV[5] ~= '' then
  redis.call('INCR', KEYS[3])
  redis.call('EXPIRE', KEYS[3], ARGV[5], 'NX')
end
if ARGV[6] ~= '' then
  for i = 4, 5 do
    redis.call('INCRBY', KEYS[i], ARGV[6])
    redis.call('EXPIRE', KEYS[i], ARGV[7], 'NX')
  end
end
return 0`);

/**
 * Marks a proof of work's id spent and counts it solved, as Lua for the scripts that do it in their own round trip
 * (the comment intake script): `spendPow(spentKey, ttlMs, statsKey, solvedField)` answers false when the id was
 * already spent, that is, on a replay. Nothing is counted then; the caller charges the replay as a failure.
 */
export const SPEND_POW_LUA = `
local function spendPow(key, px, stats, solved)
  if not redis.call('SET', key, '1', 'PX', px, 'NX') then return false end
  redis.call('HINCRBY', stats, solved, 1)
  return true
end
`;

const SPEND_CHECKED = luaScript(`${SPEND_POW_LUA}
return spendPow(KEYS[1], ARGV[1], KEYS[2], ARGV[2]) and 1 or 0`);

/**
 * A proof of work whose token and solution were checked in-process and found right: all that is left is to mark its id
 * spent, which the caller does in its next Redis round trip (SPEND_POW_LUA's arguments), or with spendChecked alone.
 */
export interface PowSpend {
  key: string;
  ttlMs: number;
  statsKey: string;
  solvedField: string;
  /** Counts a replay as a wrong answer (charging the client, weighing on its difficulty) and throws captcha_invalid. */
  replayed(): Promise<never>;
}

export function powSpend(
  redis: Redis, siteId: string, claims: { id: string; expiresAt: number; client: string },
  pressure: () => { keys: PressureKeys; weight: number }, now: number,
): PowSpend {
  return {
    key: keys.powSpent(siteId, claims.id),
    // Kept until the token would have expired anyway (and a second more), after which the signature refuses it.
    ttlMs: Math.max(1000, claims.expiresAt - now + 1000),
    statsKey: keys.captchaStats(siteId),
    solvedField: field('pow', 'solved'),
    replayed: async () => {
      await spendPow(redis, siteId, claims, false, pressure(), now);
      throw new CaptchaInvalidError();
    },
  };
}

/** Spends a checked proof of work in a round trip of its own (one small script); a replay throws captcha_invalid. */
export async function spendChecked(redis: Redis, spend: PowSpend): Promise<void> {
  const fresh = await runLua<number>(redis, SPEND_CHECKED, [spend.key, spend.statsKey], [spend.ttlMs, spend.solvedField]);
  if (fresh !== 1) await spend.replayed();
}

export async function spendPow(
  redis: Redis, siteId: string, claims: { id: string; expiresAt: number; client: string }, solutionOk: boolean,
  pressure: { keys: PressureKeys; weight: number }, now = Date.now(),
): Promise<void> {
  const ttl = Math.max(1, Math.ceil((claims.expiresAt - now) / 1000) + 1);
  const failures = keys.captchaFailures(siteId, claims.client);
  const solved = await runLua<number>(
    redis, SPEND_POW,
    [keys.powSpent(siteId, claims.id), keys.captchaStats(siteId), failures, pressure.keys.site[0], pressure.keys.network[0]],
    [ttl, solutionOk ? '1' : '0', field('pow', 'solved'), field('pow', 'failed'), claims.client ? FAILURE_WINDOW_SECONDS : '', pressure.weight > 0 ? pressure.weight : '', pressure.keys.ttlSeconds],
  );
  if (solved !== 1) throw new CaptchaInvalidError();
}

