/**
 * What the model every site shares may learn: only what several independent sites agree on. Each site contributes,
 * per bucket and class, the net number of its examples in that bucket that were comments Vigil stored and scored for
 * it (feedback.ts `stored`), capped at `SITE_CAP`. The shared counts of a bucket grow by
 *
 *     sum over sites of min(contribution, t), t = the k-th largest contribution (0 with fewer than k sites)
 *
 * so every count added is vouched for by at least k sites: count level j of a bucket is added only where at least k
 * sites reached it. One site, however much feedback it sends, adds nothing alone; with k - 1 accomplices it adds at
 * most what the k-th of them gave, never more than `SITE_CAP`. A pure function of the sites' snapshots, so every
 * instance and every restart computes the same delta.
 */

/**
 * Most examples one site counts for in one bucket and class of the shared model. Small next to the trained counts
 * of a common word, so agreeing sites nudge the shared model and a site's own overlay does the steering; large enough
 * that a wave of the same spam on several sites is learnt by the others.
 */
export const SITE_CAP = 10;

/** Per bucket, the net counts (class 0, class 1) one site contributes. */
export type Contribution = ReadonlyMap<number, readonly [number, number]>;

/** The agreed delta per bucket (class 0, class 1) from every site's contribution; buckets with no delta are absent. */
export function agree(sites: Iterable<Contribution>, minSites: number, cap = SITE_CAP): Map<number, [number, number]> {
  // Key 2f + class: each bucket and class is agreed on separately (a ham label says nothing about spam counts).
  const levels = new Map<number, number[]>();
  for (const site of sites) {
    for (const [f, n] of site) {
      for (const c of [0, 1] as const) {
        const v = Math.min(cap, Math.floor(n[c]));
        if (v <= 0) continue;
        const k = f * 2 + c;
        const l = levels.get(k);
        if (l) l.push(v);
        else levels.set(k, [v]);
      }
    }
  }
  const out = new Map<number, [number, number]>();
  for (const [k, l] of levels) {
    if (l.length < minSites) continue;
    l.sort((x, y) => y - x);
    const t = l[minSites - 1];
    let d = 0;
    for (const v of l) d += Math.min(v, t);
    const f = Math.floor(k / 2);
    const n = out.get(f) ?? [0, 0];
    n[k % 2] = d;
    out.set(f, n);
  }
  return out;
}

/** Flat [bucket, n0, n1, ...] for JSON, buckets ascending, so equal deltas serialise equally. */
export function flatten(m: ReadonlyMap<number, readonly [number, number]>): number[] {
  const out: number[] = [];
  for (const f of [...m.keys()].sort((x, y) => x - y)) out.push(f, m.get(f)![0], m.get(f)![1]);
  return out;
}

/** The inverse of `flatten`; malformed input gives an empty map rather than a wrong one. */
export function unflatten(a: unknown): Map<number, [number, number]> {
  const out = new Map<number, [number, number]>();
  if (!Array.isArray(a) || a.length % 3 !== 0) return out;
  for (let i = 0; i < a.length; i += 3) {
    const [f, n0, n1] = [a[i], a[i + 1], a[i + 2]];
    if (!Number.isInteger(f) || typeof n0 !== 'number' || typeof n1 !== 'number') return new Map();
    out.set(f as number, [n0, n1]);
  }
  return out;
}
