import type { LinkInfo } from './features';
import { LINK_PRIORS, linkMetaFeatures } from './links-meta';
import type { ScoreInput } from './types';

const URLISH = /https?:\/\/|www\.|\.(com|net|org|info|biz|ru|io|ly|xyz|top|site|online)\b/i;

// Names are whole constant strings, so scoring builds none and their buckets can be looked up (doc.ts).
const LINKS = ['links=0', 'links=1', 'links=2', 'links=3+'];
const CAPS = ['caps=lo', 'caps=mid', 'caps=hi', 'caps=shout'];

/**
 * What each constant metadata entry means, in words, for explanations (`detail`); link entries carry their own
 * sentence naming the domain (links-meta.ts). Kept beside the buckets so that the words change with their edges.
 */
export const META_DETAIL: Readonly<Record<string, string>> = {
  'links=1': 'a link',
  'links=2': 'two links',
  'links=3+': 'three or more links',
  author_url: "a web address in the author's name",
  url_field: 'a website in the author field',
  'caps=hi': 'mostly capital letters',
  'caps=shout': 'nearly all capital letters',
  'fill=<3s': 'sent less than 3 s after the form was shown',
  'fill=<10s': 'sent less than 10 s after the form was shown',
  'dup=1': 'the same text once before on this site in 24 h',
  'dup=2-4': 'the same text 2-4 times before on this site in 24 h',
  'dup=5+': 'the same text 5 or more times before on this site in 24 h',
  'ip=<10': '3-9 comments from this address in 24 h',
  'ip=<30': '10-29 comments from this address in 24 h',
  'ip=30+': '30 or more comments from this address in 24 h',
};

function bucket(x: number, edges: number[], labels: string[]): string {
  for (let i = 0; i < edges.length; i++) if (x < edges[i]) return labels[i];
  return labels[labels.length - 1];
}

/**
 * Metadata features for the spam model, as strings hashed into the same space as the words.
 * `linksInText` is the number of URL tokens in the text. Each is a coarse bucket, so Naive Bayes can
 * learn (or be given) one weight per bucket.
 */
export function metaFeatures(input: ScoreInput, linksInText: number, found?: LinkInfo, labels?: Array<string | undefined>): string[] {
  const out: string[] = [];
  const links = Math.max(linksInText, input.meta?.linkCount ?? 0);
  out.push(LINKS[Math.min(links, 3)]);
  if (input.author && URLISH.test(input.author)) out.push('author_url');
  if (input.email) {
    const dom = input.email.split('@')[1]?.toLowerCase().trim();
    if (dom) out.push('email_dom=' + dom);
  }
  if (input.url && input.url.trim()) out.push('url_field');
  let letters = 0;
  let caps = 0;
  const text = input.text;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) {
      caps++;
      letters++;
    } else if (c >= 97 && c <= 122) letters++;
  }
  if (letters >= 10) out.push(bucket(caps / letters, [0.1, 0.3, 0.6], CAPS));
  const m = input.meta;
  if (m?.fillTimeMs !== undefined) out.push(bucket(m.fillTimeMs, [3000, 10000, 30000], ['fill=<3s', 'fill=<10s', 'fill=<30s', 'fill=>=30s']));
  if (m?.duplicateCount24h !== undefined) out.push(bucket(m.duplicateCount24h, [1, 2, 5], ['dup=0', 'dup=1', 'dup=2-4', 'dup=5+']));
  if (m?.postsPerIp24h !== undefined) out.push(bucket(m.postsPerIp24h, [3, 10, 30], ['ip=<3', 'ip=<10', 'ip=<30', 'ip=30+']));
  // Link features (links-meta.ts) only cost anything for comments with links, an author URL or site lists.
  if (found || input.url || input.meta?.campaign) {
    const lab: Array<string | undefined> = labels ?? [];
    while (lab.length < out.length) lab.push(undefined);
    linkMetaFeatures(input, found, out, lab);
  }
  return out;
}

/**
 * Log-odds for metadata the public data sets do not carry (fill time, duplicates, posts per IP,
 * e-mail and website fields). They are set by hand from how comment spam behaves, are documented in
 * MODEL_CARD.md, and only apply when the caller supplies the signal.
 */
export const META_PRIORS: Record<string, number> = {
  'fill=<3s': 2.5,
  'fill=<10s': 0.8,
  'fill=<30s': 0,
  'fill=>=30s': -0.4,
  'dup=0': -0.2,
  'dup=1': 1.0,
  'dup=2-4': 2.0,
  'dup=5+': 3.5,
  'ip=<3': -0.2,
  'ip=<10': 0.5,
  'ip=<30': 1.5,
  'ip=30+': 3.0,
  url_field: 0.7,
  ...LINK_PRIORS,
};
