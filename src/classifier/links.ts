import { domainToUnicode } from 'node:url';
import { getDomain, getDomainWithoutSuffix } from 'tldts';
import abusedTlds from './domain-lists/abused-tlds.json';
import firstParty from './domain-lists/first-party-shorteners.json';
import freeHosting from './domain-lists/free-hosting.json';
import shorteners from './domain-lists/shorteners.json';
import wellKnown from './domain-lists/well-known.json';

/**
 * What a link says about a comment beyond its words: the registrable domain (a token the model and moderator
 * feedback learn, so "links to reuters.com" and "links to cheap-pills.top" are different evidence) and its classes
 * from maintained lists (domain-lists/*.json, each with its source). All of it runs only for comments with links.
 */

const SHORTENERS = new Set(shorteners.domains);
// A publisher's own short links (youtu.be, nyti.ms) lead to its own pages: a citation, not a hidden destination.
const FIRST_PARTY = new Map(Object.entries(firstParty.owners as Record<string, string>));
const FREE_HOSTS = new Set(freeHosting.domains);
const ABUSED_TLDS = new Set(abusedTlds.tlds);
const WELL_KNOWN = new Set(wellKnown.domains);
// A brand's name is its registrable domain without the suffix ("bbc", "nytimes", "theguardian").
const BRANDS = new Set(wellKnown.domains.map((d) => getDomainWithoutSuffix(d) ?? d));

/** The host of a URL or bare domain as the tokenizer found it ("https://www.x.com:80/a" -> "x.com"), lower-cased. */
export function hostOf(url: string): string {
  // A host name is at most 253 characters; a longer "host" is a run of junk after `www.`, and every later step
  // (the suffix list, look-alike skeletons) would pay for its whole length.
  return url.slice(0, 300).replace(/^[a-z]+:\/\//i, '').replace(/^www\./i, '').split(/[/?#:\\]/)[0].slice(0, 253).toLowerCase();
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/**
 * Which link features are on. Only the quality benches change this, to measure each feature by leaving it out
 * (MODEL_CARD.md); the service runs with these defaults, as the shipped model was trained. `firstParty` (a publisher's
 * own short link read as its owner's domain, not as a shortener) and `shape` (linkShape below) are off: both were
 * measured and not shipped (decision 0098).
 */
export const LINK_FEATURES = { psl: true, classes: true, counts: true, words: true, firstParty: false, shape: false };

/**
 * The registrable domain of a host by the Public Suffix List (tldts): "news.bbc.co.uk" -> "bbc.co.uk". Hosts the
 * list does not know (an IP literal, a made-up suffix) keep their last two labels, as before.
 */
export function registrableDomain(host: string): string {
  if (LINK_FEATURES.firstParty) {
    const owner = FIRST_PARTY.get(host);
    if (owner) return owner;
  }
  if (!LINK_FEATURES.psl) return host.split('.').filter(Boolean).slice(-2).join('.');
  if (IPV4.test(host)) return host;
  return getDomain(host, { validateHostname: false }) ?? host.split('.').filter(Boolean).slice(-2).join('.');
}

/**
 * The words of a registrable domain without its suffix, split at hyphens: "cheap-nfl-jerseys.shop" -> cheap, nfl,
 * jerseys. At most four, of 3-30 letters or digits; an IP literal has none.
 */
export function domainWords(domain: string): string[] {
  if (IPV4.test(domain)) return [];
  const dot = domain.indexOf('.');
  const name = dot < 0 ? domain : domain.slice(0, dot);
  const out: string[] = [];
  for (const p of name.split('-')) {
    if (p.length >= 3 && p.length <= 30 && !p.startsWith('xn') && /^[a-z0-9]+$/.test(p) && !/^[0-9]+$/.test(p) && !out.includes(p)) out.push(p);
    if (out.length === 4) break;
  }
  return out;
}

/** Classes of a link's host; names are the metadata feature suffixes (`link:<class>`). */
export const LINK_CLASSES = ['shortener', 'free-host', 'tld', 'ip', 'punycode', 'lookalike', 'brand'] as const;
export type LinkClass = (typeof LINK_CLASSES)[number];

const CLASS_LABEL: Record<LinkClass, string> = {
  shortener: 'URL shortener',
  'free-host': 'free hosting or blog platform',
  tld: 'often-abused top-level domain',
  ip: 'bare IP address',
  punycode: 'punycode (non-Latin) host',
  lookalike: 'look-alike of a well-known domain',
  brand: 'borrows a well-known brand name',
};

/** Human words for a class, for explanations ("link to bit.ly (URL shortener)"). */
export function classLabel(c: LinkClass): string {
  return CLASS_LABEL[c];
}

function endsWithEntry(host: string, set: Set<string>): boolean {
  for (let i = -1; i < host.length; i = host.indexOf('.', i + 1)) {
    if (set.has(i < 0 ? host : host.slice(i + 1))) return true;
    if (host.indexOf('.', i + 1) < 0) break;
  }
  return false;
}

// Latin look-alikes of Cyrillic and Greek letters (as the tokenizer folds them), for punycode hosts.
const CONFUSABLE: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', і: 'i',
  ј: 'j', ѕ: 's', ԁ: 'd', ɡ: 'g', α: 'a', β: 'b', ε: 'e', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x',
};

function latinSkeleton(s: string): string {
  let out = '';
  for (const ch of s.normalize('NFKD')) {
    if (/\p{M}/u.test(ch)) continue;
    out += CONFUSABLE[ch] ?? ch;
  }
  return out;
}

/** The classes of one host (with its registrable domain), in LINK_CLASSES order. */
export function classesOf(host: string, domain: string): LinkClass[] {
  const out: LinkClass[] = [];
  if ((SHORTENERS.has(host) || SHORTENERS.has(domain)) && !(LINK_FEATURES.firstParty && FIRST_PARTY.has(host))) out.push('shortener');
  if (endsWithEntry(host, FREE_HOSTS)) out.push('free-host');
  const tld = host.slice(host.lastIndexOf('.') + 1);
  if (ABUSED_TLDS.has(tld)) out.push('tld');
  if (IPV4.test(host) || host.startsWith('[')) out.push('ip');
  if (host.includes('xn--')) {
    out.push('punycode');
    const skeleton = latinSkeleton(domainToUnicode(host));
    if (!WELL_KNOWN.has(domain) && (WELL_KNOWN.has(skeleton) || WELL_KNOWN.has(registrableDomain(skeleton)))) out.push('lookalike');
  }
  if (!WELL_KNOWN.has(domain)) {
    const name = domain.slice(0, domain.indexOf('.') < 0 ? domain.length : domain.indexOf('.'));
    if (name.includes('-') && name.split('-').some((p) => BRANDS.has(p))) out.push('brand');
  }
  return out;
}

/** A site's own lists: a host matches an entry when it equals it or is a sub-domain of it. */
export function onList(host: string, list: readonly string[]): string | undefined {
  for (const raw of list) {
    const e = raw.toLowerCase().replace(/^\*?\./, '').replace(/^www\./, '');
    if (host === e || host.endsWith('.' + e)) return e;
  }
  return undefined;
}

/** Registrable suffixes only institutions can register (.gov, .edu, .mil, .int and their national forms). */
const INSTITUTIONAL = /(?:^|\.)(?:gov|edu|mil|int|ac|gc|gouv|gob|govt)(?:\.[a-z]{2})?$/;

/**
 * The shape of a registrable domain, as link metadata names: `hyph=1` / `hyph=2+` for the hyphens in its name
 * (made-up commercial domains string keywords together: best-roofing-pros-denver.com) and `inst` for a suffix only
 * institutions can register. Constant strings, so scoring allocates none.
 */
export function linkShape(domain: string): Array<'hyph=1' | 'hyph=2+' | 'inst'> {
  const out: Array<'hyph=1' | 'hyph=2+' | 'inst'> = [];
  const dot = domain.indexOf('.');
  if (dot < 0 || IPV4.test(domain)) return out;
  let hyphens = 0;
  for (let i = 0; i < dot; i++) if (domain.charCodeAt(i) === 45) hyphens++;
  if (hyphens) out.push(hyphens === 1 ? 'hyph=1' : 'hyph=2+');
  if (INSTITUTIONAL.test(domain.slice(dot + 1))) out.push('inst');
  return out;
}
