import type Redis from 'ioredis';
import type { Model } from '../classifier';
import type { Logger } from '../logger';
import { keys } from '../infra/keys';
import { unflatten } from './agreement';
import { feedbackSeq, sitesMarkedAfter } from './dirty-sites';
import { parseEntry, SiteState, TASKS, type Task } from './site-state';

export interface LearnerOptions {
  redis: Redis;
  models: { spam: Model; toxicity: Model };
  logger: Logger;
  /** Learn only these tasks' feedback. @defaultValue both */
  tasks?: Task[];
  /** @defaultValue 2000, so every instance has learnt a decision within a few seconds. */
  intervalMs?: number;
}

export interface Learner {
  /**
   * Reads the feedback entries not yet learnt (from the sites marked since the last look; every site ever marked on
   * the first call) and the agreed global delta; returns how many entries were learnt.
   */
  catchUp(): Promise<number>;
  /** How many entries of one site's stream this process has learnt (those in its snapshot included). */
  learnt(siteId: string): number;
  close(): Promise<void>;
}

const BATCH = 1000;
const SITE_BATCH = 64;
/** Entries learnt between two turns of the event loop. */
const YIELD_EVERY = 50;

/**
 * Teaches the in-memory models from the sites' feedback streams. A site's feedback goes into that site's overlay
 * only (site-overlay.ts), so it moves that site's scores and no other's. The counts all sites share change only by
 * the delta several sites agreed on (agreement.ts), which one instance computes and writes to Redis (compactor.ts)
 * and every instance polls here.
 *
 * A process starts a site from its snapshot in Redis (the learnt counts up to an entry, site-state.ts) and then
 * learns the stream's tail, so it holds what running instances hold even after the stream was trimmed to the
 * retention. The streams and snapshots in Redis are the learnt state; no model file is rewritten behind the
 * operator's back.
 */
export function startLearner(opts: LearnerOptions): Learner {
  const tasks = opts.tasks ?? [...TASKS];
  const last = new Map<string, string>();
  const started = new Set<string>();
  const counts = new Map<string, number>();
  let agreedVersion: string | null = null;
  /** The highest feedback mark this process has read the sites of (dirty-sites.ts); undefined until the first tick. */
  let seen: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let closed = false;

  /** The first time a site is seen: its snapshot's overlays and position (the compactor trims only behind older ones). */
  async function start(siteId: string): Promise<void> {
    const s = SiteState.parse(await opts.redis.get(keys.learnSnapshot(siteId)));
    if (!s) return;
    for (const t of tasks) opts.models[t].loadSite(siteId, s.overlay(t));
    last.set(siteId, s.pos);
    counts.set(siteId, tasks.reduce((n, t) => n + s.entries[t], 0));
  }

  /** The site's entries after what this process has learnt (its snapshot is loaded first, once). */
  async function read(siteId: string): Promise<Array<[string, string[]]>> {
    // Once per site and process: a site with no snapshot yet would otherwise cost a read on every tick.
    if (!started.has(siteId)) {
      await start(siteId);
      started.add(siteId);
    }
    const from = last.has(siteId) ? `(${last.get(siteId)}` : '-';
    return opts.redis.xrange(keys.feedback(siteId), from, '+', 'COUNT', BATCH);
  }

  /**
   * Learns a site's entries, the first batch already read. It gives the event loop a turn every few entries: learning
   * is synchronous work, and a process catching up on thousands of entries must not hold up requests (or let their
   * Redis replies wait past the command timeout).
   */
  async function learnSite(siteId: string, first: Array<[string, string[]]>): Promise<number> {
    let n = 0;
    for (let rows = first; ; rows = await read(siteId)) {
      for (const [id, fields] of rows) {
        last.set(siteId, id);
        const f = parseEntry(fields);
        if (!f || !tasks.includes(f.task)) continue;
        // Into this site's overlay only: one site's feedback never moves another site's scores.
        opts.models[f.task].learnSite({ text: f.text, author: f.author, email: f.email, url: f.url }, f.positive ? 1 : 0, f.withdraw ? -1 : 1, siteId);
        if (++n % YIELD_EVERY === 0) await new Promise((r) => setImmediate(r));
      }
      if (rows.length < BATCH) break;
    }
    counts.set(siteId, (counts.get(siteId) ?? 0) + n);
    return n;
  }

  /** Applies the agreed global delta when its version changed since the last look. */
  async function learnAgreed(): Promise<void> {
    const version = await opts.redis.hget(keys.learnAgreed(), 'version');
    if (version === agreedVersion) return;
    const raw = await opts.redis.hmget(keys.learnAgreed(), 'version', ...tasks);
    tasks.forEach((t, i) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw[i + 1] ?? '[]');
      } catch {
        parsed = [];
      }
      opts.models[t].setAgreed(unflatten(parsed));
    });
    agreedVersion = raw[0];
  }

  /**
   * The sites to read this tick and the mark to remember once they are read: on the first tick, every site that was
   * ever marked with feedback (the marks are never removed, so that is every site with a stream or a snapshot); then
   * only those marked since the last tick; every site when the marks were lost (the counter went back). A process
   * that read every stream of every site, at start or on every tick, would cost start-up garbage, idle CPU and Redis
   * commands in proportion to the number of sites, most of which never sent feedback. A site whose marks were all
   * lost while this process was not running is marked again by the compactor's next full pass (compactor.ts).
   */
  async function sitesToRead(): Promise<{ ids: string[]; mark: number }> {
    const marked = await sitesMarkedAfter(opts.redis, seen ?? 0);
    if (!marked.reset) return { ids: marked.siteIds, mark: marked.seq };
    // The counter is read before the index: a mark made after it is seen by the next tick.
    const mark = await feedbackSeq(opts.redis);
    return { ids: await opts.redis.zrange(keys.siteIndex(), 0, -1), mark };
  }

  async function catchUp(): Promise<number> {
    let n = 0;
    const { ids, mark } = await sitesToRead();
    for (let i = 0; i < ids.length; i += SITE_BATCH) {
      const batch = ids.slice(i, i + SITE_BATCH);
      const firsts = await Promise.all(batch.map((id) => read(id)));
      for (let j = 0; j < batch.length; j++) if (firsts[j].length) n += await learnSite(batch[j], firsts[j]);
    }
    // Only once every marked site was read: a failed tick is retried from the same mark.
    seen = mark;
    await learnAgreed();
    if (n) opts.logger.info({ learnt: n }, 'models learnt from feedback');
    return n;
  }

  const tick = () => {
    if (closed) return;
    running = catchUp()
      .catch((err) => {
        opts.logger.warn({ err: (err as Error).message }, 'learning from feedback failed; will retry');
        return 0;
      })
      .finally(() => {
        if (!closed) timer = setTimeout(tick, opts.intervalMs ?? 2000);
      });
  };
  tick();

  return {
    catchUp: async () => {
      await running;
      return catchUp();
    },
    learnt: (siteId) => counts.get(siteId) ?? 0,
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
