import { reviewPriority, UNDO_PRIORITY } from '../../../src/review/priority';

const thresholds = { spam: { review: 0.5, reject: 0.9 }, toxicity: { review: 0.5, reject: 0.9 } };
const p = (spam: number, toxicity: number, attributes?: Record<string, number>) =>
  reviewPriority({ scores: { spam, toxicity, ...(attributes ? { attributes } : {}) }, thresholds });

describe('reviewPriority', () => {
  it('when a comment is a threat, then it comes before any merely uncertain one', () => {
    expect(p(0.1, 0.6, { threat: 0.7 })).toBeLessThan(p(0.89, 0.1));
  });

  it('when toxicity is high, then the worse comment comes first', () => {
    expect(p(0, 0.99)).toBeLessThan(p(0, 0.85));
    expect(p(0, 0.85)).toBeLessThan(p(0.5, 0.5));
  });

  it('when scores are uncertain, then the one nearest a reject threshold comes first', () => {
    expect(p(0.88, 0.1)).toBeLessThan(p(0.6, 0.1));
    expect(p(0.1, 0.7)).toBeLessThan(p(0.1, 0.55));
  });

  it('when anything is scored, then the priority is a valid BullMQ priority and never jumps ahead of an undone item', () => {
    for (const s of [0, 0.3, 0.5, 0.9, 1]) {
      for (const t of [0, 0.3, 0.5, 0.9, 1]) {
        const v = p(s, t, { threat: t });
        expect(Number.isInteger(v)).toBe(true);
        expect(v).toBeGreaterThan(UNDO_PRIORITY);
        expect(v).toBeLessThan(2 ** 21);
      }
    }
  });
});
