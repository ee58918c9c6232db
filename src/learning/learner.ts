import type Redis from 'ioredis';
import type { Model } from '../classifier';
import type { Logger } from '../logger';
import { keys } from '../infra/keys';
import { listSites } from '../sites/site-store';
import type { Feedback } from './feedback';

export interface LearnerOptions {
  redis: Redis;
  models: { spam: Model; toxicity: Model };
  logger: Logger;
  /** Learn only these tasks' feedback. @defaultValue both */
  tasks?: Array<'spam' | 'toxicity'>;
  /** Learn only from these sites' streams. @defaultValue every site */
  siteIds?: string[];
  /** How old an entry must be before it is learnt. @defaultValue 0 */
  settleMs?: number;
  /** @defaultValue 2000, so every instance has learnt a decision within a few seconds. */
  intervalMs?: number;
}

export interface Learner {
  /** Reads every settled feedback entry not yet learnt; returns how many were learnt. */
  catchUp(now?: number): Promise<number>;
  /** How many entries of one site's stream this process has learnt. */
  learnt(siteId: string): number;
  close(): Promise<void>;
}

const BATCH = 1000;

/**
 * Teaches the in-memory models from the sites' feedback streams. Every instance reads the same streams from the
 * start, so all instances learn the same thing and a restart relearns it: the streams in Redis are the learnt state,
 * no model file is rewritten behind the operator's back. Every site's feedback teaches the global model; it also goes
 * into that site's own overlay, which weighs it extra when that site's comments are scored (scorers pass the site id).
 * Both are rebuilt from the streams after a restart, so an instance scores a site the same way whenever it started.
 */
export function startLearner(opts: LearnerOptions): Learner {
  const last = new Map<string, string>();
  const counts = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let closed = false;

  async function learnSite(siteId: string, until: number): Promise<number> {
    let n = 0;
    for (;;) {
      const from = last.has(siteId) ? `(${last.get(siteId)}` : '-';
      const rows = await opts.redis.xrange(keys.feedback(siteId), from, String(until), 'COUNT', BATCH);
      for (const [id, fields] of rows) {
        last.set(siteId, id);
        const f = parse(fields);
        if (!f || (opts.tasks && !opts.tasks.includes(f.task))) continue;
        const model = f.task === 'spam' ? opts.models.spam : opts.models.toxicity;
        // Learnt globally and into this site's overlay, so it moves this site's scores most (site-overlay.ts).
        model.learn({ text: f.text, author: f.author, email: f.email, url: f.url }, f.positive ? 1 : 0, f.withdraw ? -1 : 1, siteId);
        n++;
      }
      counts.set(siteId, (counts.get(siteId) ?? 0) + n);
      if (rows.length < BATCH) return n;
    }
  }

  async function catchUp(now = Date.now()): Promise<number> {
    const until = now - (opts.settleMs ?? 0);
    let n = 0;
    const ids = opts.siteIds ?? (await listSites(opts.redis)).map((s) => s.id);
    for (const id of ids) n += await learnSite(id, until);
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

function parse(fields: string[]): Feedback | undefined {
  const i = fields.indexOf('json');
  try {
    const f = JSON.parse(fields[i + 1]) as Feedback;
    return typeof f.text === 'string' && (f.task === 'spam' || f.task === 'toxicity') ? f : undefined;
  } catch {
    return undefined;
  }
}
