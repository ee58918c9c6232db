import type Redis from 'ioredis';
import { luaScript, runLua } from '../infra/lua';
import { FIXED_WINDOW_LUA, type Limit } from '../infra/rate-limit';

/**
 * Issuing a challenge admits it in Redis (captcha-store's admitCaptcha): spend the client's per-IP limit, refuse a
 * client over the failure limit, store the image's answer, count the challenge in the stats and, for proof of work, in
 * the site's and the network's pressure buckets. Those steps run in one Lua script; this file runs that script for
 * every challenge of a site that is waiting at the same time in ONE call, each challenge still checked and counted in
 * order, exactly as if it had its own call: the limits are as strict and the counts as current as with a call each,
 * and other instances see every count at once (nothing is held back in this process).
 *
 * What a call each cost: per challenge, a command for ioredis to build, send and parse, and for Redis to dispatch,
 * ten commands inside the script and about 700 bytes of key names. Batched, the site's keys (stats, site pressure
 * buckets) are sent and written once per call, so each challenge costs Redis six commands and its own keys only.
 *
 * When a site's batch goes out: at the end of the current turn of the event loop (setImmediate, as ioredis's
 * auto-pipelining does), or, while that site's previous batch is still in Redis, as soon as it comes back. So a
 * challenge waits at most for one batch ahead of it, which the auto-pipeline it replaces made it wait for too.
 */

/** Challenges per script call at most, so that one call keeps Redis busy for well under a millisecond. */
export const MAX_BATCH = 64;

/** What is the same for every challenge of a batch (they are grouped by it). */
export interface AdmitGroup {
  /** The site's captcha stats hash and the field to count admitted challenges in. */
  statsKey: string;
  field: string;
  maxFailures: number;
  /** Whether every challenge of the batch stores an answer (image modes). */
  stores: boolean;
  /** Proof-of-work modes: the site's [current, previous] pressure buckets and their TTL in seconds. */
  pressure?: { site: [string, string]; ttlSeconds: number } | undefined;
}

/** One challenge's own keys and values. */
export interface AdmitEntry {
  failuresKey: string;
  limit?: Limit | undefined;
  stored?: { key: string; value: string; ttlSeconds: number } | undefined;
  /** The network's [current, previous] pressure buckets (with the group's pressure). */
  network?: [string, string] | undefined;
  /** Thousandths of the previous bucket the sliding window still covers (difficulty.ts). */
  previousShare: number;
}

/** [0 or seconds the client must wait (-1: the failure window has no TTL), site count, network count]. */
export type AdmitResult = [number, number, number];

/**
 * KEYS: the stats hash, [site current, site previous bucket when pressure], then per challenge its failure count, its
 * limit's key (the failure key again when it has no limit), [its captcha key when stored], [its network's current and
 * previous buckets when pressure]. ARGV: count, max failures, stats field, '1' when stored, pressure TTL ('' for none),
 * then per challenge its limit's points ('' for none), window seconds and previous-bucket share, [stored value, TTL].
 * The site's buckets are read once and written once: a challenge's site count is the bucket as it was, plus the
 * challenges admitted before it in this call and itself, plus the previous bucket's share, as if each had been counted
 * on its own.
 */
const ADMIT_MANY = luaScript(`${FIXED_WINDOW_LUA}
local n = tonumber(ARGV[1])
local maxFailures = tonumber(ARGV[2])
local stores = ARGV[4] == '1'
local ttl = ARGV[5]
local pressure = ttl ~= ''
local kPer = 2 + (stores and 1 or 0) + (pressure and 2 or 0)
local aPer = 3 + (stores and 2 or 0)
local k0 = pressure and 3 or 1
local siteCur, sitePrev = 0, 0
if pressure then
  siteCur = tonumber(redis.call('GET', KEYS[2]) or '0')
  sitePrev = tonumber(redis.call('GET', KEYS[3]) or '0')
end
local out = {}
local admitted = 0
for i = 0, n - 1 do
  local k = k0 + i * kPer
  local a = 5 + i * aPer
  local refused = 0
  if ARGV[a + 1] ~= '' then
    local wait = spend(KEYS[k + 2], ARGV[a + 1], ARGV[a + 2])
    if wait > 0 then refused = math.ceil(wait / 1000) end
  end
  if refused == 0 and tonumber(redis.call('GET', KEYS[k + 1]) or '0') >= maxFailures then
    local t = redis.call('TTL', KEYS[k + 1])
    if t > 0 then refused = t else refused = -1 end
  end
  local site, network = 0, 0
  if refused == 0 then
    admitted = admitted + 1
    if stores then redis.call('SET', KEYS[k + 3], ARGV[a + 4], 'EX', ARGV[a + 5]) end
    if pressure then
      local nk = k + (stores and 4 or 3)
      local cur = redis.call('INCR', KEYS[nk])
      redis.call('EXPIRE', KEYS[nk], ttl, 'NX')
      local share = tonumber(ARGV[a + 3])
      network = cur + math.floor(tonumber(redis.call('GET', KEYS[nk + 1]) or '0') * share / 1000)
      site = siteCur + admitted + math.floor(sitePrev * share / 1000)
    end
  end
  out[3 * i + 1] = refused
  out[3 * i + 2] = site
  out[3 * i + 3] = network
end
if admitted > 0 then
  redis.call('HINCRBY', KEYS[1], ARGV[3], admitted)
  if pressure then
    redis.call('INCRBY', KEYS[2], admitted)
    redis.call('EXPIRE', KEYS[2], ttl, 'NX')
  end
end
return out`);

interface Waiting { entry: AdmitEntry; resolve: (r: AdmitResult) => void; reject: (err: unknown) => void }
interface Queue { group: AdmitGroup; waiting: Waiting[]; inFlight: boolean; scheduled: boolean }

/**
 * Per Redis connection, the batches being gathered: by the site's current pressure bucket (or its stats hash, for
 * image captchas), which every challenge already carries, then by the rest of the group. Idle queues are dropped.
 */
const queuesOf = new WeakMap<Redis, Map<string, Queue[]>>();

const sameGroup = (a: AdmitGroup, b: AdmitGroup) => a.statsKey === b.statsKey && a.field === b.field && a.stores === b.stores
  && a.maxFailures === b.maxFailures && a.pressure?.site[0] === b.pressure?.site[0] && a.pressure?.ttlSeconds === b.pressure?.ttlSeconds;

/** Admits one challenge in the next batch of its group; resolves to its AdmitResult. */
export function admitInBatch(redis: Redis, group: AdmitGroup, entry: AdmitEntry): Promise<AdmitResult> {
  let queues = queuesOf.get(redis);
  if (!queues) queuesOf.set(redis, (queues = new Map()));
  const key = group.pressure ? group.pressure.site[0] : group.statsKey;
  let list = queues.get(key);
  if (!list) queues.set(key, (list = []));
  let q = list.find((x) => sameGroup(x.group, group));
  if (!q) list.push((q = { group, waiting: [], inFlight: false, scheduled: false }));
  const queue = q, all = queues;
  return new Promise<AdmitResult>((resolve, reject) => {
    queue.waiting.push({ entry, resolve, reject });
    if (!queue.inFlight && !queue.scheduled) {
      queue.scheduled = true;
      setImmediate(send, redis, all, key, queue);
    }
  });
}

function send(redis: Redis, queues: Map<string, Queue[]>, key: string, q: Queue): void {
  q.scheduled = false;
  if (!q.waiting.length) {
    const list = queues.get(key) ?? [];
    list.splice(list.indexOf(q), 1);
    if (!list.length) queues.delete(key);
    return;
  }
  const batches: Waiting[][] = [];
  for (let i = 0; i < q.waiting.length; i += MAX_BATCH) batches.push(q.waiting.slice(i, i + MAX_BATCH));
  q.waiting = [];
  q.inFlight = true;
  let left = batches.length;
  for (const batch of batches) {
    call(redis, q.group, batch.map((w) => w.entry)).then(
      (out) => batch.forEach((w, i) => w.resolve([out[3 * i], out[3 * i + 1], out[3 * i + 2]])),
      (err) => batch.forEach((w) => w.reject(err)),
    ).finally(() => {
      if (--left) return;
      q.inFlight = false;
      // Whatever arrived while these were in Redis goes now, in one batch.
      send(redis, queues, key, q);
    });
  }
}

async function call(redis: Redis, g: AdmitGroup, entries: AdmitEntry[]): Promise<number[]> {
  const keyList: string[] = [g.statsKey];
  const args: Array<string | number> = [entries.length, g.maxFailures, g.field, g.stores ? '1' : '0', g.pressure ? g.pressure.ttlSeconds : ''];
  if (g.pressure) keyList.push(g.pressure.site[0], g.pressure.site[1]);
  for (const e of entries) {
    keyList.push(e.failuresKey, e.limit ? e.limit.key : e.failuresKey);
    args.push(e.limit ? e.limit.points : '', e.limit ? e.limit.windowSeconds : 0, e.previousShare);
    if (g.stores) {
      if (!e.stored) throw new Error('a stored challenge in a batch that stores is missing its answer');
      keyList.push(e.stored.key);
      args.push(e.stored.value, e.stored.ttlSeconds);
    }
    if (g.pressure) {
      if (!e.network) throw new Error('a proof-of-work challenge is missing its network buckets');
      keyList.push(e.network[0], e.network[1]);
    }
  }
  return runLua<number[]>(redis, ADMIT_MANY, keyList, args);
}
