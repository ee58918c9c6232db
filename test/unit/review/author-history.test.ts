import { emptyCounts, rejectionRate, standingOf } from '../../../src/review/author-history';

const counts = (over: Partial<ReturnType<typeof emptyCounts>>) => ({ ...emptyCounts(), ...over });

describe('author standing', () => {
  it('when an author has N approvals by people and nothing rejected, then they are trusted', () => {
    expect(standingOf(counts({ approved: 3 }), 3)).toBe('trusted');
    expect(standingOf(counts({ approved: 2 }), 3)).toBeUndefined();
  });

  it('when approvals came from the models alone, then they earn no trust', () => {
    expect(standingOf(counts({ auto_approved: 50 }), 3)).toBeUndefined();
  });

  it('when an author was ever rejected, then they are not trusted', () => {
    expect(standingOf(counts({ approved: 10, rejected: 1 }), 3)).toBeUndefined();
    expect(standingOf(counts({ approved: 10, auto_rejected: 1 }), 3)).toBeUndefined();
  });

  it('when most of at least three decided comments were rejected, then the author is a suspect', () => {
    expect(standingOf(counts({ rejected: 1, spam: 1, approved: 1 }), 3)).toBe('suspect');
    expect(standingOf(counts({ rejected: 2 }), 3)).toBeUndefined();
    expect(standingOf(counts({ rejected: 1, approved: 2 }), 3)).toBeUndefined();
  });

  it('when nothing is decided, then the rate is 0', () => {
    expect(rejectionRate(emptyCounts())).toBe(0);
    expect(rejectionRate(counts({ rejected: 1, auto_approved: 3 }))).toBe(0.25);
  });
});
