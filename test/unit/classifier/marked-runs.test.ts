import { loadBundledModels } from '../../../src/classifier';
import { markedRuns } from '../../../src/classifier/marked-runs';
import { markedOffsets } from '../../../src/classifier/spans';
import type { Explanation } from '../../../src/classifier/types';

const word = (token: string, spans: Array<[number, number]>, marked: boolean): Explanation => ({ token, contribution: 1, spans, marked });

describe('markedRuns', () => {
  it('when marked words have only spaces between them, then they are one run, spaces included', () => {
    const text = 'you  stupid idiot, ok';
    const ex = [word('stupid', [[5, 11]], true), word('idiot', [[12, 17]], true), word('you', [[0, 3]], false)];
    expect(markedRuns(text, ex).map(([b, e]) => text.slice(b, e))).toEqual(['stupid idiot']);
  });

  it('when punctuation, a line break or an unmarked word lies between marked words, then they are separate runs', () => {
    const text = 'idiot, moron\nfool you clown';
    const ex = [word('idiot', [[0, 5]], true), word('moron', [[7, 12]], true), word('fool', [[13, 17]], true), word('clown', [[22, 27]], true)];
    expect(markedRuns(text, ex).map(([b, e]) => text.slice(b, e))).toEqual(['idiot', 'moron', 'fool', 'clown']);
  });

  it('when a marked word occurs twice or spans overlap, then every occurrence is marked once, in text order', () => {
    const text = 'dumb and dumb';
    expect(markedRuns(text, [word('dumb', [[9, 13], [0, 4]], true), word('dum', [[0, 3]], true)])).toEqual([[0, 4], [9, 13]]);
  });

  it('when nothing is marked or there is no explanation, then there are no runs', () => {
    expect(markedRuns('fine', [word('fine', [[0, 4]], false)])).toEqual([]);
    expect(markedRuns('fine', undefined)).toEqual([]);
  });

  it('when the SemEval offsets are taken, then they are exactly the characters of the runs', () => {
    const text = 'a stupid idiot here';
    const ex = [word('stupid', [[2, 8]], true), word('idiot', [[9, 14]], true)];
    expect(markedOffsets(text, ex)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  });

  it('when the shipped toxicity model explains an insult, then its marked words form the runs', () => {
    const text = 'What a stupid idiot you are';
    const r = loadBundledModels().toxicity.score({ text }, { explain: true, explainTop: 0 });
    const runs = markedRuns(text, r.explanation).map(([b, e]) => text.slice(b, e));
    expect(runs.join(' ')).toContain('idiot');
    expect(runs).not.toContain('What');
  });
});
