import crypto from 'node:crypto';
import type Redis from 'ioredis';
import { Job, Queue, Worker } from 'bullmq';
import { defaultJobOptions, QUEUE_PREFIX, reviewQueueName } from '../infra/queues';

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

/**
 * The review queues, one BullMQ queue per site. A claim is BullMQ's own job lock: `getNextJob` moves the best job to
 * active atomically (so two moderators can never get the same item) under a lock that lasts one lease, and the
 * stalled-job checker moves a job whose lock ran out back to the queue. Queues and workers are made on first use
 * and share one connection; each worker adds one blocking connection, which is the price of per-site queues.
 */
export class ReviewQueues {
  private queues = new Map<string, Queue<ReviewJobData>>();
  private workers = new Map<string, Worker<ReviewJobData>>();
  private sharedQueues = new Map<string, Queue>();
  private closing = false;

  constructor(
    private connection: Redis,
    private opts: {
      leaseMs: number;
      /** Run the stalled-job checker (returns expired leases); only in processes that run workers. */
      checkStalled: boolean;
      onError?: (err: unknown) => void;
    },
  ) {}

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
      w = new Worker<ReviewJobData>(reviewQueueName(siteId), null, {
        connection: this.connection,
        prefix: QUEUE_PREFIX,
        autorun: false,
        lockDuration: this.opts.leaseMs,
        // Half a lease (at most 15 s): a lapsed claim is back in the queue within about two checks of its end.
        stalledInterval: Math.max(100, Math.min(15000, Math.round(this.opts.leaseMs / 2))),
        // An abandoned item must keep coming back, never fail.
        maxStalledCount: 1_000_000,
        skipStalledCheck: !this.opts.checkStalled,
      });
      w.on('error', (err) => this.opts.onError?.(err));
      if (this.opts.checkStalled) void w.startStalledCheckTimer();
      this.workers.set(siteId, w);
    }
    return w;
  }

  /** Starts the stalled-job checker for a site, so leases lapse even before anyone claims there. */
  watch(siteId: string): void {
    if (this.opts.checkStalled && !this.closing) this.worker(siteId);
  }

  /** Adds a comment; the job id is the comment id, so adding the same comment again changes nothing. */
  async add(data: ReviewJobData, priority: number): Promise<void> {
    await this.queue(data.siteId).add('review', data, { jobId: data.commentId, priority });
    this.watch(data.siteId);
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
    return job ? { job: job as Job<ReviewJobData>, token } : undefined;
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

  async counts(siteId: string): Promise<QueueCounts> {
    const c = await this.queue(siteId).getJobCounts('waiting', 'prioritized', 'active', 'delayed');
    return { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0), claimed: c.active ?? 0 };
  }

  /**
   * Waiting and claimed counts of many sites, read straight from BullMQ's keys (no Queue object per site), with all
   * the reads in flight at once; for /metrics.
   */
  async countsOf(siteIds: string[]): Promise<QueueCounts[]> {
    const key = (s: string, k: string) => `${QUEUE_PREFIX}:${reviewQueueName(s)}:${k}`;
    const c = this.connection;
    return Promise.all(
      siteIds.map(async (s) => {
        const [wait, prioritized, delayed, active] = await Promise.all([
          c.llen(key(s, 'wait')), c.zcard(key(s, 'prioritized')), c.zcard(key(s, 'delayed')), c.llen(key(s, 'active')),
        ]);
        return { waiting: wait + prioritized + delayed, claimed: active };
      }),
    );
  }

  /** The waiting jobs in the order they will be claimed. */
  async waiting(siteId: string, limit: number): Promise<Array<Job<ReviewJobData>>> {
    const jobs = await this.queue(siteId).getJobs(['prioritized', 'waiting'], 0, limit - 1, true);
    return jobs.filter((j): j is Job<ReviewJobData> => !!j).sort((a, b) => (a.priority || 0) - (b.priority || 0) || a.timestamp - b.timestamp);
  }

  /**
   * The install's shared queues (webhooks, learning) for the operator's bull-board; made once, closed with the rest.
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

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.workers.values()].map((w) => w.close(true).catch(() => undefined)));
    await Promise.all([...this.queues.values(), ...this.sharedQueues.values()].map((q) => q.close().catch(() => undefined)));
  }
}
