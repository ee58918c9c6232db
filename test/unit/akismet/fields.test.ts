import { commentInputOf, flag, missingField } from '../../../src/akismet/fields';
import { blatantSpamScore, verdictOf } from '../../../src/akismet/comment-check';
import { fieldsOf } from '../../../src/akismet/body';

const wp = {
  blog: 'https://news.example', user_ip: '203.0.113.9', user_agent: 'Mozilla/5.0', referrer: 'https://news.example/a',
  permalink: 'https://news.example/a', comment_type: 'comment', comment_author: 'Ann', comment_author_email: 'ann@example.org',
  comment_author_url: 'https://ann.example', comment_content: '  Nice piece.  ', blog_lang: 'en_us', blog_charset: 'UTF-8',
};

describe('Akismet fields', () => {
  it('when WordPress fields arrive, then they map to a server comment on the permalink thread', () => {
    expect(commentInputOf(wp)).toEqual({
      threadId: 'https://news.example/a',
      thread: { url: 'https://news.example/a' },
      author: { name: 'Ann', email: 'ann@example.org', url: 'https://ann.example/' },
      body: 'Nice piece.',
      client: { ip: '203.0.113.9', userAgent: 'Mozilla/5.0', referrer: 'https://news.example/a' },
      language: 'en',
    });
    expect(commentInputOf({ ...wp, permalink: '' }).threadId).toBe('https://news.example');
  });

  it('when blog_lang names one language, then it is the comment\'s declared language; several or none leave it to detection', () => {
    const lang = (v: string | undefined) => commentInputOf({ ...wp, blog_lang: v as string }).language;
    expect(lang('de_DE')).toBe('de');
    expect(lang('pt-BR')).toBe('pt');
    expect(lang('en_us, fr_ca')).toBeUndefined();
    expect(lang('')).toBeUndefined();
    expect(lang(undefined)).toBeUndefined();
    expect(lang('not a language')).toBeUndefined();
  });

  it('when the permalink is not an explicit http(s) URL, then it names the thread but gives it no link', () => {
    for (const permalink of ['javascript:alert(1)', 'news.example/a', `https://news.example/${'a'.repeat(2000)}`, '']) {
      expect(commentInputOf({ ...wp, permalink }).thread).toBeUndefined();
    }
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

  it('when honeypot_field_name names a member every object inherits, then it is not a honeypot hit', () => {
    for (const name of ['constructor', 'hasOwnProperty', 'toString', '__proto__', 'valueOf']) {
      const form = fieldsOf('application/x-www-form-urlencoded', Buffer.from(`blog=x&user_ip=1.2.3.4&honeypot_field_name=${name}`), '');
      expect(commentInputOf(form).honeypot).toBeUndefined();
    }
    // A form that really carries such a field, filled, is a hit like any other.
    const filled = fieldsOf(undefined, Buffer.from('blog=x&user_ip=1.2.3.4&honeypot_field_name=constructor&constructor=bot'), '');
    expect(commentInputOf(filled).honeypot).toBe('bot');
  });

  it('when a required field is missing or the IP is not one, then the answer is Akismet\'s and the debug help names it', () => {
    expect(missingField(wp)).toBeUndefined();
    expect(missingField({ ...wp, blog: '' })).toEqual({ body: 'Missing required field: blog.', help: expect.stringMatching(/blog/) });
    const { user_ip: _ip, ...noIp } = wp;
    expect(missingField(noIp)).toEqual({ body: 'Missing required field: user_ip.', help: expect.stringMatching(/user_ip/) });
    expect(missingField({ ...wp, user_ip: 'nope' })?.body).toBe('Invalid value for field: user_ip.');
    // WordPress's submit-spam/ham may send the IP under its own column name.
    expect(missingField({ ...noIp, comment_author_IP: '203.0.113.9' })).toBeUndefined();
  });

  it('when booleans arrive, then they read as Akismet sends them', () => {
    expect(['1', 'true', 'TRUE', 'yes'].map(flag)).toEqual([true, true, true, true]);
    expect(['0', 'false', '', undefined].map(flag)).toEqual([false, false, false, false]);
  });
});

describe('Akismet verdict', () => {
  const s = (spam: number) => ({ spam, toxicity: 0.01 });
  const BLATANT_SPAM_SCORE = blatantSpamScore(0.77);
  it('when the reject threshold changes, then the discard score follows it, between it and certainty', () => {
    expect(blatantSpamScore(0.77)).toBeCloseTo(0.97125, 5);
    expect(blatantSpamScore(0.5)).toBeCloseTo(0.9375, 5);
    for (const t of [0, 0.3, 0.77, 0.99]) expect(blatantSpamScore(t)).toBeGreaterThan(t);
  });
  it('when rejected for spam far past the threshold, then it is spam to discard', () => {
    expect(verdictOf('g', 'rejected', ['spam'], s(BLATANT_SPAM_SCORE), true, BLATANT_SPAM_SCORE)).toMatchObject({ spam: true, discard: true });
    expect(verdictOf('g', 'rejected', ['spam'], s(0.95), true, BLATANT_SPAM_SCORE)).toMatchObject({ spam: true, discard: false });
  });
  it('when a honeypot or an address blocklist rejected it, then it is discarded whatever the score', () => {
    expect(verdictOf('g', 'rejected', ['honeypot'], s(0.1), true, BLATANT_SPAM_SCORE).discard).toBe(true);
    expect(verdictOf('g', 'rejected', ['blocked_ip'], s(0.1), true, BLATANT_SPAM_SCORE).discard).toBe(true);
    expect(verdictOf('g', 'rejected', ['blocked_word'], s(0.1), true, BLATANT_SPAM_SCORE)).toMatchObject({ spam: true, discard: false });
  });
  it('when pending, then it is spam only if the spam model is why it waits', () => {
    expect(verdictOf('g', 'pending', ['possible_spam'], s(0.7), true, BLATANT_SPAM_SCORE).spam).toBe(true);
    expect(verdictOf('g', 'pending', ['pre_moderation'], s(0.1), true, BLATANT_SPAM_SCORE).spam).toBe(false);
    expect(verdictOf('g', 'approved', ['spam', 'shadow_mode'], s(0.99), true, BLATANT_SPAM_SCORE)).toMatchObject({ spam: false, discard: false });
  });
});
