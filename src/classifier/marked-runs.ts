import type { Explanation } from './types';

/**
 * The highlighted runs of a text: the spans of an explanation's marked words, [begin, end) in UTF-16 code units,
 * sorted. Two marked words with only spaces between them are one run, spaces included, as annotators mark
 * "stupid idiot" as one span (SemEval-2021 Toxic Spans). The same runs drive the SemEval F1 (spans.ts), the
 * Perspective spanScores (src/perspective/analyze.ts) and the /moderate highlights (src/web/moderate/highlight.js).
 * Linear in the text after sorting the marked spans.
 */
export function markedRuns(text: string, explanation: readonly Explanation[] | undefined): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const e of explanation ?? []) if (e.marked) for (const s of e.spans) spans.push(s);
  spans.sort((a, b) => a[0] - b[0]);
  const runs: Array<[number, number]> = [];
  for (const [s, e] of spans) {
    const last = runs[runs.length - 1];
    if (last && (s <= last[1] || onlySpaces(text, last[1], s))) last[1] = Math.max(last[1], e);
    else runs.push([s, e]);
  }
  return runs;
}

function onlySpaces(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (text.charCodeAt(k) !== 32) return false;
  return true;
}
