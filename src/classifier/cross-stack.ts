import { applyCalibration, fitCalibration, refitBias } from './calibration';

/**
 * Cross-head stacking (HeadFile.cross): an attribute head's final log-odds is a small logistic regression over every
 * head's first-level log-odds and a few cues of the comment, fitted on out-of-fold log-odds of the training
 * documents. Jigsaw's attributes lean on one another (a severely toxic comment is nearly always obscene and insulting;
 * an identity attack is an insult that names a group), and each attribute head alone has seen only a few hundred
 * positives, so what the others learnt from their own labels is evidence it lacks. Cue x main-score products let a
 * group name count for identity attack in a toxic comment and not in a civil one ("Muslims" in a news report).
 */
export interface HeadCross {
  bias: number;
  /** Per input head (by name), the weight of its first-level log-odds. */
  heads: Record<string, number>;
  /**
   * Per cue (metadata feature name or WORD_CUES): [weight when present, weight of presence x the main score's
   * log-odds, ...]: entry k + 1 multiplies the k-th head's log-odds in the file's head order (main score first). Files
   * before version 10 have two entries; the spam model's link stack one per head (presence x the link head too).
   */
  cues: Record<string, number[]>;
}

/** A cross stack compiled for scoring: head indices instead of names. */
export interface CompiledCross {
  /** The head whose log-odds it replaces. */
  h: number;
  bias: number;
  /** Weight of every head's first-level log-odds, in the table's head order (0 for heads it does not read). */
  w: Float64Array;
  cues: string[];
  /** Per cue, its weight, and (cues x heads, row by cue) the weights of its products with each head's log-odds. */
  cw: Float64Array;
  cs: Float64Array;
  /** Whether any cue is a length cue (WORD_CUES), which applies even to a comment with no metadata cue. */
  wordCues: boolean;
}

/** Compiles the cross stacks of a file's heads (`names` in the scoring table's order, 'score' first). */
export function compileCross(names: string[], cross: Array<HeadCross | undefined>): CompiledCross[] {
  const out: CompiledCross[] = [];
  cross.forEach((c, h) => {
    if (!c) return;
    const w = new Float64Array(names.length);
    for (const [name, v] of Object.entries(c.heads)) {
      const k = names.indexOf(name);
      if (k < 0) throw new Error(`head ${names[h]}: cross stack reads unknown head ${name}`);
      w[k] = v;
    }
    const cues = Object.keys(c.cues);
    const H = names.length;
    const cs = new Float64Array(cues.length * H);
    cues.forEach((k, j) => {
      const t = c.cues[k];
      if (t.length < 2 || t.length > H + 1) throw new Error(`head ${names[h]}: cross stack cue ${k} has ${t.length} weights`);
      for (let x = 1; x < t.length; x++) cs[j * H + x - 1] = t[x];
    });
    out.push({ h, bias: c.bias, w, cues, cw: Float64Array.from(cues.map((k) => c.cues[k][0])), cs, wordCues: cues.some((k) => k.startsWith('words')) });
  });
  return out;
}

/**
 * Length cues of the spam model's link stack (train.ts `linkHead`): how many distinct words a comment has, in
 * buckets, so the stack can weigh the link head differently in a one-line YouTube comment and a news comment. They
 * are not metadata features (no head counts them); `hasCue` computes them.
 */
export const WORD_CUES = ['words<8', 'words<25', 'words<60', 'words60+'] as const;
const WORD_EDGES = [8, 25, 60];

/** The length cue of a comment with `words` distinct words. */
export function wordCue(words: number): string {
  for (let i = 0; i < WORD_EDGES.length; i++) if (words < WORD_EDGES[i]) return WORD_CUES[i];
  return WORD_CUES[WORD_CUES.length - 1];
}

/** Whether a comment (its metadata feature names and distinct word count) has cue `cue`. */
export function hasCue(cue: string, metaNames: readonly string[], words: number): boolean {
  return cue.startsWith('words') ? wordCue(words) === cue : metaNames.includes(cue);
}

/**
 * Replaces the crossed heads' log-odds in `z` (first-level log-odds, main score at 0); `base` is scratch of z's length;
 * `words` is the comment's number of distinct words (for WORD_CUES).
 */
export function applyCross(cross: CompiledCross[], z: Float64Array, base: Float64Array, metaNames: readonly string[], words = 0): void {
  const H = z.length;
  for (let k = 0; k < H; k++) base[k] = z[k];
  for (let i = 0; i < cross.length; i++) {
    const c = cross[i];
    const w = c.w;
    let v = c.bias;
    for (let k = 0; k < H; k++) v += w[k] * base[k];
    // Most comments have no metadata cue at all, so a stack without length cues skips the look-ups for them.
    if (metaNames.length === 0 && !c.wordCues) {
      z[c.h] = v;
      continue;
    }
    for (let j = 0; j < c.cues.length; j++) {
      const cue = c.cues[j];
      if (hasCue(cue, metaNames, words)) {
        v += c.cw[j];
        for (let k = 0; k < H; k++) v += c.cs[j * H + k] * base[k];
      }
    }
    z[c.h] = v;
  }
}

/**
 * The stacker's inputs for one document: every head's log-odds, then per cue its presence and presence x the log-odds
 * of each of the first `times` heads (1: the main score only).
 */
export function crossInputs(z: number[], cues: string[], has: (cue: string) => boolean, times = 1): number[] {
  const x = [...z];
  for (const c of cues) {
    const p = has(c) ? 1 : 0;
    x.push(p);
    for (let k = 0; k < times; k++) x.push(p * z[k]);
  }
  return x;
}

const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/**
 * Fits one head's cross stack on out-of-fold log-odds: `zs[i]` the heads' log-odds of document i (in `heads` order,
 * main score first), `ys`/`sw` its label and sample weight; the bias is re-fitted on `natural` (indices into zs), as
 * the heads' own calibrations are, so enriched sources do not set the prior.
 */
export function fitCross(heads: string[], cues: string[], zs: number[][], has: Array<(cue: string) => boolean>, ys: number[], sw: number[], natural: number[], l2 = 0.1, nonNegative = false, times = 1): HeadCross {
  const xs = zs.map((z, i) => crossInputs(z, cues, has[i], times));
  let cal = fitCalibration(xs, ys, sw, l2, nonNegative);
  if (natural.length && natural.length < xs.length) cal = refitBias(cal, natural.map((i) => xs[i]), natural.map((i) => ys[i]));
  const out: HeadCross = { bias: r4(cal.bias), heads: {}, cues: {} };
  heads.forEach((h, k) => (out.heads[h] = r4(cal.weights[k])));
  const per = 1 + times;
  cues.forEach((c, j) => (out.cues[c] = cal.weights.slice(heads.length + per * j, heads.length + per * (j + 1)).map(r4)));
  return out;
}

/** The log-odds a fitted cross stack gives one document (training-side twin of `applyCross`). */
export function crossLogit(c: HeadCross, heads: string[], z: number[], has: (cue: string) => boolean): number {
  const cues = Object.keys(c.cues);
  const weights = [...heads.map((h) => c.heads[h] ?? 0), ...cues.flatMap((k) => c.cues[k])];
  return applyCalibration({ bias: c.bias, weights }, crossInputs(z, cues, has, cues.length ? c.cues[cues[0]].length - 1 : 1));
}
