import { tokenize } from '../../../src/classifier/tokenize';

const values = (s: string): string[] => tokenize(s).map((t) => t.value);

/**
 * The chunk matcher remembers where a bare domain or an e-mail failed so that no run is read twice; these
 * cases pin down that the remembering never hides a match that the one global pattern used to find.
 */
describe('link-like tokens', () => {
  it('when a bare domain follows a run that could not be a domain, then it is still a link', () => {
    expect(values('--b.ly.ly')).toEqual(['__url__', 'dom:ly.ly']);
    expect(values('!-b.ly')).toEqual(['__url__', 'dom:b.ly']);
    expect(values("x'-wa.com")).toEqual(['x', '__url__', 'dom:wa.com']);
    expect(values('a.b.c.d.example.com/x?y=1 next')).toEqual(['__url__', 'dom:example.com', 'example', 'next']);
  });

  it('when a run of dots and letters has no TLD or no "@", then it is words, as before', () => {
    expect(values('a.b.c1')).toEqual(['a', 'b', 'ci']);
    expect(values('1a+b+c')).toEqual(['ia', 'b', 'c']);
    expect(values('x.y.z@host')).toEqual(['x', 'y', 'zahost']);
  });

  it('when e-mails, mentions, phone numbers, leet words and emoji sit in one chunk, then each gets its token', () => {
    expect(values('mail:john.doe+x@mail.example.org,@anna,+1(555)123-4567,v1@gr@😀')).toEqual([
      'mail', '__email__', 'dom:example.org', '__mention__', '__phone__', 'viagr', '😀',
    ]);
    expect(values('$5 €uro 3.5% d’accord')).toEqual(['$5', 'euro', '__num1__', '__num1__', "d'accord"]);
  });
});
