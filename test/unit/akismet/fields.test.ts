import { commentInputOf, flag, formOf, missingField } from '../../../src/akismet/fields';
import { verdictOf, BLATANT_SPAM_SCORE } from '../../../src/akismet/comment-check';

const wp = {
  blog: 'https://news.example', user_ip: '203.0.113.9', user_agent: 'Mozilla/5.0', referrer: 'https://news.example/a',
  permalink: 'https://news.example/a', comment_type: 'comment', comment_author: 'Ann', comment_author_email: 'ann@example.org',
  comment_author_url: 'https://ann.example', comment_content: '  Nice piece.  ', blog_lang: 'en_us', blog_charset: 'UTF-8',
};

describe('Akismet fields', () => {
  it('when WordPress fields arrive, then they map to a server comment on the permalink thread', () => {
    expect(commentInputOf(wp)).toEqual({
      threadId: 'https://news.example/a',
      author: { name: 'Ann', email: 'ann@example.org', url: 'https://ann.example/' },
      body: 'Nice piece.',
      client: { ip: '203.0.113.9', userAgent: 'Mozilla/5.0', referrer: 'https://news.example/a' },
    });
    expect(commentInputOf({ ...wp, permalink: '' }).threadId).toBe('https://news.example');
  });

  it('when the author URL is not an http(s) URL, then it is dropped; a bare host gets http://', () => {
    const url = (u: string) => commentInputOf({ ...wp, comment_author_url: u }).author.url;
    expect(url('javascript:alert(1)')).toBeUndefined();
    expect(url('data:text/html,x')).toBeUndefined();
    expect(url('not a url')).toBeUndefined();
    expect(url('ann.example')).toBe('http://ann.example/');
    expect(url('https://ann.example/about')).toBe('https://ann.example/about');
  });

  it('when honeypot_field_name names a field, then its value is the honeypot; one of Akismet\'s own fields is ignored', () => {
    expect(commentInputOf({ ...wp, honeypot_field_name: 'hp_url', hp_url: 'http://bot' }).honeypot).toBe('http://bot');
    expect(commentInputOf({ ...wp, honeypot_field_name: 'hp_url', hp_url: '' }).honeypot).toBeUndefined();
    expect(commentInputOf({ ...wp, honeypot_field_name: 'blog' }).honeypot).toBeUndefined();
  });

  it('when a required field is missing or the IP is not one, then the debug help names it', () => {
    expect(missingField(wp)).toBeUndefined();
    expect(missingField({ ...wp, blog: '' })).toMatch(/blog/);
    expect(missingField({ ...wp, user_ip: undefined as unknown as string })).toMatch(/user_ip/);
    expect(missingField({ ...wp, user_ip: 'nope' })).toMatch(/user_ip/);
  });

  it('when the body is parsed, then repeated fields keep the first value and booleans read as Akismet sends them', () => {
    expect(formOf({ a: ['1', '2'], b: 'x', c: { nested: 1 } })).toEqual({ a: '1', b: 'x' });
    expect(formOf(undefined)).toEqual({});
    expect(['1', 'true', 'TRUE', 'yes'].map(flag)).toEqual([true, true, true, true]);
    expect(['0', 'false', '', undefined].map(flag)).toEqual([false, false, false, false]);
  });
});

describe('Akismet verdict', () => {
  const s = (spam: number) => ({ spam, toxicity: 0.01 });
  it('when rejected for spam far past the threshold, then it is spam to discard', () => {
    expect(verdictOf('g', 'rejected', ['spam'], s(BLATANT_SPAM_SCORE), true)).toMatchObject({ spam: true, discard: true });
    expect(verdictOf('g', 'rejected', ['spam'], s(0.9), true)).toMatchObject({ spam: true, discard: false });
  });
  it('when a honeypot or an address blocklist rejected it, then it is discarded whatever the score', () => {
    expect(verdictOf('g', 'rejected', ['honeypot'], s(0.1), true).discard).toBe(true);
    expect(verdictOf('g', 'rejected', ['blocked_ip'], s(0.1), true).discard).toBe(true);
    expect(verdictOf('g', 'rejected', ['blocked_word'], s(0.1), true)).toMatchObject({ spam: true, discard: false });
  });
  it('when pending, then it is spam only if the spam model is why it waits', () => {
    expect(verdictOf('g', 'pending', ['possible_spam'], s(0.7), true).spam).toBe(true);
    expect(verdictOf('g', 'pending', ['pre_moderation'], s(0.1), true).spam).toBe(false);
    expect(verdictOf('g', 'approved', ['spam', 'shadow_mode'], s(0.99), true)).toMatchObject({ spam: false, discard: false });
  });
});
