import type { LinkInfo } from './features';
import { LINK_CLASSES, LINK_FEATURES, classLabel, classesOf, hostOf, linkShape, onList, registrableDomain, type LinkClass } from './links';
import type { ScoreInput } from './types';

// Names are whole constant strings, so scoring builds none and their buckets can be looked up (doc.ts).
const CLASS_NAME = Object.fromEntries(LINK_CLASSES.map((c) => [c, 'link:' + c])) as Record<LinkClass, string>;
const AUTHOR_CLASS_NAME = Object.fromEntries(LINK_CLASSES.map((c) => [c, 'author-url:' + c])) as Record<LinkClass, string>;
const DOMS = ['doms=1', 'doms=2', 'doms=3+'];
const SHAPE_NAME = { 'hyph=1': 'link:hyph=1', 'hyph=2+': 'link:hyph=2+', inst: 'link:inst' } as const;
const AUTHOR_SHAPE_NAME = { 'hyph=1': 'author-url:hyph=1', 'hyph=2+': 'author-url:hyph=2+', inst: 'author-url:inst' } as const;
const SHAPE_LABEL = { 'hyph=1': 'a hyphenated name', 'hyph=2+': 'a name of several hyphenated words', inst: 'an institutional suffix' } as const;

/** Distinct authors per domain in the campaign window at which the campaign features start. */
export const CAMPAIGN_EDGES = [3, 10];

/**
 * Adds the link features of a comment to `names` (and, aligned, a sentence for explanations to `labels`):
 * the classes of each linked host (shortener, free host, abused TLD, IP, punycode, look-alike, borrowed brand),
 * how many distinct domains it links to, how much of the text is links, the classes of the author's URL field,
 * the site's own allow and deny lists, and the campaign count (the same domain from many authors, counted in
 * Redis by the moderation pipeline). Each name occurs at most once: NB counts presence, not how often.
 */
export function linkMetaFeatures(input: ScoreInput, found: LinkInfo | undefined, names: string[], labels: Array<string | undefined>): void {
  const allow = input.domains?.allow ?? [];
  const deny = input.domains?.deny ?? [];
  const add = (name: string, label: string): void => {
    if (names.includes(name)) return;
    names.push(name);
    labels.push(label);
  };
  if (found) {
    for (let i = 0; i < found.hosts.length; i++) {
      const host = found.hosts[i];
      if (allow.length && onList(host, allow)) {
        add('site:allowed', `link to ${host} (on the site's allow list)`);
        continue;
      }
      if (deny.length && onList(host, deny)) add('site:denied', `link to ${host} (on the site's deny list)`);
      if (LINK_FEATURES.classes) for (const c of classesOf(host, found.domains[i])) add(CLASS_NAME[c], `link to ${host} (${classLabel(c)})`);
      if (LINK_FEATURES.shape) for (const c of linkShape(found.domains[i])) add(SHAPE_NAME[c], `link to ${host} (${SHAPE_LABEL[c]})`);
    }
  }
  if (found && LINK_FEATURES.counts) {
    const distinct = new Set(found.domains).size;
    add(DOMS[Math.min(distinct, 3) - 1], `links to ${distinct} different domain${distinct === 1 ? '' : 's'}`);
    const ratio = found.chars / Math.max(1, input.text.length);
    add(ratio < 0.25 ? 'lratio=lo' : ratio < 0.6 ? 'lratio=mid' : 'lratio=hi', `links are ${Math.round(ratio * 100)}% of the text`);
  }
  const url = input.url?.trim();
  if (url) {
    const host = hostOf(url.slice(0, 2048));
    if (host && !(allow.length && onList(host, allow))) {
      if (deny.length && onList(host, deny)) add('site:denied', `author's website ${host} (on the site's deny list)`);
      const domain = registrableDomain(host);
      if (LINK_FEATURES.classes) for (const c of classesOf(host, domain)) add(AUTHOR_CLASS_NAME[c], `author's website ${host} (${classLabel(c)})`);
      if (LINK_FEATURES.shape) for (const c of linkShape(domain)) add(AUTHOR_SHAPE_NAME[c], `author's website ${host} (${SHAPE_LABEL[c]})`);
    }
  }
  const campaign = input.meta?.campaign;
  if (campaign && campaign.authors >= CAMPAIGN_EDGES[0]) {
    add(
      campaign.authors >= CAMPAIGN_EDGES[1] ? 'campaign=10+' : 'campaign=3-9',
      `${campaign.domain} seen from ${campaign.authors} authors in ${campaign.minutes} minutes`,
    );
  }
}

/** Hand-set log-odds (no public data set has these signals); see MODEL_CARD.md. */
export const LINK_PRIORS: Record<string, number> = {
  'site:allowed': -4,
  'site:denied': 3,
  'campaign=3-9': 0.8,
  'campaign=10+': 2,
};
