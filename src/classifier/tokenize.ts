import { normalize } from './normalize';

/** A token: the value features are built from, and its span in the original text. */
export interface Token {
  value: string;
  /** True for words (char n-grams are taken from these), false for shape tokens like `__url__`. */
  word: boolean;
  start: number;
  end: number;
}

// Common TLDs, so bare domains like "bit.ly/x" or "mysite.com" count as links without a scheme.
const TLD = 'com|net|org|info|biz|ru|io|co|me|ly|us|uk|de|tk|cn|xyz|online|site|top|club|gl|gd|to|tv|be|in|eu|fr|ir';
const PATTERN = new RegExp(
  [
    `(?<url>(?:https?:\\/\\/|www\\.)[^\\s<>"']+|\\b[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.(?:${TLD})\\b(?:\\/[^\\s<>"']*)?)`,
    `(?<email>[a-z0-9._%+-]+@[a-z0-9-]+(?:\\.[a-z0-9-]+)+)`,
    `(?<mention>@[\\p{L}\\p{N}_]+)`,
    `(?<phone>\\+?\\d[\\d ().-]{5,}\\d)`,
    `(?<word>[$€£]?[\\p{L}\\p{N}]+(?:(?:['’]|[@$€£!|*]+)[\\p{L}\\p{N}]+)*)`,
    `(?<emoji>\\p{Extended_Pictographic})`,
  ].join('|'),
  'gu',
);

const LEET: Record<string, string> = {
  '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '€': 'e', '£': 'l', '!': 'i', '|': 'l',
};
// Cyrillic and Greek letters that look Latin; folded only inside mixed-script words so real Russian stays intact.
const HOMOGLYPH: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', і: 'i',
  ј: 'j', ѕ: 's', ԁ: 'd', ɡ: 'g', α: 'a', β: 'b', ε: 'e', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x',
};

/** Folds leetspeak and homoglyphs inside one word ("v1agra" -> "viagra", "раypal" -> "paypal"). */
export function foldWord(w: string): string {
  const latin = /[a-z]/.test(w);
  if (!latin) return w;
  const hasLeet = /[0-9@$€£!|*]/.test(w) && /[a-z].*[a-z]|[a-z][0-9@$€£!|]|[0-9@$€£!|][a-z]/.test(w);
  const hasGlyph = /[\u0370-\u03ff\u0400-\u04ff\u0500-\u052f\u0261]/.test(w);
  if (!hasLeet && !hasGlyph) return w.replace(/’/g, "'");
  let out = '';
  for (const ch of w) {
    if (ch === '*') continue;
    out += (hasLeet && LEET[ch]) || (hasGlyph && HOMOGLYPH[ch]) || ch;
  }
  return out.replace(/’/g, "'");
}

function domainOf(url: string): string {
  const host = url.replace(/^https?:\/\//, '').replace(/^www\./, '').split(/[/?#:]/)[0];
  // Keep the registrable part (last two labels) so subdomain churn does not create new features.
  return host.split('.').filter(Boolean).slice(-2).join('.');
}

/** Tokenises `input` after normalisation; every token carries its span in the original string. */
export function tokenize(input: string): Token[] {
  const norm = normalize(input);
  const out: Token[] = [];
  const { text, from, to } = norm;
  PATTERN.lastIndex = 0;
  for (let m = PATTERN.exec(text); m; m = PATTERN.exec(text)) {
    const g = m.groups!;
    const start = from[m.index];
    const end = to[m.index + m[0].length - 1];
    if (g.url) {
      out.push({ value: '__url__', word: false, start, end });
      out.push({ value: 'dom:' + domainOf(g.url), word: false, start, end });
    } else if (g.email) {
      out.push({ value: '__email__', word: false, start, end });
      out.push({ value: 'dom:' + domainOf(g.email.split('@')[1]), word: false, start, end });
    } else if (g.mention) {
      out.push({ value: '__mention__', word: false, start, end });
    } else if (g.phone) {
      const digits = g.phone.replace(/\D/g, '').length;
      out.push({ value: digits >= 9 ? '__phone__' : `__num${digits}__`, word: false, start, end });
    } else if (g.word) {
      const w = g.word;
      if (/^[0-9]+$/.test(w)) out.push({ value: `__num${Math.min(w.length, 9)}__`, word: false, start, end });
      else out.push({ value: foldWord(w), word: true, start, end });
    } else if (g.emoji) {
      out.push({ value: g.emoji, word: false, start, end });
    }
  }
  return out;
}
