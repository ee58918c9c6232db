import { DEFAULT_FEATURES, layoutOf, metaBucket } from '../../../src/classifier/features';
import { classesOf, domainWords, hostOf, linkShape, onList, registrableDomain, LINK_CLASSES, LINK_FEATURES } from '../../../src/classifier/links';
import { linkMetaFeatures } from '../../../src/classifier/links-meta';
import { featurize } from '../../../src/classifier/doc';
import type { ScoreInput } from '../../../src/classifier/types';

const classes = (url: string) => {
  const host = hostOf(url);
  return classesOf(host, registrableDomain(host));
};

const metaOf = (input: ScoreInput) => featurize(input, DEFAULT_FEATURES, true);

describe('link domains', () => {
  it('when a host is under a multi-label public suffix, then its registrable domain keeps the owner', () => {
    expect(registrableDomain(hostOf('https://news.bbc.co.uk/x'))).toBe('bbc.co.uk');
    expect(registrableDomain(hostOf('https://www.cityofportland.gov/budget.pdf'))).toBe('cityofportland.gov');
    expect(registrableDomain(hostOf('http://185.244.30.17/promo'))).toBe('185.244.30.17');
  });

  it('when a domain name has hyphenated words, then they are its words', () => {
    expect(domainWords('cheap-nfl-jerseys.com')).toEqual(['cheap', 'nfl', 'jerseys']);
    expect(domainWords('185.244.30.17')).toEqual([]);
  });

  it('when a link goes to a shortener, free host, abused TLD, IP or look-alike, then it gets that class', () => {
    expect(classes('https://bit.ly/3xKq9Zt')).toEqual(['shortener']);
    expect(classes('https://lisa.blogspot.com/x')).toEqual(['free-host']);
    expect(classes('https://sites.google.com/view/x')).toEqual(['free-host']);
    expect(classes('http://quickpaydayloan.xyz/apply')).toEqual(['tld']);
    expect(classes('http://185.244.30.17/promo')).toEqual(['ip']);
    // "pаypal" with a Cyrillic а.
    expect(classes('http://xn--pypal-4ve.com/info')).toEqual(['punycode', 'lookalike']);
    expect(classes('https://bbc-news-uk.online/exclusive')).toEqual(['tld', 'brand']);
  });

  it('when a link is a citation to an ordinary site, then it has no class', () => {
    expect(classes('https://www.cityofportland.gov/budget/2026-adopted.pdf')).toEqual([]);
    expect(classes('https://en.wikipedia.org/wiki/Tacoma_Narrows_Bridge')).toEqual([]);
    expect(classes('https://www.bbc.co.uk/news/uk-politics-67012345')).toEqual([]);
  });

  it('when first-party shorteners are on, then a publisher\'s own short link reads as its owner and not as a shortener', () => {
    expect(classes('https://youtu.be/b3Rt9kLmZpQ')).toEqual(['shortener']);
    Object.assign(LINK_FEATURES, { firstParty: true });
    try {
      expect(registrableDomain(hostOf('https://youtu.be/b3Rt9kLmZpQ'))).toBe('youtube.com');
      expect(classes('https://youtu.be/b3Rt9kLmZpQ')).toEqual([]);
      expect(classes('https://on.ft.com/3Zq8RnB')).toEqual([]);
      // A general-purpose shortener still hides its destination.
      expect(classes('https://bit.ly/3xKq9Zt')).toEqual(['shortener']);
    } finally {
      Object.assign(LINK_FEATURES, { firstParty: false });
    }
  });

  it('when a domain strings hyphenated words together or has an institutional suffix, then its shape says so', () => {
    expect(linkShape('best-roofing-pros-denver.com')).toEqual(['hyph=2+']);
    expect(linkShape('my-site.org')).toEqual(['hyph=1']);
    expect(linkShape('cityofportland.gov')).toEqual(['inst']);
    expect(linkShape('ox.ac.uk')).toEqual(['inst']);
    expect(linkShape('statcan.gc.ca')).toEqual(['inst']);
    expect(linkShape('bbc.co.uk')).toEqual([]);
    expect(linkShape('185.244.30.17')).toEqual([]);
  });

  it('when a site lists a domain, then its sub-domains match and look-alike suffixes do not', () => {
    expect(onList('news.city.gov', ['city.gov'])).toBe('city.gov');
    expect(onList('badcity.gov', ['city.gov'])).toBeUndefined();
  });
});

describe('link metadata features', () => {
  it('when a comment links to a shortener, then a feature names the host for the explanation', () => {
    const d = metaOf({ text: 'free money https://bit.ly/abc' });
    const i = d.metaNames.indexOf('link:shortener');
    expect(i).toBeGreaterThanOrEqual(0);
    expect(d.metaLabels?.[i]).toBe('link to bit.ly (URL shortener)');
    expect(d.metaNames).toContain('doms=1');
  });

  it('when the link is on the site allow list, then it counts as allowed and gets no class', () => {
    const d = metaOf({ text: 'see https://bit.ly/abc', domains: { allow: ['bit.ly'] } });
    expect(d.metaNames).toContain('site:allowed');
    expect(d.metaNames).not.toContain('link:shortener');
  });

  it('when the link or author website is on the deny list, then it counts as denied', () => {
    expect(metaOf({ text: 'see https://example.com/x', domains: { deny: ['example.com'] } }).metaNames).toContain('site:denied');
    expect(metaOf({ text: 'nice', url: 'https://www.example.com', domains: { deny: ['example.com'] } }).metaNames).toContain('site:denied');
  });

  it('when many authors posted the same domain, then the campaign feature says how many', () => {
    const names: string[] = [];
    const labels: Array<string | undefined> = [];
    linkMetaFeatures({ text: 'x', meta: { campaign: { domain: 'spam.example', authors: 14, minutes: 10 } } }, undefined, names, labels);
    expect(names).toEqual(['campaign=10+']);
    expect(labels).toEqual(['spam.example seen from 14 authors in 10 minutes']);
  });

  it('when domain shapes are on, then a hyphenated link and author website are named for the explanation', () => {
    Object.assign(LINK_FEATURES, { shape: true });
    try {
      const d = metaOf({ text: 'great read https://best-roofing-pros-denver.com/blog', url: 'https://www.kitchen-ideas.xyz' });
      expect(d.metaNames).toEqual(expect.arrayContaining(['link:hyph=2+', 'author-url:hyph=1']));
      expect(d.metaLabels?.[d.metaNames.indexOf('link:hyph=2+')]).toBe('link to best-roofing-pros-denver.com (a name of several hyphenated words)');
    } finally {
      Object.assign(LINK_FEATURES, { shape: false });
    }
    expect(metaOf({ text: 'great read https://best-roofing-pros-denver.com/blog' }).metaNames).not.toContain('link:hyph=2+');
  });

  it('when a comment has no link, author URL or campaign, then no link feature is added', () => {
    expect(metaOf({ text: 'just words here' }).metaNames.some((n) => /^(link:|doms|lratio|site:|campaign|author-url)/.test(n))).toBe(false);
  });

  it('when link features are hashed, then none shares a metadata bucket with another metadata feature', () => {
    const l = layoutOf(DEFAULT_FEATURES);
    const older = ['links=0', 'links=1', 'links=2', 'links=3+', 'caps=lo', 'caps=mid', 'caps=hi', 'caps=shout', 'author_url', 'url_field',
      'fill=<3s', 'fill=<10s', 'fill=<30s', 'fill=>=30s', 'dup=0', 'dup=1', 'dup=2-4', 'dup=5+', 'ip=<3', 'ip=<10', 'ip=<30', 'ip=30+'];
    const added = [...LINK_CLASSES.map((c) => 'link:' + c), ...LINK_CLASSES.map((c) => 'author-url:' + c), 'doms=1', 'doms=2', 'doms=3+',
      'lratio=lo', 'lratio=mid', 'lratio=hi', 'site:allowed', 'site:denied', 'campaign=3-9', 'campaign=10+',
      ...['hyph=1', 'hyph=2+', 'inst'].flatMap((c) => ['link:' + c, 'author-url:' + c])];
    const olderBuckets = new Set(older.map((n) => metaBucket(n, l)));
    const addedBuckets = added.map((n) => metaBucket(n, l));
    expect(new Set(addedBuckets).size).toBe(added.length);
    expect(addedBuckets.filter((b) => olderBuckets.has(b))).toEqual([]);
  });
});
