// eslint-disable-next-line @typescript-eslint/no-require-imports
const { segments } = require('../../../src/web/moderate/highlight.js') as {
  segments: (body: string, e: unknown, opts?: { models?: string[]; limit?: number }) => Array<{ text: string; classes: string[]; tokens: string[] }>;
};

describe('highlight segments', () => {
  it('when explanations name spans, then the body is cut into plain and marked pieces that join back to it', () => {
    const body = 'Buy cheap pills, you idiot';
    const segs = segments(body, {
      spam: [{ token: 'cheap', contribution: 1.2, spans: [[4, 9]] }, { token: 'you', contribution: -0.4, spans: [[17, 20]] }],
      toxicity: [{ token: 'idiot', contribution: 2, spans: [[21, 26]] }],
    });
    expect(segs.map((s) => s.text).join('')).toBe(body);
    expect(segs.filter((s) => s.classes.length).map((s) => [s.text, s.classes.join(' ')])).toEqual([['cheap', 'hl-spam'], ['idiot', 'hl-toxic']]);
  });

  it('when spans overlap, run past the body or are garbage, then nothing breaks and the text is intact', () => {
    const body = '<script>x</script>';
    const segs = segments(body, {
      spam: [{ token: 'script', contribution: 1, spans: [[1, 7], [-5, 3], [10, 999], ['a', null]] }],
      toxicity: [{ token: 'x', contribution: 1, spans: [[5, 9]] }],
    });
    expect(segs.map((s) => s.text).join('')).toBe(body);
    expect(segs.some((s) => s.classes.length === 2)).toBe(true);
  });

  it('when there is no explanation, then the body is one plain piece', () => {
    expect(segments('hello', undefined)).toEqual([{ text: 'hello', classes: [], tokens: [] }]);
  });

  it('when a model is not asked for, or a word barely counts, then it is not marked', () => {
    const body = 'this is dumb';
    const e = { spam: [{ token: 'this', contribution: 1, spans: [[0, 4]] }], toxicity: [{ token: 'dumb', contribution: 2, spans: [[8, 12]] }, { token: 'is', contribution: 0.1, spans: [[5, 7]] }] };
    const marked = segments(body, e, { models: ['toxicity'] }).filter((s) => s.classes.length).map((s) => s.text);
    expect(marked).toEqual(['dumb']);
  });

  it('when the explanation flags the words to mark, then exactly those are marked, and none when none is flagged', () => {
    const body = 'you are a total idiot';
    const e = { toxicity: [{ token: 'idiot', contribution: 2, spans: [[16, 21]], marked: true }, { token: 'total', contribution: 1.5, spans: [[10, 15]], marked: false }] };
    expect(segments(body, e).filter((s) => s.classes.length).map((s) => s.text)).toEqual(['idiot']);
    const none = { toxicity: [{ token: 'total', contribution: 1.5, spans: [[10, 15]], marked: false }] };
    expect(segments(body, none).filter((s) => s.classes.length)).toEqual([]);
  });

  it('when flagged words have only spaces between them, then they are one highlight, spaces included, as the Perspective spans', () => {
    const body = 'you  stupid idiot, moron';
    const e = { toxicity: [
      { token: 'stupid', contribution: 1, spans: [[5, 11]], marked: true }, { token: 'idiot', contribution: 2, spans: [[12, 17]], marked: true },
      { token: 'moron', contribution: 2, spans: [[19, 24]], marked: true }, { token: 'you', contribution: 0.5, spans: [[0, 3]], marked: false },
    ] };
    const segs = segments(body, e);
    expect(segs.map((s) => s.text).join('')).toBe(body);
    expect(segs.filter((s) => s.classes.length).map((s) => s.text)).toEqual(['stupid idiot', 'moron']);
  });

  it('when more words are flagged than the limit, then every flagged word is marked (the rule decides)', () => {
    const words = Array.from({ length: 12 }, (_, i) => `w${String(i).padStart(2, '0')}`);
    const body = words.join(', ');
    const e = { toxicity: words.map((w, i) => ({ token: w, contribution: 1 + i, spans: [[i * 5, i * 5 + 3]], marked: true })) };
    expect(segments(body, e, { limit: 8 }).filter((s) => s.classes.length).map((s) => s.text)).toEqual(words);
  });
});
