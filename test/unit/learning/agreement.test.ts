import { agree, flatten, SITE_CAP, unflatten } from '../../../src/learning/agreement';
import { SiteState } from '../../../src/learning/site-state';
import type { Feedback } from '../../../src/learning/feedback';

const site = (entries: Array<[number, number, number]>) => new Map(entries.map(([f, n0, n1]) => [f, [n0, n1] as [number, number]]));

describe('agreement of sites on the shared model', () => {
  it('when fewer sites than the minimum label a bucket, then it gets no delta, however much each sent', () => {
    expect(agree([site([[7, 0, 1000]]), site([[7, 0, 1000]])], 3)).toEqual(new Map());
  });

  it('when enough sites label a bucket, then each counts for at most what the k-th largest gave, and never past the cap', () => {
    // Contributions 1000 (capped to 10), 4, 2 with k = 3: every site counts for at most 2.
    expect(agree([site([[7, 0, 1000]]), site([[7, 0, 4]]), site([[7, 0, 2]])], 3).get(7)).toEqual([0, 6]);
    // Five sites, k = 3: the third largest is 4, so 4 + 4 + 4 + 2 + 1.
    const five = [[7, 0, 50], [7, 0, 9], [7, 0, 4], [7, 0, 2], [7, 0, 1]].map((e) => site([e as [number, number, number]]));
    expect(agree(five, 3).get(7)).toEqual([0, 15]);
    const all = Array.from({ length: 4 }, () => site([[7, 0, 1000]]));
    expect(agree(all, 3).get(7)).toEqual([0, 4 * SITE_CAP]);
  });

  it('when sites agree on one class of a bucket only, then the other class gets nothing', () => {
    const d = agree([site([[3, 2, 1]]), site([[3, 2, 0]]), site([[3, 1, 0]])], 3);
    expect(d.get(3)).toEqual([3, 0]);
  });

  it('when a delta is flattened and read back, then it is the same; malformed input reads as empty', () => {
    const d = agree([site([[9, 1, 1], [2, 0, 3]]), site([[9, 1, 1], [2, 0, 3]]), site([[9, 1, 1], [2, 0, 3]])], 3);
    expect(unflatten(JSON.parse(JSON.stringify(flatten(d))))).toEqual(d);
    expect(unflatten([1, 2])).toEqual(new Map());
    expect(unflatten(['x', 1, 2])).toEqual(new Map());
  });
});

describe("a site's learnt state", () => {
  const ex = (positive: boolean, over: Partial<Feedback> = {}): Feedback => ({ task: 'spam', positive, text: 'x', source: 'site', ...over });

  it('when withdrawals outnumber examples, then neither the overlay nor the contribution goes below zero', () => {
    const s = new SiteState();
    s.apply('1-0', ex(true, { stored: true }), [5, 6]);
    for (let i = 0; i < 3; i++) s.apply(`2-${i}`, ex(true, { stored: true, withdraw: true }), [5, 6]);
    expect(s.overlay('spam')).toEqual([]);
    expect(s.contrib.spam.size).toBe(0);
    s.apply('3-0', ex(true, { stored: true }), [5]);
    expect(s.overlay('spam')).toEqual([[5, 0, 1]]);
    expect(s.contrib.spam.get(5)).toEqual([0, 1]);
  });

  it('when an example is not a stored comment, then it teaches the site but contributes nothing to the shared model', () => {
    const s = new SiteState();
    s.apply('1-0', ex(false), [5]);
    expect(s.overlay('spam')).toEqual([[5, 1, 0]]);
    expect(s.contrib.spam.size).toBe(0);
  });

  it('when a snapshot is written and read back, then it holds the same counts and position; unreadable ones read as nothing', () => {
    const s = new SiteState();
    s.apply('10-1', ex(true, { stored: true }), [5, 9]);
    s.apply('11-0', ex(false, { task: 'toxicity' }), [4]);
    const back = SiteState.parse(s.toJSON())!;
    expect(back.pos).toBe('11-0');
    expect(back.entries).toEqual({ spam: 1, toxicity: 1 });
    expect(back.overlay('spam').sort()).toEqual(s.overlay('spam').sort());
    expect(back.overlay('toxicity')).toEqual([[4, 1, 0]]);
    expect(back.contrib.spam).toEqual(s.contrib.spam);
    expect(back.toJSON()).toBe(s.toJSON());
    expect(SiteState.parse('{')).toBeUndefined();
    expect(SiteState.parse(JSON.stringify({ v: 1, pos: 'nope' }))).toBeUndefined();
  });
});
