import { execFileSync } from 'node:child_process';
import path from 'node:path';
import fc from 'fast-check';

/**
 * Scoring must be linear in the text: a hostile commenter who sends the longest text a route accepts must not
 * hold the event loop. Inputs are 64 KB (UTF-8) built from motifs that make a backtracking tokenizer re-read
 * long runs: repeated separators, URL-like and e-mail-like runs, runs of one character, mixed scripts and
 * combining marks. A quadratic tokenizer takes seconds on these, a linear one a few milliseconds. The timing
 * runs in a plain node process (test/helpers/score-timer.ts says why), as CPU time, since the machine may be
 * shared and wall time then says little.
 */
const BUDGET_MS = 20;
const SIZE = 64 * 1024;
const ROOT = path.join(__dirname, '..', '..');

/** Repeats `motif` (after `head`) up to 64 KB of UTF-8, never cutting a character. */
function fill(head: string, motif: string): string {
  const parts: string[] = [head];
  let bytes = Buffer.byteLength(head);
  const unit = Buffer.byteLength(motif);
  while (bytes + unit <= SIZE) {
    parts.push(motif);
    bytes += unit;
  }
  return parts.join('');
}

const PIECES = [
  '.', '-', '_', '%', '+', '@', '/', ':', '!', '$', '€', "'", '’', '*', '|', '(', ')', ' ', '\n', '#',
  'a', 'b', 'x', '1', '9', '0', 'co', 'com', '.com', '.ly', 'www.', 'http://', 'https://', 'a.', 'a-', 'a@', '@a',
  '@a.', 'a.b@', 'x.co', 'a+b', '1 ', '1(', '+1',
  'а', 'о', 'α', 'ب', 'ی', 'ـ', '字', 'ア', '한', 'ß', 'ﬁ', 'Ａ', '١', '😀', '👍🏽', '\u200b', '\u202e', '\ufeff',
  '\u0301', '\u0302', '\u064e', '\ufe0f',
];

/** A hostile text as a recipe: a head, then a motif repeated to 64 KB. */
const recipe: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(
    fc.constantFrom('', '1', 'http://', 'www.', 'a@', '@', '+'),
    fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 6 }).map((m) => m.join('')),
  ),
  // Long runs of one character.
  fc.tuple(fc.constantFrom('', '1', '1a', 'a'), fc.constantFrom(...PIECES.filter((p) => [...p].length === 1))),
);

describe('scoring time on hostile text', () => {
  it('when any 64 KB text of repeated separators, URL- or e-mail-like runs, one-character runs, mixed scripts or combining marks is scored, then each model takes under 20 ms of CPU', () => {
    const recipes = fc.sample(recipe, { numRuns: 80, seed: 20261203 });
    // A running service has scored all kinds of short comments, so V8 has compiled the code paths they take;
    // the timing starts from that state, not a cold one.
    const warm: string[] = [];
    for (let round = 0; round < 5; round++) {
      for (const piece of PIECES) warm.push(`Thanks for the article ${round}, see www.example.com or mail me@example.org ${piece}a${piece}${piece}b `.repeat(20) + piece.repeat(200));
    }
    const input = JSON.stringify({ budgetMs: BUDGET_MS, warm, texts: recipes.map(([head, motif]) => fill(head, motif)) });
    const out = execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'run-ts.js'), path.join(ROOT, 'test', 'helpers', 'score-timer.ts')], { input, maxBuffer: 1 << 20 });
    const times = JSON.parse(out.toString()) as Array<{ spam: number; toxicity: number }>;
    const slow = times.map((t, k) => ({ recipe: recipes[k], ...t })).filter((t) => t.spam >= BUDGET_MS || t.toxicity >= BUDGET_MS);
    expect(slow).toEqual([]);
    expect(times).toHaveLength(recipes.length);
  }, 120000);
});
