import { keys } from '../infra/keys';
import type { Policy } from '../sites/policy';

/**
 * Adaptive proof-of-work difficulty, in the manner of mCaptcha: the work asked of a browser rises with what its
 * network and the whole site did lately (challenges fetched, wrong answers, rejected comments) and falls back once
 * that stops. Recent events are counted in window-long buckets; the count "in the last window" is the current
 * bucket plus the share of the previous one the window still covers (a sliding-window estimate), so the difficulty
 * decays smoothly to the base within two windows of the last event. Counting happens in Redis (captcha-store's
 * issue script and failure writes); this file holds the pure parts, so the schedule can be tested and simulated
 * without Redis.
 */

/** The highest difficulty the token format and the browser solver accept (policy caps levels at this too). */
export const MAX_POW_DIFFICULTY = 26;

export type PowAdaptive = Policy['powAdaptive'];

/** Where a site's and a network's recent events are counted at time `now`, and what share of the previous bucket counts. */
export interface PressureKeys {
  /** [current bucket, previous bucket] of the site and of the network. */
  site: [string, string];
  network: [string, string];
  /** How much of the previous bucket the sliding window still covers, in thousandths. */
  previousShare: number;
  /** Bucket keys live two windows: long enough to be the previous bucket, no longer. */
  ttlSeconds: number;
}

export function pressureKeys(siteId: string, network: string, adaptive: PowAdaptive, now: number): PressureKeys {
  const windowMs = adaptive.windowSeconds * 1000;
  const bucket = Math.floor(now / windowMs);
  const into = now - bucket * windowMs;
  return {
    site: [keys.powPressure(siteId, 'site', bucket), keys.powPressure(siteId, 'site', bucket - 1)],
    // A network with no known address still counts, under one shared name, rather than escaping the count.
    network: [keys.powPressure(siteId, `n${network}`, bucket), keys.powPressure(siteId, `n${network}`, bucket - 1)],
    previousShare: Math.round(1000 * (1 - into / windowMs)),
    ttlSeconds: 2 * adaptive.windowSeconds,
  };
}

/** The difficulty of the highest level whose `from` the count reaches, or 0 below every level. */
export function levelFor(levels: ReadonlyArray<{ from: number; difficulty: number }>, count: number): number {
  let d = 0;
  for (const l of levels) if (count >= l.from) d = Math.max(d, l.difficulty);
  return d;
}

/**
 * The difficulty to ask for, given the recent event counts (this challenge included): the site's base
 * `powDifficulty`, raised to the level the network or the site has reached, whichever is higher.
 */
export function powDifficultyFor(policy: Pick<Policy, 'powDifficulty' | 'powAdaptive'>, counts: { site: number; network: number }): number {
  const a = policy.powAdaptive;
  return Math.min(MAX_POW_DIFFICULTY, Math.max(policy.powDifficulty, levelFor(a.network, counts.network), levelFor(a.site, counts.site)));
}
