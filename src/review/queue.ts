import crypto from 'node:crypto';
import type Redis from 'ioredis';
import { BackendFactory, createRedisBackend, Job, Queue, RedisQueueBackend, Worker } from 'bullmq';
import { keys } from '../infra/keys';
import { luaScript, runLua } from '../infra/lua';
import { defaultJobOptions, QUEUE_PREFIX, queueNames, reviewQueueName } from '../infra/queues';

/** What a review job carries: enough to find the comment; the comment itself stays in its own key. */
export interface ReviewJobData {
  siteId: string;
  commentId: string;
  createdAt: string;
}

export interface QueueCounts {
  waiting: number;
  claimed: number;
}

/** Site queues and claim workers kept open at once; older ones are closed (and made again on next use). */
const KEEP_OPEN = 256;
/** An evicted queue or worker may still be in the middle of a call: it is closed only after this long. */
const RETIRE_AFTER_MS = 60_000;

/**
 * The claim workers only ever take a job without blocking (`getNextJob(token, {block: false})`), so they need no
 * blocking connection of their own: BullMQ would otherwise open one per worker, that is one per site per process.
 */
const withoutBlockingConnection: BackendFactory<RedisQueueBackend> = (name, opts, factoryOpts) =>
  createRedisBackend(name, opts, { ...factoryOpts, withBlockingConnection: false });

/** BullMQ's stalled-job pass of one queue; private in BullMQ's types, run here by the sweep instead of a timer each. */
type StalledPass = { moveStalledJobsToWait(): Promise<void> };

/**
 * Forgets a site in the claimed-sites set once its queue has nothing active, in one step with the check, so a claim
 * made meanwhile (which adds the site back after taking its job) is never lost.
 */
const FORGET_IF_IDLE = luaScript(`
if redis.call('LLEN', KEYS[2]) == 0 then return redis.call('ZREM', KEYS[1], ARGV[1]) end
return 0`);

/** Sites counted by one QUEUE_COUNTS call. */
const COUNT_BATCH = 500;

/**
 * Waiting (wait + prioritized + delayed) and claimed (active) counts of the review queues of the sites in ARGV[2..],
 * whose keys start with ARGV[1]. The queue keys are built here rather than passed, which is legal because they all
 * share the `{vigil}` hash tag of KEYS[1] (one Redis Cluster slot).
 */
const QUEUE_COUNTS = luaScript(`
local out = {}
for i = 2, #ARGV do
  local q = ARGV[1] .. ARGV[i] .. ':'
  out[#out + 1] = redis.call('LLEN', q .. 'wait') + redis.call('ZCARD', q .. 'prioritized') + redis.call('ZCARD', q .. 'delayed')
  out[#out + 1] = redis.call('LLEN', q .. 'active')
end
return out`);

/**
 * The review queues, one BullMQ queue per site. A claim is BullMQ's own job lock: `getNextJob` moves the best job to
 * active atomically (so two moderators can never get the same item) under a lock that lasts one lease, and the
 * stalled-job pass moves a job whose lock ran out back to the queue.
 *
 * What this costs grows with activity, not with the number of sites: queue and worker objects are made on first use,
 * share one connection and the least recently used are closed beyond KEEP_OPEN; and instead of a stalled-job timer
 * per site, one sweep per process runs the stalled pass only for the sites that have claimed items, which a claim
 * records in a set in Redis (so a claim made by a process that died is still swept by the others).
 */
export class ReviewQueues {
  private queues = new Lru<Queue<ReviewJobData>>(KEEP_OPEN, (q) => this.retire(q));
  private workers = new Lru<Worker<ReviewJobData>>(KEEP_OPEN, (w) => this.retire(w));
  private sharedQueues = new Map<string, Queue>();
  private retiring = new Set<{ close(): Promise<unknown> }>();
  private sweepTimer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;
  private closing = false;

  constructor(
    private connection: Redis,
    private opts: {
      leaseMs: number;
      /** Run the stalled-job sweep (returns expired leases); only in processes that run workers. */
      checkStalled: boolean;
      onError?: (err: unknown) => void;
    },
  ) {
    if (opts.checkStalled) {
      this.sweepTimer = setInterval(() => {
        this.sweeping ??= this.sweepStalled().catch((err) => this.opts.onError?.(err)).finally(() => (this.sweeping = undefined));
      }, this.stalledInterval());
      this.sweepTimer.unref();
    }
  }

  /** Half a lease (at most 15 s): a lapsed claim is back in the queue within about two passes of its end. */
  private stalledInterval(): number {
    return Math.max(100, Math.min(15000, Math.round(this.opts.leaseMs / 2)));
  }

  queue(siteId: string): Queue<ReviewJobData> {
    let q = this.queues.get(siteId);
    if (!q) {
      if (this.closing) throw new Error('the review queues are closed');
      q = new Queue<ReviewJobData>(reviewQueueName(siteId), {
        connection: this.connection,
        prefix: QUEUE_PREFIX,
        defaultJobOptions: defaultJobOptions.review,
      });
      q.on('error', (err) => this.opts.onError?.(err));
      this.queues.set(siteId, q);
    }
    return q;
  }

  private worker(siteId: string): Worker<ReviewJobData> {
    let w = this.workers.get(siteId);
    if (!w) {
      if (this.closing) throw new Error('the review queues are closed');
      w = new Worker<ReviewJobData, unknown, string>(reviewQueueName(siteId), null, {
        connection: this.connection,
        prefix: QUEUE_PREFIX,
        autorun: false,
        lockDuration: this.opts.leaseMs,
        stalledInterval: this.stalledInterval(),
        // An abandoned item must keep coming back, never fail.
        maxStalledCount: 1_000_000,
        // The sweep runs the stalled pass; the worker starts no timer of its own.
        skipStalledCheck: true,
      }, withoutBlockingConnection);
      w.on('error', (err) => this.opts.onError?.(err));
      this.workers.set(siteId, w);
    }
    return w;
  }

  private retire(o: { close(): Promise<unknown> }): void {
    this.retiring.add(o);
    setTimeout(() => {
      this.retiring.delete(o);
      void o.close().catch(() => undefined);
    }, RETIRE_AFTER_MS).unref();
  }

  /**
   * One stalled-job pass over the sites with claimed items; a site whose queue has nothing active any more is
   * forgotten. Returns when the pass is done (tests and shutdown wait on it).
   */
  async sweepStalled(): Promise<void> {
    const sites = await this.connection.zrange(keys.reviewClaimedSites(), 0, -1);
    for (const siteId of sites) {
      if (this.closing) return;
      await (this.worker(siteId) as unknown as StalledPass).moveStalledJobsToWait();
      await runLua(this.connection, FORGET_IF_IDLE, [keys.reviewClaimedSites(), queueKey(siteId, 'active')], [siteId]);
    }
  }

  /** Records that a site has claimed items, so the sweep watches it (also for claims made before an upgrade). */
  async markClaimed(siteId: string): Promise<void> {
    await this.connection.zadd(keys.reviewClaimedSites(), Date.now(), siteId);
  }

  /** Adds a comment; the job id is the comment id, so adding the same comment again changes nothing. */
  async add(data: ReviewJobData, priority: number): Promise<void> {
    await this.queue(data.siteId).add('review', data, { jobId: data.commentId, priority });
  }

  /**
   * Puts a comment back even if a finished job with its id is still kept (after undo, or when reconciling).
   * Returns true when a job was added.
   */
  async ensure(data: ReviewJobData, priority: number): Promise<boolean> {
    const q = this.queue(data.siteId);
    const job = await q.getJob(data.commentId);
    if (job) {
      const state = await job.getState();
      if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return false;
      await job.remove().catch(() => undefined);
    }
    await this.add(data, priority);
    return true;
  }

  /** Claims the best waiting job of a site for one lease; undefined when none waits. */
  async claim(siteId: string): Promise<{ job: Job<ReviewJobData>; token: string } | undefined> {
    const token = crypto.randomUUID();
    const job = await this.worker(siteId).getNextJob(token, { block: false });
    if (!job) return undefined;
    await this.markClaimed(siteId);
    return { job: job as Job<ReviewJobData>, token };
  }

  async extend(siteId: string, commentId: string, token: string): Promise<boolean> {
    const job = await this.queue(siteId).getJob(commentId);
    if (!job) return false;
    return Boolean(await job.extendLock(token, this.opts.leaseMs));
  }

  /**
   * Takes a job out of the queue for a decision. The claimant completes it with its token; anyone else may take it
   * only while nobody holds it. Returns false when another moderator holds it.
   */
  async finish(siteId: string, commentId: string, token: string | undefined, result: unknown): Promise<boolean> {
    const job = await this.queue(siteId).getJob(commentId);
    if (!job) return true;
    if (token) {
      try {
        await job.moveToCompleted(result, token, false);
        return true;
      } catch {
        // The lease ran out; fall through and treat the job like any unclaimed one.
      }
    }
    const state = await job.getState();
    if (state === 'completed' || state === 'failed' || state === 'unknown') return true;
    if (state === 'active') return false;
    try {
      await job.remove();
      return true;
    } catch {
      return false;
    }
  }

  /** Hands a claimed job back to the queue at once (a moderator skipping it). */
  async release(siteId: string, commentId: string, token: string): Promise<void> {
    const job = await this.queue(siteId).getJob(commentId);
    if (job) await job.moveToWait(token).catch(() => undefined);
  }

  /** Sets a claimed job aside until `until` (ms): another moderator opened that item from the list meanwhile. */
  async defer(siteId: string, commentId: string, token: string, until: number): Promise<void> {
    const job = await this.queue(siteId).getJob(commentId);
    if (job) await job.moveToDelayed(Math.max(Date.now() + 1000, until), token).catch(() => undefined);
  }

  /** Brings a set-aside job back to the queue at once (its list claim was handed back). */
  async promote(siteId: string, commentId: string): Promise<void> {
    const job = await this.queue(siteId).getJob(commentId);
    if (job && (await job.getState()) === 'delayed') await job.promote().catch(() => undefined);
  }

  async counts(siteId: string): Promise<QueueCounts> {
    const c = await this.queue(siteId).getJobCounts('waiting', 'prioritized', 'active', 'delayed');
    return { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0), claimed: c.active ?? 0 };
  }

  /**
   * Waiting and claimed counts of many sites, read straight from BullMQ's keys (no Queue object per site) in one
   * pipeline (every queue key has the `{vigil}` hash tag, so this holds on a Redis Cluster too); for /metrics.
   */
  async countsOf(siteIds: string[]): Promise<QueueCounts[]> {
    const out: QueueCounts[] = [];
    // One script call per batch of sites instead of four commands per site: the client's cost per command, not
    // Redis's, is what a scrape of many sites spends its time on.
    for (let i = 0; i < siteIds.length; i += COUNT_BATCH) {
      const batch = siteIds.slice(i, i + COUNT_BATCH);
      const flat = await runLua<number[]>(this.connection, QUEUE_COUNTS, [keys.reviewClaimedSites()], [`${QUEUE_PREFIX}:${queueNames.review}-`, ...batch]);
      batch.forEach((_, j) => out.push({ waiting: flat[2 * j], claimed: flat[2 * j + 1] }));
    }
    return out;
  }

  /** The waiting jobs in the order they will be claimed. */
  async waiting(siteId: string, limit: number): Promise<Array<Job<ReviewJobData>>> {
    const jobs = await this.queue(siteId).getJobs(['prioritized', 'waiting'], 0, limit - 1, true);
    return jobs.filter((j): j is Job<ReviewJobData> => !!j).sort((a, b) => (a.priority || 0) - (b.priority || 0) || a.timestamp - b.timestamp);
  }

  /**
   * The install's shared queues (webhooks) for the operator's bull-board; made once, closed with the rest.
   */
  shared(names: string[]): Queue[] {
    return names.map((name) => {
      let q = this.sharedQueues.get(name);
      if (!q) {
        q = new Queue(name, { connection: this.connection, prefix: QUEUE_PREFIX });
        q.on('error', (err) => this.opts.onError?.(err));
        this.sharedQueues.set(name, q);
      }
      return q;
    });
  }

  /** All queues made so far, for bull-board. */
  all(): Array<Queue<ReviewJobData>> {
    return [...this.queues.values()];
  }

  /**
   * Which of these comment ids are not in the site's queue (waiting, prioritized, delayed or claimed), read from
   * BullMQ's keys in one round trip; for the reconcile.
   */
  async missing(siteId: string, commentIds: string[]): Promise<string[]> {
    const c = this.connection;
    const [wait, active, prioritized, delayed] = await Promise.all([
      c.lrange(queueKey(siteId, 'wait'), 0, -1), c.lrange(queueKey(siteId, 'active'), 0, -1),
      c.zrange(queueKey(siteId, 'prioritized'), 0, -1), c.zrange(queueKey(siteId, 'delayed'), 0, -1),
    ]);
    if (active.length) await this.markClaimed(siteId);
    const queued = new Set([...wait, ...active, ...prioritized, ...delayed]);
    return commentIds.filter((id) => !queued.has(id));
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.sweeping;
    const all = [...this.workers.values(), ...this.queues.values(), ...this.sharedQueues.values(), ...this.retiring];
    this.retiring.clear();
    await Promise.all(all.map((o) => o.close().catch(() => undefined)));
  }
}

/** A key of a site's review queue, as BullMQ names it. */
function queueKey(siteId: string, type: string): string {
  return `${QUEUE_PREFIX}:${reviewQueueName(siteId)}:${type}`;
}

/** A map that keeps the most recently used entries and hands the oldest to `evict` beyond `max`. */
class Lru<T> {
  private map = new Map<string, T>();
  constructor(private max: number, private evict: (v: T) => void) {}
  get(k: string): T | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(k: string, v: T): void {
    this.map.set(k, v);
    if (this.map.size > this.max) {
      const [oldest, ov] = this.map.entries().next().value!;
      this.map.delete(oldest);
      this.evict(ov);
    }
  }
  values(): T[] {
    return [...this.map.values()];
  }
}
