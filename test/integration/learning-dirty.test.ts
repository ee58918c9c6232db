import type Redis from 'ioredis';
import type { Model } from '../../src/classifier';
import { keys } from '../../src/infra/keys';
import { connectRedis, createRedis } from '../../src/infra/redis';
import { recordFeedback } from '../../src/learning/feedback';
import { startCompactor } from '../../src/learning/compactor';
import { markFeedback } from '../../src/learning/dirty-sites';
import { startLearner, type Learner } from '../../src/learning/learner';
import { createLogger } from '../../src/logger';
import { createSite } from '../../src/sites/site-store';
import { until } from '../helpers/wait';
import { watchKeys } from '../helpers/redis-spy';

// A database of its own: which streams the learner reads depends on what every site in the Redis does.
const shared = process.env.TEST_REDIS_URL!;
const own = /cluster=true/.test(shared) ? shared : `${shared.replace(/\/\d*$/, '')}/8`;
const alone = own !== shared ? it : it.skip;

/** Models that only count what they are taught, per site. */
function countingModels(): { models: { spam: Model; toxicity: Model }; taught: Map<string, number> } {
  const taught = new Map<string, number>();
  const none = () => undefined;
  const model = {
    learnSite: (_ex: unknown, _label: number, weight: number, siteId: string) => taught.set(siteId, (taught.get(siteId) ?? 0) + weight),
    loadSite: none, setAgreed: none, learn: none, learnable: () => [],
  } as unknown as Model;
  return { models: { spam: model, toxicity: model }, taught };
}

let redis: Redis;
let learner: Learner;
let taught: Map<string, number>;
const siteIds: string[] = [];
/** The streams the learner read, by site id. */
const reads: string[] = [];

beforeAll(async () => {
  redis = createRedis(own);
  await connectRedis(redis);
  if (own !== shared) await redis.flushdb();
  for (let i = 0; i < 40; i++) siteIds.push((await createSite(redis, { name: `quiet ${i}`, origins: ['https://news.example'] })).siteId);
  watchKeys(redis, 'xrange', (key) => {
    const id = siteIds.find((s) => key === keys.feedback(s));
    if (id) reads.push(id);
  });
  const c = countingModels();
  taught = c.taught;
  learner = startLearner({ redis, models: c.models, logger: createLogger('silent'), intervalMs: 3600_000 });
  await learner.catchUp();
});
afterAll(async () => {
  await learner.close();
  redis.disconnect();
});

alone('when no site has new feedback, then a tick reads no site\'s stream', async () => {
  reads.length = 0;
  await learner.catchUp();
  await learner.catchUp();
  expect(reads).toEqual([]);
});

alone('when one site records feedback, then the next tick reads that site\'s stream only, and learns it once', async () => {
  const [busy] = siteIds;
  await recordFeedback(redis, busy, { task: 'spam', positive: true, text: 'cheap pills', source: 'site' });
  await recordFeedback(redis, busy, { task: 'spam', positive: false, text: 'nice article', source: 'site' });
  reads.length = 0;
  expect(await learner.catchUp()).toBe(2);
  expect(reads).toEqual([busy]);
  expect(taught.get(busy)).toBe(2);
  reads.length = 0;
  expect(await learner.catchUp()).toBe(0);
  expect(reads).toEqual([]);
});

alone('when the marks are lost (a Redis restored from an older dump), then the next tick reads every site again', async () => {
  const quiet = siteIds[5];
  // Written as by a version without marks, then the counter lost: only a full read finds it.
  await redis.xadd(keys.feedback(quiet), '*', 'json', JSON.stringify({ task: 'spam', positive: true, text: 'x', source: 'site' }));
  await redis.del(keys.learnSeq(), keys.learnDirty());
  await recordFeedback(redis, siteIds[1], { task: 'spam', positive: true, text: 'cheap pills', source: 'site' });
  reads.length = 0;
  expect(await learner.catchUp()).toBe(2);
  expect(new Set(reads)).toEqual(new Set(siteIds));
  expect(taught.get(quiet)).toBe(1);
});

alone('when the compactor\'s timed passes find no new feedback, then they read no site\'s stream; a marked site is folded', async () => {
  const passes: number[] = [];
  const setSpy = watchKeys(redis, 'set', (key) => {
    if (key === keys.learnLock()) passes.push(reads.length);
  });
  const c = countingModels();
  const compactor = startCompactor({ redis, models: c.models, logger: createLogger('silent'), minSites: 3, retentionSeconds: 86400, intervalMs: 50 });
  try {
    // The first pass folds the marked sites.
    await until('a first pass and two more', () => passes.length >= 4);
    reads.length = 0;
    const n = passes.length;
    await until('two more passes', () => passes.length >= n + 2);
    expect(reads).toEqual([]);
    await recordFeedback(redis, siteIds[2], { task: 'spam', positive: true, text: 'cheap pills', source: 'site' });
    await until('the marked site folded', () => reads.includes(siteIds[2]));
    expect(new Set(reads)).toEqual(new Set([siteIds[2]]));
  } finally {
    await compactor.close();
    setSpy.mockRestore();
  }
});

/** Models whose every example touches bucket 7, so the shared delta shows which sites contributed. */
function oneBucketModels(): { spam: Model; toxicity: Model } {
  const none = () => undefined;
  const model = { learnSite: none, loadSite: none, setAgreed: none, learn: none, learnable: () => [7] } as unknown as Model;
  return { spam: model, toxicity: model };
}

alone('when a full pass visits sites that never had feedback, then it reads each once and writes nothing for them', async () => {
  const fed = (await Promise.all(siteIds.map((id) => redis.exists(keys.feedback(id))))).filter(Boolean).length;
  const gets: string[] = [];
  const getSpy = watchKeys(redis, 'get', (key) => gets.push(key));
  const multiSpy = jest.spyOn(redis, 'multi');
  const compactor = startCompactor({ redis, models: countingModels().models, logger: createLogger('silent'), minSites: 3, retentionSeconds: 86400, intervalMs: 0 });
  try {
    reads.length = 0;
    expect(await compactor.run()).toBe(true);
    for (const id of siteIds) {
      expect({ id, snapshotReads: gets.filter((k) => k === keys.learnSnapshot(id)).length }).toEqual({ id, snapshotReads: 1 });
      expect({ id, streamRead: reads.includes(id) }).toEqual({ id, streamRead: true });
    }
    // One write per site whose stream has entries (its snapshot and trim), one for the shared delta: none for the rest.
    expect(multiSpy.mock.calls.length).toBeLessThanOrEqual(fed + 1);
  } finally {
    await compactor.close();
    getSpy.mockRestore();
    multiSpy.mockRestore();
  }
});

alone('when sites the compactor knew as empty get feedback, then the next pass folds each into its snapshot, and three of them agreeing move the shared delta', async () => {
  const fresh: string[] = [];
  for (let i = 0; i < 4; i++) fresh.push((await createSite(redis, { name: `late ${i}`, origins: ['https://news.example'] })).siteId);
  const compactor = startCompactor({ redis, models: oneBucketModels(), logger: createLogger('silent'), minSites: 3, retentionSeconds: 86400, intervalMs: 0 });
  try {
    expect(await compactor.run()).toBe(true);
    for (const id of fresh) expect(await redis.exists(keys.learnSnapshot(id))).toBe(0);
    // Stored comments' examples, written as recordFeedback writes them, then marked.
    const ids: string[] = [];
    for (const id of fresh.slice(0, 3)) {
      ids.push((await redis.xadd(keys.feedback(id), '*', 'json', JSON.stringify({ task: 'spam', positive: true, text: 'cheap pills', source: 'site', stored: true })))!);
      await markFeedback(redis, id);
    }
    expect(await compactor.run()).toBe(true);
    for (const [i, id] of fresh.slice(0, 3).entries()) {
      expect(JSON.parse((await redis.get(keys.learnSnapshot(id)))!)).toMatchObject({ pos: ids[i], contrib: { spam: [7, 0, 1] } });
    }
    // Each of the three gave one count to bucket 7; the site that stayed quiet gave nothing and has no snapshot.
    expect(JSON.parse((await redis.hget(keys.learnAgreed(), 'spam'))!)).toEqual([7, 0, 3]);
    expect(await redis.exists(keys.learnSnapshot(fresh[3]))).toBe(0);
  } finally {
    await compactor.close();
  }
});

alone('when a process starts, then its learner reads the streams of the sites ever marked with feedback, not of every site', async () => {
  const marked = new Set(await redis.zrange(keys.learnDirty(), 0, -1));
  expect(marked.size).toBeGreaterThan(0);
  const c = countingModels();
  const starting = startLearner({ redis, models: c.models, logger: createLogger('silent'), intervalMs: 3600_000 });
  try {
    reads.length = 0;
    await starting.catchUp();
    expect(reads.length).toBeGreaterThan(0);
    for (const id of reads) expect({ id, marked: marked.has(id) }).toEqual({ id, marked: true });
    // The sites that never had feedback cost the starting learner no read.
    const quiet = siteIds.filter((id) => !marked.has(id));
    expect(quiet.length).toBeGreaterThan(20);
    for (const id of quiet) expect(reads).not.toContain(id);
  } finally {
    await starting.close();
  }
});

alone('when a site with feedback lost its mark, then the compactor\'s next full pass marks it again and a learner started meanwhile loads its snapshot', async () => {
  const site = siteIds[30];
  await recordFeedback(redis, site, { task: 'spam', positive: true, text: 'cheap pills', source: 'site' });
  const compactor = startCompactor({ redis, models: countingModels().models, logger: createLogger('silent'), minSites: 3, retentionSeconds: 86400, intervalMs: 0 });
  const c = countingModels();
  let starting: Learner | undefined;
  try {
    expect(await compactor.run({ wait: true })).toBe(true);
    expect(await redis.exists(keys.learnSnapshot(site))).toBe(1);
    // The mark is lost (a {global} slot restored from an older dump); a process starts meanwhile.
    await redis.zrem(keys.learnDirty(), site);
    starting = startLearner({ redis, models: c.models, logger: createLogger('silent'), intervalMs: 3600_000 });
    await starting.catchUp();
    expect(starting.learnt(site)).toBe(0);
    expect(await compactor.run({ wait: true })).toBe(true);
    expect(await redis.zscore(keys.learnDirty(), site)).not.toBeNull();
    await starting.catchUp();
    expect(starting.learnt(site)).toBe(1);
  } finally {
    await starting?.close();
    await compactor.close();
  }
});

/** Runs a compactor with timed passes every 50 ms until its first pass ended; returns the snapshots it read. */
async function firstTimedPass(): Promise<string[]> {
  const locks: number[] = [];
  const snapshots: string[] = [];
  const setSpy = watchKeys(redis, 'set', (key) => {
    if (key === keys.learnLock()) locks.push(reads.length);
  });
  const getSpy = watchKeys(redis, 'get', (key) => {
    if (locks.length === 1) snapshots.push(key);
  });
  const compactor = startCompactor({ redis, models: countingModels().models, logger: createLogger('silent'), minSites: 3, retentionSeconds: 86400, intervalMs: 50 });
  try {
    reads.length = 0;
    // The second pass takes the lock once the first one has released it.
    await until('the first timed pass ended', () => locks.length >= 2);
    reads.length = locks[1];
    return snapshots.filter((k) => siteIds.some((id) => k === keys.learnSnapshot(id)));
  } finally {
    await compactor.close();
    setSpy.mockRestore();
    getSpy.mockRestore();
  }
}

// These two also run on the Redis Cluster suite (one database shared by every file, run in band): they look only at
// this file's sites, and the keys they rely on are in the {global} slot.
it('when a process\'s compactor makes its first timed pass, then it reads the snapshots and streams of the sites ever marked with feedback, not of every site', async () => {
  // A deployment with no record of a full pass counts from this one: no full pass at a start.
  await redis.del(keys.learnFullPassAt());
  for (const id of siteIds.slice(38)) await recordFeedback(redis, id, { task: 'spam', positive: true, text: 'cheap pills', source: 'site' });
  const marked = new Set(await redis.zrange(keys.learnDirty(), 0, -1));
  const quiet = siteIds.filter((id) => !marked.has(id));
  expect(quiet.length).toBeGreaterThan(20);
  const snapshots = await firstTimedPass();
  expect(reads).toEqual(expect.arrayContaining(siteIds.slice(38)));
  for (const id of reads) expect({ id, marked: marked.has(id) }).toEqual({ id, marked: true });
  for (const id of quiet) {
    expect(reads).not.toContain(id);
    expect(snapshots).not.toContain(keys.learnSnapshot(id));
  }
  expect(Number(await redis.get(keys.learnFullPassAt()))).toBeGreaterThan(Date.now() - 60_000);
});

it('when the deployment\'s last full pass is older than the full-pass period, then a starting compactor\'s first timed pass visits every site and records its end', async () => {
  // 60 intervals of 50 ms: 3 s.
  const old = Date.now() - 10_000;
  await redis.set(keys.learnFullPassAt(), String(old));
  await firstTimedPass();
  expect(new Set(reads)).toEqual(new Set(siteIds));
  expect(Number(await redis.get(keys.learnFullPassAt()))).toBeGreaterThan(old);
});
