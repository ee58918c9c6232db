import { credentialMatches, hashCredential, newCredential, parseCredential, siteKeyMatches } from '../../src/sites/credentials';
import { hashTag, keys } from '../../src/infra/keys';

describe('credentials', () => {
  it('when a key is made, then it parses back to its kind and owner and matches only its own hash', () => {
    const key = newCredential('sk', '0123456789abcdef');
    expect(parseCredential(key)).toEqual({ kind: 'sk', ownerId: '0123456789abcdef' });
    expect(credentialMatches(key, hashCredential(key))).toBe(true);
    expect(credentialMatches(newCredential('sk', '0123456789abcdef'), hashCredential(key))).toBe(false);
    expect(credentialMatches(key, undefined)).toBe(false);
  });
  it('when a site key matched once, then it keeps matching only its current hash, and other keys are never remembered', () => {
    const pk = newCredential('pk', '0123456789abcdef');
    expect(siteKeyMatches(pk, hashCredential(pk))).toBe(true);
    expect(siteKeyMatches(pk, hashCredential(pk))).toBe(true);
    // Rotated: the stored hash is another key's, so the remembered match no longer counts.
    expect(siteKeyMatches(pk, hashCredential(newCredential('pk', '0123456789abcdef')))).toBe(false);
    expect(siteKeyMatches(pk, undefined)).toBe(false);
    const sk = newCredential('sk', '0123456789abcdef');
    expect(siteKeyMatches(sk, hashCredential(sk))).toBe(false);
  });
  it('when a string is not shaped like a key, then it does not parse', () => {
    for (const bad of ['', 'sk_', 'sk_0123_abc', 'xx_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', `sk_0123456789abcdef_${'A'.repeat(31)}!`]) {
      expect(parseCredential(bad)).toBeUndefined();
    }
  });
});

describe('keys', () => {
  it("when keys belong to one site, then they share that site's hash tag", () => {
    const tags = [keys.site('s1'), keys.comment('s1', 'c'), keys.pending('s1'), keys.thread('s1', 't', 'approved'), keys.captcha('s1', 'x')].map(hashTag);
    expect(new Set(tags)).toEqual(new Set(['s1']));
  });
});
