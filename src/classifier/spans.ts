import { readFileSync } from 'node:fs';
import { parseDelimited } from './csv';
import { markedRuns } from './marked-runs';
import type { Explanation } from './types';

/** One post of SemEval-2021 Task 5 (Toxic Spans Detection): its text and the gold toxic character offsets. */
export interface SpanPost {
  text: string;
  gold: number[];
}

/** Reads the task's CSV (`spans,text`, spans a JSON list of character offsets). */
export function loadToxicSpans(file: string): SpanPost[] {
  const rows = parseDelimited(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  if (rows[0]?.[0] !== 'spans' || rows[0]?.[1] !== 'text') throw new Error(`${file}: expected the header spans,text`);
  return rows.slice(1).filter((r) => r.length >= 2).map((r) => ({ text: r[1], gold: JSON.parse(r[0]) as number[] }));
}

/** Character offsets a highlight marks: every offset of the explanation's marked runs (marked-runs.ts). */
export function markedOffsets(text: string, explanation: Explanation[] | undefined): number[] {
  const out: number[] = [];
  for (const [s, e] of markedRuns(text, explanation)) for (let k = s; k < e; k++) out.push(k);
  return out;
}

/** The task's per-post F1 of predicted vs gold offsets; a post with no gold and no prediction scores 1. */
export function spanF1(pred: number[], gold: number[]): number {
  if (!gold.length) return pred.length ? 0 : 1;
  if (!pred.length) return 0;
  const g = new Set(gold);
  const p = new Set(pred);
  let tp = 0;
  for (const k of p) if (g.has(k)) tp++;
  if (!tp) return 0;
  const precision = tp / p.size;
  const recall = tp / g.size;
  return (2 * precision * recall) / (precision + recall);
}
