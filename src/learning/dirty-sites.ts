import type Redis from 'ioredis';
import { keys } from '../infra/keys';
import { luaScript, runLua } from '../infra/lua';

/**
 * Which sites have feedback a learner has not read yet. Every feedback write is followed by a mark: the site's member
 * in one sorted set of the deployment, scored with the next value of one counter. A learner remembers the highest
 * score it has read and asks only for sites scored above it, so an idle tick costs one read whatever the number of
 * sites, and a busy one reads only the streams that changed. The mark is written after the stream entry, so a
 * learner that sees a mark also sees the entry; a mark missed in one tick (written between its read and the stream
 * read) has a higher score and is seen in the next one. Both keys are in the `{global}` slot, so the script is legal
 * on Redis Cluster; the site's own stream stays in its own slot. A mark that is lost anyway (a crash between the
 * write and its mark, or a counter reset that was not noticed) is made again by the compactor's next full pass
 * (hourly, compactor.ts), which marks every site it folded new entries of.
 */
const MARK = luaScript(`
local n = redis.call('INCR', KEYS[2])
redis.call('ZADD', KEYS[1], n, ARGV[1])
return n`);

/** Marks a site as having new feedback; call it after the feedback's write has succeeded. */
export async function markFeedback(redis: Redis, siteId: string): Promise<void> {
  await runLua(redis, MARK, [keys.learnDirty(), keys.learnSeq()], [siteId]);
}

/**
 * Marks those of the sites (ARGV) that have no mark at all, each with the next value of the counter; returns how many.
 * A site's mark is what makes a starting learner read it (learner.ts), so a site with feedback must never be without
 * one, even after the marks were lost.
 */
const MARK_UNMARKED = luaScript(`
local n = 0
for i = 1, #ARGV do
  if not redis.call('ZSCORE', KEYS[1], ARGV[i]) then
    redis.call('ZADD', KEYS[1], redis.call('INCR', KEYS[2]), ARGV[i])
    n = n + 1
  end
end
return n`);

/** Sites one MARK_UNMARKED call checks. */
const UNMARKED_BATCH = 500;

/** Marks the sites that have no mark (see MARK_UNMARKED); returns how many were marked. */
export async function markUnmarked(redis: Redis, siteIds: string[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < siteIds.length; i += UNMARKED_BATCH) {
    n += await runLua<number>(redis, MARK_UNMARKED, [keys.learnDirty(), keys.learnSeq()], siteIds.slice(i, i + UNMARKED_BATCH));
  }
  return n;
}

/** The counter now: a learner that then reads every site has seen every mark up to it. */
export async function feedbackSeq(redis: Redis): Promise<number> {
  return Number((await redis.get(keys.learnSeq())) ?? 0);
}

/**
 * Sites marked after `since`, and the counter to ask from next time. `reset` is true when the counter is below
 * `since` (the keys were lost, e.g. a Redis restored from an older dump): the caller must then read every site.
 */
export async function sitesMarkedAfter(redis: Redis, since: number): Promise<{ siteIds: string[]; seq: number; reset: boolean }> {
  const [[, seqRaw], [, rows]] = ((await redis
    .multi()
    .get(keys.learnSeq())
    .zrangebyscore(keys.learnDirty(), `(${since}`, '+inf', 'WITHSCORES')
    .exec()) ?? []) as Array<[Error | null, unknown]>;
  const seq = Number(seqRaw ?? 0);
  const flat = (rows ?? []) as string[];
  const siteIds: string[] = [];
  let top = since;
  for (let i = 0; i + 1 < flat.length; i += 2) {
    siteIds.push(flat[i]);
    top = Math.max(top, Number(flat[i + 1]));
  }
  return { siteIds, seq: Math.max(top, seq), reset: seq < since };
}
