import { AkismetBodyError, fieldsOf, MAX_FIELD_CHARS } from '../../../src/akismet/body';
import { clientNetwork } from '../../../src/akismet/key-guard';
import { accuracy, monthsBack, monthsBetween } from '../../../src/akismet/stats';

const form = (body: string | Buffer, type = 'application/x-www-form-urlencoded', query = '') =>
  fieldsOf(type, Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'), query);

function refusal(fn: () => unknown): { status: number; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof AkismetBodyError) return { status: e.status, message: e.message };
    throw e;
  }
  throw new Error('not refused');
}

describe('Akismet request bodies', () => {
  it('when a form names windows-1252 or ISO-8859-1, then its escaped bytes become the same UTF-8 text', () => {
    // "café – naïve" in windows-1252: é = E9, – (en dash) = 96, ï = EF; € = 80, curly quotes 93/94.
    const body = 'comment_content=caf%E9+%96+na%EFve&comment_author=Ren%E9e';
    expect({ ...form(body, 'application/x-www-form-urlencoded; charset=windows-1252') }).toEqual({ comment_content: 'café – naïve', comment_author: 'Renée' });
    expect(form(body, 'application/x-www-form-urlencoded; charset=ISO-8859-1').comment_content).toBe('café – naïve');
    expect(form('c=%80%93x%94', 'application/x-www-form-urlencoded; charset=cp1252').c).toBe('€“x”');
    expect(form('comment_content=caf%C3%A9', 'application/x-www-form-urlencoded; charset=UTF-8').comment_content).toBe('café');
    expect(form('comment_content=caf%C3%A9', 'application/x-www-form-urlencoded').comment_content).toBe('café');
  });

  it('when a form is not valid in its charset or names one that cannot carry a form, then it is refused saying what is accepted', () => {
    expect(refusal(() => form('comment_content=caf%E9', 'application/x-www-form-urlencoded; charset=utf-8')).status).toBe(400);
    for (const cs of ['utf-7', 'utf-16le', 'x-unknown']) {
      const r = refusal(() => form('a=b', `application/x-www-form-urlencoded; charset=${cs}`));
      expect(r.status).toBe(415);
      expect(r.message).toMatch(/application\/x-www-form-urlencoded .*windows-1252.*application\/json in UTF-8/);
    }
    expect(refusal(() => form('<x/>', 'text/xml')).message).toMatch(/Unsupported Content-Type "text\/xml"\. Send application\/x-www-form-urlencoded/);
  });

  it('when JSON arrives, then its scalar fields are read; other charsets, nesting and malformed JSON are refused', () => {
    expect({ ...form('{"blog":"https://b.example","user_ip":"1.2.3.4","is_test":true,"n":1,"x":null}', 'application/json') })
      .toEqual({ blog: 'https://b.example', user_ip: '1.2.3.4', is_test: 'true', n: '1' });
    expect(refusal(() => form('{"a":"b"}', 'application/json; charset=utf-16')).status).toBe(415);
    expect(refusal(() => form('{"a":{"b":1}}', 'application/json')).status).toBe(400);
    expect(refusal(() => form('{"a":', 'application/json')).message).toMatch(/not valid JSON/);
    expect(refusal(() => form('[1]', 'application/json')).status).toBe(400);
  });

  it('when a field is over 10,000 characters or there are too many fields, then the body is refused naming the field', () => {
    expect(form(`comment_content=${'a'.repeat(MAX_FIELD_CHARS)}`).comment_content).toHaveLength(MAX_FIELD_CHARS);
    const long = refusal(() => form(`blog=x&comment_content=${'a'.repeat(MAX_FIELD_CHARS + 1)}`));
    expect(long).toEqual({ status: 413, message: `Field too long: "comment_content" has ${MAX_FIELD_CHARS + 1} characters, at most ${MAX_FIELD_CHARS}.` });
    expect(refusal(() => form(JSON.stringify({ user_agent: 'u'.repeat(MAX_FIELD_CHARS + 1) }), 'application/json')).status).toBe(413);
    expect(refusal(() => form(Array.from({ length: 1001 }, (_, i) => `f${i}=1`).join('&'))).status).toBe(413);
  });

  it('when a 64 KB body is made of runs that trouble parsers, then reading it takes well under 20 ms of CPU', () => {
    // The least of three runs: the scheduler and GC add to single runs, a superlinear parser is slow in all of them.
    const cpuMs = (fn: () => void) => Math.min(...[0, 1, 2].map(() => {
      const before = process.cpuUsage();
      fn();
      const used = process.cpuUsage(before);
      return (used.user + used.system) / 1000;
    }));
    for (const run of ['a.', 'http://a', 'a@b.', 'a', '%', '%2', '&', '=', '+', 'я́a.ب']) {
      const content = run.repeat(Math.floor(64000 / Buffer.byteLength(run)));
      const formBody = Buffer.from(`blog=x&comment_content=${content}`);
      const jsonBody = Buffer.from(JSON.stringify({ blog: 'x', comment_content: content }));
      const tryRead = (type: string, b: Buffer) => () => {
        try {
          fieldsOf(type, b, '');
        } catch (e) {
          if (!(e instanceof AkismetBodyError)) throw e;
        }
      };
      expect({ run, ms: cpuMs(tryRead('application/x-www-form-urlencoded; charset=windows-1252', formBody)) < 20 }).toEqual({ run, ms: true });
      expect({ run, ms: cpuMs(tryRead('application/json', jsonBody)) < 20 }).toEqual({ run, ms: true });
    }
  });

  it('when the query string and the body both carry fields, then the body wins; repeated fields keep the first', () => {
    expect({ ...form('api_key=body&a=1&a=2', undefined, 'api_key=query&month=2026-11') }).toEqual({ api_key: 'body', month: '2026-11', a: '1' });
  });

  it('when fields are named like Object.prototype members, then they are plain data', () => {
    const f = form('__proto__=x&constructor=y&blog=b');
    expect(Object.getPrototypeOf(f)).toBeNull();
    expect(Object.keys(f).sort()).toEqual(['__proto__', 'blog', 'constructor']);
    expect([f['__proto__'], f.constructor]).toEqual(['x', 'y']);
    expect(form('blog=b').constructor).toBeUndefined();
  });
});

describe('Akismet key guessing and stats helpers', () => {
  it('when clients are counted, then by IPv4 /24 and IPv6 /48, mapped addresses as IPv4', () => {
    expect(clientNetwork('203.0.113.77')).toBe('203.0.113.0/24');
    expect(clientNetwork('::ffff:203.0.113.9')).toBe('203.0.113.0/24');
    expect(clientNetwork('::ffff:cb00:7109')).toBe('203.0.113.0/24');
    expect(clientNetwork('2001:db8:abcd:12::1')).toBe('2001:db8:abcd:0:0:0:0:0/48');
    expect(clientNetwork('2001:db8:abcd:ffff:1:2:3:4')).toBe(clientNetwork('2001:DB8:ABCD::9'));
    expect(clientNetwork('::1')).toBe('0:0:0:0:0:0:0:0/48');
    expect(clientNetwork('::1')).not.toBe(clientNetwork('::ffff:cb00:7109'));
    expect(clientNetwork(undefined)).toBe('unknown');
  });

  it('when months are listed, then they run oldest first across a year end', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBack(new Date('2026-03-15T00:00:00Z'), 5)).toBe('2025-10');
  });

  it('when accuracy is computed, then it is the share of checks not later reported wrong', () => {
    expect(accuracy({ api_calls: 0, spam: 0, ham: 0, missed_spam: 0, false_positives: 0 })).toBe('100.00');
    expect(accuracy({ api_calls: 10, spam: 3, ham: 7, missed_spam: 1, false_positives: 1 })).toBe('80.00');
  });
});
