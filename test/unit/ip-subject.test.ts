import { ipSubject } from '../../src/moderation/ip-subject';

describe('ipSubject', () => {
  it('when an IPv4 address arrives in IPv6-mapped form, then it is the IPv4 address', () => {
    expect(ipSubject('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(ipSubject('::FFFF:cb00:7109')).toBe('203.0.113.9');
    expect(ipSubject('203.0.113.9')).toBe('203.0.113.9');
  });

  it('when IPv6 addresses share a /64, then they are one subject; another /64 is another', () => {
    const a = ipSubject('2001:db8:1:2:aaaa::1');
    expect(ipSubject('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe(a);
    expect(ipSubject('2001:0db8:0001:0002::')).toBe(a);
    expect(a).toBe('2001:db8:1:2:0:0:0:0/64');
    expect(ipSubject('2001:db8:1:3::1')).not.toBe(a);
  });

  it('when the prefix is configured, then that many bits count', () => {
    expect(ipSubject('2001:db8:1:2:aaaa::1', 48)).toBe(ipSubject('2001:db8:1:ffff::1', 48));
    expect(ipSubject('2001:db8:1:2:aaaa::1', 128)).not.toBe(ipSubject('2001:db8:1:2:aaaa::2', 128));
    expect(ipSubject('2001:db8:1:2:aaab::1', 56)).toBe('2001:db8:1:0:0:0:0:0/56');
  });

  it('when an IPv4 prefix is asked for, then the subject is the IPv4 network, mapped forms included', () => {
    expect(ipSubject('203.0.113.77', 64, 24)).toBe('203.0.113.0/24');
    expect(ipSubject('::ffff:cb00:7109', 64, 24)).toBe('203.0.113.0/24');
    expect(ipSubject('::ffff:203.0.113.200', 64, 20)).toBe('203.0.112.0/20');
    expect(ipSubject('203.0.113.77', 64, 0)).toBe('0.0.0.0/0');
  });

  it('when the value is not an IP, then it is kept as it is', () => {
    expect(ipSubject('unknown')).toBe('unknown');
  });
});
