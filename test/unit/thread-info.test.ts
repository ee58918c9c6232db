import { articleUrl, threadInfoOf } from '../../src/comments/thread-info';

describe('thread info', () => {
  it("when both the site's server and a page named a thread, then the server's info is shown", () => {
    const server = JSON.stringify({ title: 'Real', url: 'https://news.example/a' });
    const browser = JSON.stringify({ title: 'Fake' });
    expect(threadInfoOf(server, browser)).toEqual({ title: 'Real', url: 'https://news.example/a', source: 'server' });
    expect(threadInfoOf(null, browser)).toEqual({ title: 'Fake', source: 'browser' });
    expect(threadInfoOf(null, null)).toBeUndefined();
  });

  it('when a stored value does not parse, then the next source is used instead of failing the item', () => {
    expect(threadInfoOf('{not json', JSON.stringify({ url: 'https://news.example/b' }))).toEqual({ url: 'https://news.example/b', source: 'browser' });
  });

  it('when an integration passes an article address, then only explicit http(s) URLs of at most 2,000 characters become links', () => {
    expect(articleUrl(' https://news.example/a?x=1 ')).toBe('https://news.example/a?x=1');
    expect(articleUrl('http://news.example')).toBe('http://news.example/');
    for (const bad of [undefined, '', 'javascript:alert(1)', 'news.example/a', 'ftp://news.example/a', 'https://', `https://news.example/${'a'.repeat(2000)}`]) {
      expect(articleUrl(bad)).toBeUndefined();
    }
  });
});
