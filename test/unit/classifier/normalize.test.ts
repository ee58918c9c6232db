import { normalize } from '../../../src/classifier/normalize';
import { tokenize } from '../../../src/classifier/tokenize';

const values = (s: string): string[] => tokenize(s).map((t) => t.value);

describe('normalize', () => {
  it('when text has capitals, zero-width and bidi characters, then they are folded or removed', () => {
    expect(normalize('Fr\u200bEE\u202e Gift\ufeff').text).toBe('free gift');
  });

  it('when text has full-width letters and accents, then NFKC and diacritic folding apply', () => {
    expect(normalize('ＦＲＥＥ café').text).toBe('free cafe');
  });

  it('when Persian and Arabic variants are used, then yeh, kaf, tatweel and diacritics are unified', () => {
    const persian = normalize('\u06cc\u06a9').text; // Persian yeh + keheh
    const arabic = normalize('\u064a\u0643').text; // Arabic yeh + kaf
    expect(persian).toBe(arabic);
    expect(normalize('كــتــاب').text).toBe(normalize('كتاب').text);
    expect(normalize('كِتَابٌ').text).toBe(normalize('كتاب').text);
    expect(normalize('۱۲۳ ١٢٣').text).toBe('123 123');
  });

  it('when characters are dropped or expanded, then every output character maps back into the original', () => {
    const input = 'A\u200bﬁ😀B';
    const n = normalize(input);
    expect(n.text).toBe('afi😀b');
    expect(input.slice(n.from[1], n.to[2])).toBe('ﬁ');
    expect(input.slice(n.from[5], n.to[5])).toBe('B');
  });
});

describe('normalize fast path', () => {
  it('when a comment is plain ASCII, then it normalises exactly as the general path does', () => {
    const ascii = 'Hello\tWORLD\r\nCall 555 1234, it\'s FREE!! http://X.com/A?b=1 ~`{}';
    const a = normalize(ascii);
    const plain = { text: a.text, from: [...a.from], to: [...a.to] };
    // One non-ASCII letter at the end sends the whole text through the general path; 'é' becomes 'e'.
    const b = normalize(ascii + 'é');
    expect(b.text).toBe(plain.text + 'e');
    expect([...b.from].slice(0, ascii.length)).toEqual(plain.from);
    expect([...b.to].slice(0, ascii.length)).toEqual(plain.to);
  });
});

describe('tokenize', () => {
  it('when words use leetspeak or a currency sign, then they fold to the plain word', () => {
    expect(values('V1agra fr€e $ex h3ll0')).toEqual(['viagra', 'free', 'sex', 'hello']);
  });

  it('when a letter is repeated three or more times in a word, then the run collapses to two', () => {
    expect(values('freeeeee sooooo good www.x.com')).toEqual(['free', 'soo', 'good', '__url__', 'dom:x.com']);
  });

  it('when a word mixes Cyrillic look-alikes into Latin, then it folds to Latin', () => {
    expect(values('p\u0430yp\u0430l')).toEqual(['paypal']);
  });

  it('when URLs and bare domains appear, then they become a link token, the domain and its words', () => {
    expect(values('see https://www.Example.com/x?y=1 and bit.ly/abc')).toEqual([
      'see', '__url__', 'dom:example.com', 'example', 'and', '__url__', 'dom:bit.ly', 'bit',
    ]);
  });

  it('when a host is under a multi-label public suffix, then the domain token is its registrable domain', () => {
    expect(values('https://news.bbc.co.uk/a and cheap-nfl-jerseys.com/x')).toEqual([
      '__url__', 'dom:bbc.co.uk', 'bbc', 'and', '__url__', 'dom:cheap-nfl-jerseys.com', 'cheap', 'nfl', 'jerseys',
    ]);
  });

  it('when e-mails, mentions, phone numbers and numbers appear, then they become shape tokens', () => {
    expect(values('mail a.b@mail.ru @john call +44 7935 454150 or 87121 in 2005')).toEqual([
      'mail', '__email__', 'dom:mail.ru', '__mention__', 'call', '__phone__', 'or', '__num5__', 'in', '__num4__',
    ]);
  });

  it('when tokens are produced, then their spans point at the original text', () => {
    const text = 'Hey  FREEEEE v1agra at www.pills.com!';
    for (const t of tokenize(text)) expect(t.end).toBeGreaterThan(t.start);
    const spans = tokenize(text).map((t) => text.slice(t.start, t.end));
    expect(spans).toEqual(['Hey', 'FREEEEE', 'v1agra', 'at', 'www.pills.com!', 'www.pills.com!', 'www.pills.com!']);
    expect(tokenize(text)[1].value).toBe('free');
  });
});
