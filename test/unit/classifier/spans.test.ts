import { markExplanation } from '../../../src/classifier/span-floor';
import { markedOffsets, spanF1 } from '../../../src/classifier/spans';
import type { Explanation } from '../../../src/classifier/types';

describe('toxic spans', () => {
  it('when gold and prediction are both empty, then the post scores 1; when only one is, 0', () => {
    expect(spanF1([], [])).toBe(1);
    expect(spanF1([1], [])).toBe(0);
    expect(spanF1([], [1])).toBe(0);
  });

  it('when offsets overlap in part, then F1 is the harmonic mean of character precision and recall', () => {
    expect(spanF1([0, 1, 2, 3], [2, 3, 4, 5, 6, 7])).toBeCloseTo((2 * 0.5 * (2 / 6)) / (0.5 + 2 / 6));
  });

  it('when a rule has a floor and a share of the strongest word, then only words passing both are marked', () => {
    const ex: Explanation[] = [
      { token: 'idiot', contribution: 3, spans: [[10, 15]] },
      { token: 'stupid', contribution: 1.6, spans: [[3, 9]] },
      { token: 'the', contribution: 0.4, spans: [[0, 3]] },
      { token: 'meta:x', contribution: 5, spans: [] },
    ];
    markExplanation(ex, { floor: 0.5, relative: 0.5 });
    expect(ex.map((e) => e.marked)).toEqual([true, true, false, undefined]);
  });

  it('when two marked words are separated by spaces only, then the spaces are marked with them', () => {
    const text = 'you stupid  idiot, really';
    const ex: Explanation[] = [
      { token: 'stupid', contribution: 2, spans: [[4, 10]], marked: true },
      { token: 'idiot', contribution: 2, spans: [[12, 17]], marked: true },
      { token: 'really', contribution: 0.1, spans: [[19, 25]], marked: false },
    ];
    expect(markedOffsets(text, ex)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
  });
});
