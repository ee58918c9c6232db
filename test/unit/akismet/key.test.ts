import { newCredential, newId } from '../../../src/sites/credentials';
import { akismetKeyFor, presentedAkismetKey, secretKeyFrom } from '../../../src/akismet/key';

describe('Akismet keys', () => {
  it('when a secret key is spelled for DNS, then the spelling is one lowercase label of at most 63 characters that decodes back', () => {
    for (let i = 0; i < 200; i++) {
      const sk = newCredential('sk', newId());
      const dns = akismetKeyFor(sk)!;
      expect(dns).toMatch(/^sk-[0-9a-f]{16}-[a-z2-7]{39}$/);
      expect(dns.length).toBeLessThanOrEqual(63);
      expect(secretKeyFrom(dns)).toBe(sk);
      // Host names arrive in any case; the spelling survives that.
      expect(secretKeyFrom(dns.toUpperCase())).toBe(sk);
    }
  });

  it('when the input is not a secret key, then there is no DNS spelling and it passes through unchanged', () => {
    const pk = newCredential('pk', newId());
    expect(akismetKeyFor(pk)).toBeUndefined();
    expect(secretKeyFrom(pk)).toBe(pk);
    expect(secretKeyFrom('garbage')).toBe('garbage');
  });

  it('when the last base32 character carries non-zero padding bits, then it is not decoded (one spelling per key)', () => {
    const dns = akismetKeyFor(newCredential('sk', newId()))!;
    const last = dns.at(-1)!;
    const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
    const other = alphabet[(alphabet.indexOf(last) + 1) % 32];
    const tampered = dns.slice(0, -1) + other;
    expect(secretKeyFrom(tampered)).toBe(tampered);
  });

  it('when the form carries api_key or key, then it wins over the host; a host label counts only when shaped like a key', () => {
    const dns = akismetKeyFor(newCredential('sk', newId()))!;
    expect(presentedAkismetKey({ api_key: 'a', key: 'b' }, `${dns}.vigil.example`)).toBe('a');
    expect(presentedAkismetKey({ key: 'b' }, `${dns}.vigil.example`)).toBe('b');
    expect(presentedAkismetKey({}, `${dns}.vigil.example`)).toBe(dns);
    expect(presentedAkismetKey({}, 'vigil.example.com')).toBeUndefined();
    expect(presentedAkismetKey({}, dns)).toBeUndefined();
    expect(presentedAkismetKey({}, undefined)).toBeUndefined();
  });
});
