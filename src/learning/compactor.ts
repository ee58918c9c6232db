import crypto from 'node:crypto';
import type Redis from 'ioredis';
import type { Model } from '../classifier';
import { keys } from '../infra/keys';
import type { Logger } from '../logger';
import { agree, flatten, type Contribution } from './agreement';
import { feedbackSeq, markFeedback, markUnmarked, sitesMarkedAfter } from './dirty-sites';
import { compareIds, parseEntry, SiteState, TASKS } from './site-state';

export interface CompactorOptions {
  redis: Redis;
  models: { spam: Model; toxicity: Model };
  logger: Logger;
  /** Sites that must agree before a bucket of the shared model changes (LEARN_GLOBAL_MIN_SITES). */
  minSites: number;
  /** Stream entries older than this are trimmed once a snapshot holds them (RETENTION_DAYS). */
  retentionSeconds: number;
  /** How often a pass runs (LEARN_SNAPSHOT_SECONDS); 0 runs passes only when `run` is called. */
  intervalMs: number;
}

export interface Compactor {
  /**
   * One pass: folds every site's new feedback into its snapshot, trims the streams to the retention, and rewrites the
   * agreed global delta. Returns false when another instance holds the lock (with `wait`, it waits for it instead).
   * `now` moves the retention cut, so tests can see a trim without waiting days.
   */
  run(opts?: { now?: number; wait?: boolean }): Promise<boolean>;
  close(): Promise<void>;
}

const BATCH = 1000;
/** Sites whose first reads are sent together (as the learner does). */
const SITE_BATCH = 64;
/**
 * Snapshots hold learnt counts, not text, so they outlive the retention; the TTL only clears the snapshots of sites
 * that were deleted (every pass renews it for the others).
 */
export const SNAPSHOT_TTL_SECONDS = 400 * 86400;
/**
 * Every this many intervals, a timed pass visits every site (retention trim, snapshot TTLs, deleted sites, lost marks):
 * hourly at the default interval, in the deployment as a whole (fullPassDue).
 */
const FULL_PASS_EVERY = 60;
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

interface Known {
  pos: string;
  contrib: Record<'spam' | 'toxicity', Contribution>;
  /** The snapshot position of the previous pass: the stream is trimmed no further (see trimCut). */
  trimSafe: string;
}

/** What is known of every site that never had feedback: one shared record, so such sites cost a map entry each. */
const EMPTY: Known = Object.freeze({ pos: '0-0', contrib: Object.freeze({ spam: new Map(), toxicity: new Map() }), trimSafe: '0-0' });

/**
 * Keeps the learnt state of the feedback streams in Redis, so the streams can be trimmed to the retention and a new
 * process starts from the same place as running ones. One instance at a time (a lock in Redis) folds each site's new
 * entries into its snapshot (site-state.ts) and, from every site's contribution, computes what the sites agree on
 * for the shared model (agreement.ts), written as one hash every instance polls (learner.ts).
 *
 * Only one key per write: a site's snapshot, trim and stream TTL go in one MULTI in the site's slot; the agreed delta
 * is one hash in `{global}`. Nothing spans slots, so it runs unchanged on Redis Cluster. A crash between a site's
 * write and the global write loses nothing: the next pass recomputes the global delta from the snapshots.
 */
export function startCompactor(opts: CompactorOptions): Compactor {
  const { redis } = opts;
  const known = new Map<string, Known>();
  const lockMs = Math.max(30_000, opts.intervalMs * 3);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<boolean> | undefined;
  let closed = false;
  /**
   * The feedback mark up to which every marked site was folded (dirty-sites.ts); undefined before the first pass and
   * after another instance held the lock (what this one knew may be stale then: it folds every marked site again).
   */
  let seen: number | undefined;
  /** When the deployment's last full pass ended, as this process last read or wrote it (fullPassDue). */
  let fullAt: number | undefined;

  async function lock(wait: boolean): Promise<string | undefined> {
    const token = crypto.randomBytes(12).toString('hex');
    const deadline = Date.now() + lockMs;
    for (;;) {
      if (await redis.set(keys.learnLock(), token, 'PX', lockMs, 'NX')) return token;
      if (!wait || Date.now() > deadline) return undefined;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function load(siteId: string): Promise<SiteState> {
    return parseSnapshot(siteId, await redis.get(keys.learnSnapshot(siteId)));
  }

  /**
   * Folds a site's new entries into its snapshot and trims its stream. `snapshot` is the site's snapshot when it was
   * not known yet, and `first` the first page of entries after what is known (both read by foldBatch); without
   * `first`, the page is read here.
   */
  async function foldSite(siteId: string, now: number, snapshot: string | null | undefined, first?: Array<[string, string[]]>): Promise<Known> {
    let k = known.get(siteId);
    const stream = keys.feedback(siteId);
    // A site that never had feedback has nothing to fold, renew or trim, and is remembered as one shared empty record
    // (without building a state for it: at 1,000 such sites that was megabytes of start-up garbage).
    if ((!k || k === EMPTY) && !snapshot && first && !first.length) return EMPTY;
    let state: SiteState | undefined;
    if (!k) {
      state = parseSnapshot(siteId, snapshot ?? null);
      k = { pos: state.pos, contrib: state.contrib, trimSafe: state.pos };
    }
    let rows = first ?? (await redis.xrange(stream, `(${k.pos}`, '+', 'COUNT', BATCH));
    if (k.pos === '0-0' && !rows.length && !snapshot) return known.has(siteId) ? k : EMPTY;
    let folded = 0;
    while (rows.length) {
      // New entries: only now is the whole snapshot (with its overlays) read and rewritten.
      state ??= await load(siteId);
      for (const [id, fields] of rows) {
        const f = parseEntry(fields);
        if (!f) {
          state.pos = id;
          continue;
        }
        state.apply(id, f, opts.models[f.task].learnable({ text: f.text, author: f.author, email: f.email, url: f.url }));
        // Featurizing is synchronous work: give requests a turn now and then (learner.ts does the same).
        if (++folded % 50 === 0) await new Promise((r) => setImmediate(r));
      }
      if (rows.length < BATCH) break;
      rows = await redis.xrange(stream, `(${state.pos}`, '+', 'COUNT', BATCH);
    }
    const cut = trimCut(now, k.trimSafe);
    const m = redis.multi();
    if (state && state.pos !== k.pos) m.set(keys.learnSnapshot(siteId), state.toJSON(), 'EX', SNAPSHOT_TTL_SECONDS);
    else m.expire(keys.learnSnapshot(siteId), SNAPSHOT_TTL_SECONDS);
    if (cut) m.xtrim(stream, 'MINID', cut);
    await m.exec();
    // A mark lost between a feedback write and its mark (a crash) is made good here, within a pass.
    if (state && state.pos !== k.pos) await markFeedback(redis, siteId);
    const pos = state?.pos ?? k.pos;
    return { pos, contrib: state?.contrib ?? k.contrib, trimSafe: pos };
  }

  function parseSnapshot(siteId: string, raw: string | null): SiteState {
    const s = SiteState.parse(raw);
    if (raw && !s) opts.logger.warn({ siteId }, 'unreadable learning snapshot; refolding what the stream still holds');
    return s ?? new SiteState();
  }

  /**
   * Folds a batch of sites. Their first reads are sent together, one command per key so that each goes to its own
   * slot on Redis Cluster: for a site already known, the entries after its position; for one not known yet (the first
   * pass of a process), its snapshot and whether its stream has any entry. A full pass over many sites that never
   * had feedback then costs a round trip per batch, not several per site.
   */
  async function foldBatch(ids: string[], now: number): Promise<void> {
    const looks = await Promise.all(ids.map((id) => {
      const k = known.get(id);
      return Promise.all([
        k ? undefined : redis.get(keys.learnSnapshot(id)),
        redis.xrange(keys.feedback(id), `(${k?.pos ?? '0-0'}`, '+', 'COUNT', k ? BATCH : 1),
      ]);
    }));
    for (let i = 0; i < ids.length; i++) {
      const [snapshot, page] = looks[i];
      // A site not known yet with entries: foldSite reads them from where its snapshot ends.
      const first = known.has(ids[i]) || !page.length ? page : undefined;
      known.set(ids[i], await foldSite(ids[i], now, snapshot, first));
    }
  }

  /**
   * Where the stream may be cut: before entries older than the retention, but never past the position of the
   * previous pass's snapshot, so a process that loaded that snapshot a moment ago still finds its tail.
   */
  function trimCut(now: number, trimSafe: string): string | undefined {
    const byAge = `${Math.max(0, Math.floor(now - opts.retentionSeconds * 1000))}-0`;
    const safeNext = nextId(trimSafe);
    const cut = compareIds(byAge, safeNext) < 0 ? byAge : safeNext;
    return cut === '0-0' ? undefined : cut;
  }

  /**
   * The sites this pass folds. A full pass visits every site: it trims every stream to the retention, renews every
   * snapshot's TTL, forgets deleted sites and marks sites with feedback that lost their mark. Between full passes
   * (one per FULL_PASS_EVERY intervals in the deployment, see fullPassDue), a pass folds only the sites marked with
   * new feedback since the previous one (dirty-sites.ts), so an idle deployment's passes cost one read, not two round
   * trips per site. The first pass of a process (or after another instance held the lock) knows nothing yet: it
   * folds every site ever marked with feedback (the set is never trimmed), as a starting learner reads them, not
   * every site; a site with no mark has no feedback to fold, or lost its mark and waits for the next full pass.
   */
  async function sitesToFold(full: boolean): Promise<{ ids: string[]; full: boolean }> {
    if (!full) {
      const marked = await sitesMarkedAfter(redis, seen ?? 0);
      if (!marked.reset) {
        seen = marked.seq;
        return { ids: marked.siteIds, full: false };
      }
    }
    // The counter is read before the index, so a mark made meanwhile is seen by the next pass.
    const mark = await feedbackSeq(redis);
    const ids = await redis.zrange(keys.siteIndex(), 0, -1);
    const live = new Set(ids);
    for (const id of [...known.keys()]) if (!live.has(id)) known.delete(id);
    seen = mark;
    return { ids, full: true };
  }

  /**
   * Whether a timed pass is the deployment's hourly full one: when the last full pass of any instance ended
   * FULL_PASS_EVERY intervals ago or more (learnFullPassAt). Kept in Redis, not counted per process, so that a
   * deployment whose processes restart more often than hourly (or whose lock moves between them) still makes one,
   * and a start does not make one. A deployment with no record of one counts from its first pass.
   */
  async function fullPassDue(now: number): Promise<boolean> {
    const period = FULL_PASS_EVERY * opts.intervalMs;
    // What this process last read or wrote spares the read until a full pass could be due.
    if (fullAt !== undefined && now - fullAt < period) return false;
    fullAt = Number(await redis.get(keys.learnFullPassAt()));
    if (!fullAt) {
      fullAt = now;
      await redis.set(keys.learnFullPassAt(), String(now), 'NX');
      return false;
    }
    return now - fullAt >= period;
  }

  async function pass(now: number, full: boolean): Promise<void> {
    const before = seen;
    const { ids, full: visitedAll } = await sitesToFold(full || (await fullPassDue(Date.now())));
    try {
      for (let i = 0; i < ids.length; i += SITE_BATCH) await foldBatch(ids.slice(i, i + SITE_BATCH), now);
    } catch (err) {
      // Fold these sites again next time: their marks are behind the cursor now.
      seen = before;
      throw err;
    }
    // Learners start from the marked sites only (learner.ts): every site with feedback keeps a mark, even after the
    // marks were lost (a Redis restored from an older dump, a {global} slot restored apart from the sites' slots).
    if (visitedAll) {
      const withFeedback = [...known].filter(([, k]) => k.pos !== '0-0').map(([id]) => id);
      const marked = await markUnmarked(redis, withFeedback);
      if (marked) opts.logger.warn({ sites: marked }, 'sites with feedback had lost their learning marks; marked again');
      // The wall clock, not `now` (which a caller may move to see a retention trim).
      fullAt = Date.now();
      await redis.set(keys.learnFullPassAt(), String(fullAt));
    }
    const out: Record<string, string> = {};
    for (const t of TASKS) {
      out[t] = JSON.stringify(flatten(agree([...known.values()].map((k) => k.contrib[t]), opts.minSites)));
    }
    const current = await redis.hmget(keys.learnAgreed(), ...TASKS);
    if (TASKS.every((t, i) => current[i] === out[t])) return;
    await redis.multi().hset(keys.learnAgreed(), out).hincrby(keys.learnAgreed(), 'version', 1).exec();
    opts.logger.info({ sites: ids.length }, 'the shared models\' agreed feedback changed');
  }

  async function run({ now, wait = false }: { now?: number; wait?: boolean } = {}, timed = false): Promise<boolean> {
    const token = await lock(wait);
    if (!token) {
      // Another instance folds; what this one knew may be stale when it next holds the lock.
      known.clear();
      seen = undefined;
      fullAt = undefined;
      return false;
    }
    try {
      // A pass asked for (a test, a command) is a full one; the timer's passes are full once per FULL_PASS_EVERY.
      await pass(now ?? Date.now(), !timed);
      return true;
    } finally {
      await redis.eval(RELEASE, 1, keys.learnLock(), token);
    }
  }

  const tick = () => {
    if (closed) return;
    running = run({}, true)
      .catch((err) => {
        opts.logger.warn({ err: (err as Error).message }, 'folding feedback into snapshots failed; will retry');
        return false;
      })
      .finally(() => {
        if (!closed) timer = setTimeout(tick, opts.intervalMs);
      });
  };
  // The first pass waits a whole interval: a process that lives shorter than that (a CLI run, a test) never folds.
  if (opts.intervalMs > 0) timer = setTimeout(tick, opts.intervalMs);

  return {
    run: async (o) => {
      await running;
      return run(o);
    },
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/** The smallest stream id after `id`. */
function nextId(id: string): string {
  const [ms, seq] = id.split('-');
  return `${ms}-${Number(seq) + 1}`;
}
