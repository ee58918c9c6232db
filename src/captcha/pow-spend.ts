import type Redis from 'ioredis';
import { keys } from '../infra/keys';
import { luaScript, runLua } from '../infra/lua';
import { CaptchaInvalidError } from '../errors';
import { FAILURE_WINDOW_SECONDS, field } from './captcha-store';
import type { PressureKeys } from './difficulty';

/**
 * A wrong or replayed proof of work, in one round trip: burns its id (SET NX, kept until the token would have expired
 * anyway), counts the failure, charges the client and weighs on the adaptive difficulty, as `record` does. A right
 * answer never comes here: it is spent by SPEND_POW_LUA, in the intake script or in spendChecked.
 */
const FAIL_POW = luaScript(`
redis.call('SET', KEYS[1], '1', 'EX', ARGV[1], 'NX')
redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
if ARGV[3] ~= '' then
  redis.call('INCR', KEYS[3])
  redis.call('EXPIRE', KEYS[3], ARGV[3], 'NX')
end
if ARGV[4] ~= '' then
  for i = 4, 5 do
    redis.call('INCRBY', KEYS[i], ARGV[4])
    redis.call('EXPIRE', KEYS[i], ARGV[5], 'NX')
  end
end`);

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
    replayed: () => failPow(redis, siteId, claims, pressure(), now),
  };
}

/** Spends a checked proof of work in a round trip of its own (one small script); a replay throws captcha_invalid. */
export async function spendChecked(redis: Redis, spend: PowSpend): Promise<void> {
  const fresh = await runLua<number>(redis, SPEND_CHECKED, [spend.key, spend.statsKey], [spend.ttlMs, spend.solvedField]);
  if (fresh !== 1) await spend.replayed();
}

/** Burns a wrong or replayed proof of work and counts it against the client (FAIL_POW); throws captcha_invalid. */
export async function failPow(
  redis: Redis, siteId: string, claims: { id: string; expiresAt: number; client: string },
  pressure: { keys: PressureKeys; weight: number }, now = Date.now(),
): Promise<never> {
  const ttl = Math.max(1, Math.ceil((claims.expiresAt - now) / 1000) + 1);
  const failures = keys.captchaFailures(siteId, claims.client);
  await runLua(
    redis, FAIL_POW,
    [keys.powSpent(siteId, claims.id), keys.captchaStats(siteId), failures, pressure.keys.site[0], pressure.keys.network[0]],
    [ttl, field('pow', 'failed'), claims.client ? FAILURE_WINDOW_SECONDS : '', pressure.weight > 0 ? pressure.weight : '', pressure.keys.ttlSeconds],
  );
  throw new CaptchaInvalidError();
}
