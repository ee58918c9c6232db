import { readFileSync } from 'node:fs';
import { parseDelimited } from './csv';
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

/**
 * Character offsets a highlight marks: the spans of the explanation's marked words. Two marked words with only
 * spaces between them are marked as one phrase, spaces included, as annotators mark "stupid idiot" as one span.
 */
export function markedOffsets(text: string, explanation: Explanation[] | undefined): number[] {
  const spans: Array<[number, number]> = [];
  for (const e of explanation ?? []) if (e.marked) for (const s of e.spans) spans.push(s);
  spans.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  let last = -1;
  for (const [s, e] of spans) {
    if (last >= 0 && s > last && /^ +$/.test(text.slice(last, s))) for (let k = last; k < s; k++) out.push(k);
    for (let k = Math.max(s, last); k < e; k++) out.push(k);
    last = Math.max(last, e);
  }
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
