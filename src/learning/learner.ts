import type Redis from 'ioredis';
import type { Model } from '../classifier';
import type { Logger } from '../logger';
import { keys } from '../infra/keys';
import { unflatten } from './agreement';
import { parseEntry, SiteState, TASKS, type Task } from './site-state';

export interface LearnerOptions {
  redis: Redis;
  models: { spam: Model; toxicity: Model };
  logger: Logger;
  /** Learn only these tasks' feedback. @defaultValue both */
  tasks?: Task[];
  /** Learn only from these sites' streams. @defaultValue every site */
  siteIds?: string[];
  /** How old an entry must be before it is learnt. @defaultValue 0 */
  settleMs?: number;
  /** @defaultValue 2000, so every instance has learnt a decision within a few seconds. */
  intervalMs?: number;
}

export interface Learner {
  /** Reads every settled feedback entry not yet learnt and the agreed global delta; returns how many entries were learnt. */
  catchUp(now?: number): Promise<number>;
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

  /** The site's entries after what this process has learnt, up to `until` (its snapshot is loaded first, once). */
  async function read(siteId: string, until: number): Promise<Array<[string, string[]]>> {
    // Once per site and process: a site with no snapshot yet would otherwise cost a read on every tick.
    if (!started.has(siteId)) {
      await start(siteId);
      started.add(siteId);
    }
    const from = last.has(siteId) ? `(${last.get(siteId)}` : '-';
    return opts.redis.xrange(keys.feedback(siteId), from, String(until), 'COUNT', BATCH);
  }

  /**
   * Learns a site's entries, the first batch already read. It gives the event loop a turn every few entries: learning
   * is synchronous work, and a process catching up on thousands of entries must not hold up requests (or let their
   * Redis replies wait past the command timeout).
   */
  async function learnSite(siteId: string, until: number, first: Array<[string, string[]]>): Promise<number> {
    let n = 0;
    for (let rows = first; ; rows = await read(siteId, until)) {
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

  async function catchUp(now = Date.now()): Promise<number> {
    const until = now - (opts.settleMs ?? 0);
    let n = 0;
    const ids = opts.siteIds ?? (await opts.redis.zrange(keys.siteIndex(), 0, -1));
    // Sites in batches whose reads share round trips (the connection pipelines them): a tick over many sites costs
    // a few round trips, not one per site. Each site's entries are still learnt in stream order; sites' overlays are
    // independent of each other (below the bound on all overlays together, site-overlay.ts).
    // Only the reads run together; the learning is done one site after another.
    for (let i = 0; i < ids.length; i += SITE_BATCH) {
      const batch = ids.slice(i, i + SITE_BATCH);
      const firsts = await Promise.all(batch.map((id) => read(id, until)));
      for (let j = 0; j < batch.length; j++) if (firsts[j].length) n += await learnSite(batch[j], until, firsts[j]);
    }
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
    catchUp: async (now) => {
      await running;
      return catchUp(now);
    },
    learnt: (siteId) => counts.get(siteId) ?? 0,
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
