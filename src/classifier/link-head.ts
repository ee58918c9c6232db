import { featurize, forgetLastText, layoutFor, type Doc } from './doc';
import { scanFeatures, type FeatureOptions } from './features';
import { LINK_FEATURES } from './links';
import type { ScoreInput } from './types';

/**
 * The spam model's link head (TrainOptions.linkHead, decision 0101): a second head that learns from a comment's link
 * evidence only, so a stack over it and the word head can weigh what a link says apart from how many words surround
 * it. In one Naive Bayes head the twenty words of a topical opener outvote the one domain token of the link after it.
 */
export const LINK_HEAD = 'link';

// Metadata features that are link evidence: link counts, classes of linked hosts and of the author's website, the
// site's lists, the campaign count. Caps, fill time and the like stay with the word head.
const LINK_META_PREFIXES = ['links=', 'link:', 'author-url:', 'doms=', 'lratio=', 'url_field', 'author_url', 'site:', 'campaign='];

/**
 * What the link head trains on for one comment (`d` its features as the model sees them): the text buckets of its
 * links alone (the link token and each registrable domain, without the domain's words, whose buckets are shared with
 * ordinary words of the text) and its link metadata. At scoring the head reads the whole comment, but stores only the
 * buckets it trained on (an attribute head's table), so the words of the text add nothing to it.
 */
export function linkView(input: ScoreInput, d: Doc, opt: FeatureOptions): Doc {
  const keep = d.metaNames.map((n, k) => (isLinkMeta(n) ? k : -1)).filter((k) => k >= 0);
  const found = scanFeatures(input.text, opt, layoutFor(opt)).found;
  const words = LINK_FEATURES.words;
  let links: Doc;
  try {
    LINK_FEATURES.words = false;
    links = featurize({ text: found ? found.hosts.map((h) => `http://${h}/`).join(' ') : '' }, opt, false);
  } finally {
    LINK_FEATURES.words = words;
    // The remembered features were made with other link settings.
    forgetLastText();
  }
  return { tokens: [], text: links.text, v: links.v, metaNames: keep.map((k) => d.metaNames[k]), meta: keep.map((k) => d.meta[k]) };
}

/** Whether a metadata feature is link evidence (the link head's, not the word head's). */
export function isLinkMeta(name: string): boolean {
  return LINK_META_PREFIXES.some((p) => name.startsWith(p));
}

/**
 * What the word head trains on when it leaves links to the link head (`linkHead.words`): the text with its links taken
 * out (style-train.ts `withoutLinks`: scheme or "www." links; a bare "example.com" stays) and the metadata that is not
 * link evidence. At scoring its table has no bucket of a link token, so the links of the whole comment add nothing.
 */
export function wordView(input: ScoreInput, d: Doc, opt: FeatureOptions): Doc {
  const keep = d.metaNames.map((n, k) => (isLinkMeta(n) ? -1 : k)).filter((k) => k >= 0);
  const words = featurize({ text: withoutLinks(input.text) }, opt, false);
  return { tokens: [], text: words.text, v: words.v, metaNames: keep.map((k) => d.metaNames[k]), meta: keep.map((k) => d.meta[k]) };
}

// Training data only (never user text at scoring time): a link is a run of non-spaces from its scheme or "www.".
const LINK = /(?:https?:\/\/|www\.)[^\s<>"]*/gi;

/** The text with its links replaced by a space. */
export function withoutLinks(text: string): string {
  return text.replace(LINK, ' ');
}
