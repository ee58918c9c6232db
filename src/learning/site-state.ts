import { OVERLAY_LIMITS, OverlayBudget, SiteOverlay } from '../classifier/site-overlay';
import { flatten, unflatten } from './agreement';
import type { Feedback } from './feedback';

export type Task = 'spam' | 'toxicity';
export const TASKS: readonly Task[] = ['spam', 'toxicity'];

/**
 * What one site's feedback stream has taught, up to entry `pos`: per task, the site's overlay counts (what the live
 * models hold for the site, learn.ts `learnSite`) and its contribution to the shared model (agreement.ts: only
 * stored comments' examples). It holds bucket numbers and counts, never text, so it may outlive the stream entries
 * it was folded from: the stream is trimmed to RETENTION_DAYS and the snapshot carries what they taught.
 *
 * Folding is a pure function of the entries in stream order, with the same per-site bound as a live overlay, so a
 * process that loads the snapshot and learns the tail holds what a process that learnt every entry holds.
 */
export class SiteState {
  pos = '0-0';
  /** Entries folded in per task (examples and withdrawals), for `Learner.learnt`. */
  readonly entries: Record<Task, number> = { spam: 0, toxicity: 0 };
  readonly overlays: Record<Task, SiteOverlay> = { spam: new SiteOverlay(), toxicity: new SiteOverlay() };
  readonly contrib: Record<Task, Map<number, [number, number]>> = { spam: new Map(), toxicity: new Map() };
  /** Only the per-site bound applies here; the live models' bound over all sites is a separate safety net. */
  private readonly budget = new OverlayBudget({ perSite: OVERLAY_LIMITS.perSite, total: Number.POSITIVE_INFINITY, perOverlay: 0 });

  /** Folds one entry in; `buckets` is what learning its example touches (Model.learnable). */
  apply(id: string, f: Feedback, buckets: readonly number[]): void {
    this.pos = id;
    this.entries[f.task]++;
    const label = f.positive ? 1 : 0;
    const w = f.withdraw ? -1 : 1;
    const o = this.overlays[f.task];
    for (const b of buckets) this.budget.add(o, b, label, w);
    if (!f.stored) return;
    const c = this.contrib[f.task];
    for (const b of buckets) {
      let n = c.get(b);
      if (!n) {
        // Same bound as the overlay, and as deterministic: buckets past it never count for this site.
        if (w < 0 || c.size >= OVERLAY_LIMITS.perSite) continue;
        n = [0, 0];
        c.set(b, n);
      }
      // Net examples, never below zero: a withdrawal takes back only what the site gave.
      n[label] = Math.max(0, n[label] + w);
      if (n[0] + n[1] === 0) c.delete(b);
    }
  }

  /** The overlay of `task` as [bucket, n0, n1] triples. */
  overlay(task: Task): Array<[number, number, number]> {
    return [...this.overlays[task].buckets()];
  }

  toJSON(): string {
    const overlay = (t: Task) => this.overlay(t).sort((x, y) => x[0] - y[0]).flat();
    return JSON.stringify({
      v: 1, pos: this.pos, entries: [this.entries.spam, this.entries.toxicity],
      overlay: { spam: overlay('spam'), toxicity: overlay('toxicity') },
      contrib: { spam: flatten(this.contrib.spam), toxicity: flatten(this.contrib.toxicity) },
    });
  }

  /** A snapshot as written by `toJSON`; anything unreadable starts from nothing (and is logged by the caller). */
  static parse(raw: string | null): SiteState | undefined {
    if (!raw) return undefined;
    let j: { v?: number; pos?: unknown; entries?: unknown; overlay?: Record<string, unknown>; contrib?: Record<string, unknown> };
    try {
      j = JSON.parse(raw);
    } catch {
      return undefined;
    }
    if (j.v !== 1 || typeof j.pos !== 'string' || !/^\d{1,20}-\d{1,20}$/.test(j.pos)) return undefined;
    const s = new SiteState();
    s.pos = j.pos;
    const e = Array.isArray(j.entries) ? j.entries : [];
    s.entries.spam = typeof e[0] === 'number' ? e[0] : 0;
    s.entries.toxicity = typeof e[1] === 'number' ? e[1] : 0;
    for (const t of TASKS) {
      for (const [b, [n0, n1]] of unflatten(j.overlay?.[t])) {
        if (n0 > 0) s.budget.add(s.overlays[t], b, 0, n0);
        if (n1 > 0) s.budget.add(s.overlays[t], b, 1, n1);
      }
      for (const [b, n] of unflatten(j.contrib?.[t])) s.contrib[t].set(b, n);
    }
    return s;
  }
}

/** Stream ids compare as (milliseconds, sequence). */
export function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number);
  const [bm, bs] = b.split('-').map(Number);
  return am - bm || as - bs;
}

/** Reads a stream entry's example; undefined for anything malformed. */
export function parseEntry(fields: string[]): Feedback | undefined {
  const i = fields.indexOf('json');
  try {
    const f = JSON.parse(fields[i + 1]) as Feedback;
    return typeof f.text === 'string' && (f.task === 'spam' || f.task === 'toxicity') && typeof f.positive === 'boolean' ? f : undefined;
  } catch {
    return undefined;
  }
}
