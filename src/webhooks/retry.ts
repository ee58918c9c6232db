/**
 * When to try a delivery again. The default schedule is the Standard Webhooks example (immediately, then 5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h, 10 h); each delay gets ±20 % jitter so that endpoints which failed together do not all
 * come back at the same instant.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** The spec's example schedule: the delays before attempts 2..8. */
export const DEFAULT_SCHEDULE = '5s,5m,30m,2h,5h,10h,10h';

/** A Retry-After longer than this is cut to it, so one receiver cannot park a delivery for weeks. */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/** Parses `5s,5m,30m` into milliseconds; throws on anything else. */
export function parseSchedule(spec: string): number[] {
  const parts = spec.split(',').map((p) => p.trim()).filter(Boolean);
  if (!parts.length) throw new Error('The retry schedule is empty.');
  return parts.map((p) => {
    const m = /^(\d+)(ms|s|m|h)$/.exec(p);
    if (!m) throw new Error(`Bad retry delay "${p}": use a number and ms, s, m or h.`);
    return Number(m[1]) * UNIT_MS[m[2]];
  });
}

/**
 * The delay before the next attempt after `attemptsMade` attempts (1-based), with jitter in [0.8, 1.2) of the
 * scheduled delay. `random` is injectable for tests.
 */
export function nextDelay(schedule: number[], attemptsMade: number, random: () => number = Math.random): number {
  const base = schedule[Math.min(Math.max(attemptsMade, 1), schedule.length) - 1];
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** Retry-After as milliseconds from `now`: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  let ms: number;
  if (/^\d+$/.test(v)) ms = Number(v) * 1000;
  else {
    const at = Date.parse(v);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}
