import { FNV_OFFSET, FNV_PRIME } from './hash';
import { LINK_FEATURES, domainWords, hostOf, registrableDomain } from './links';
import { normalize } from './normalize';
import { matchChunk, type Groups } from './token-match';

/** A token: the value features are built from, and its span in the original text. */
export interface Token {
  value: string;
  /** True for words (char n-grams are taken from these), false for shape tokens like `__url__`. */
  word: boolean;
  start: number;
  end: number;
}

const LEET: Record<string, string> = {
  '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '€': 'e', '£': 'l', '!': 'i', '|': 'l',
};
// Cyrillic and Greek letters that look Latin; folded only inside mixed-script words so real Russian stays intact.
const HOMOGLYPH: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', і: 'i',
  ј: 'j', ѕ: 's', ԁ: 'd', ɡ: 'g', α: 'a', β: 'b', ε: 'e', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x',
};

/**
 * Collapses runs of three or more of one letter to two ("freeeee" -> "free", "fuuuck" -> "fuuck"):
 * real double letters survive while elongation stops creating new words.
 */
export function collapseRuns(w: string): string {
  for (let i = 2; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c === w.charCodeAt(i - 1) && c === w.charCodeAt(i - 2)) return w.replace(/(\p{L})\1{2,}/gu, '$1$1');
  }
  return w;
}

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

// The registrable domain by the Public Suffix List (links.ts), so "news.bbc.co.uk" is "bbc.co.uk", not "co.uk".
function domainOf(url: string): string {
  return registrableDomain(hostOf(url));
}

/**
 * Receives the tokens of a text in order. `word` gets a plain word: `text.slice(s, e)` of the normalised
 * text, already final (no folding or collapsing needed), with its FNV-1a hash (hash.ts), so a receiver
 * that only looks it up need not allocate it. Everything else arrives through `token` with its value.
 */
export interface TokenSink {
  word(text: string, s: number, e: number, start: number, end: number, hash: number): void;
  token(value: string, word: boolean, start: number, end: number): void;
  /** A link in the text (not an e-mail): its host, registrable domain and length in the normalised text. */
  link?(host: string, domain: string, length: number): void;
}

function pushMatch(g: Groups, index: number, length: number, out: TokenSink, from: Int32Array, to: Int32Array): void {
  const start = from[index];
  const end = to[index + length - 1];
  if (g.url) {
    const host = hostOf(g.url);
    const domain = registrableDomain(host);
    out.token('__url__', false, start, end);
    out.token('dom:' + domain, false, start, end);
    out.link?.(host, domain, g.url.length);
    // The words a domain is made of ("cheap-jerseys-outlet") say what it sells; as words they also get char n-grams.
    if (LINK_FEATURES.words) for (const w of domainWords(domain)) out.token(w, true, start, end);
  } else if (g.email) {
    out.token('__email__', false, start, end);
    out.token('dom:' + domainOf(g.email.split('@')[1]), false, start, end);
  } else if (g.mention) {
    out.token('__mention__', false, start, end);
  } else if (g.phone) {
    const digits = g.phone.replace(/\D/g, '').length;
    out.token(digits >= 9 ? '__phone__' : `__num${digits}__`, false, start, end);
  } else if (g.word) {
    const w = g.word;
    if (/^[0-9]+$/.test(w)) out.token(`__num${Math.min(w.length, 9)}__`, false, start, end);
    else out.token(collapseRuns(foldWord(w)), true, start, end);
  } else if (g.emoji) {
    out.token(g.emoji, false, start, end);
  }
}

// Character classes of BMP code units, filled lazily: 1 letter, 2 other.
const CLASS = new Uint8Array(65536);
const LETTER = /\p{L}/u;

function isLetter(c: number): boolean {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  let k = CLASS[c];
  if (k === 0) CLASS[c] = k = c >= 0xd800 && c <= 0xdfff ? 2 : LETTER.test(String.fromCharCode(c)) ? 1 : 2;
  return k === 1;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200a);
}

// Characters that can start or sit inside a URL, e-mail, mention, phone or leet word; a chunk with none
// of them is plain words and punctuation, tokenised without the big pattern.
function isSpecial(c: number, next: number): boolean {
  return (
    (c >= 48 && c <= 57) || c === 64 || c === 47 || c === 36 || c === 0x20ac || c === 0xa3 || c === 124 || c === 42 ||
    c === 43 || c >= 0xd800 || (c > 127 && c !== 0x2019 && !isLetter(c)) || ((c === 46 || c === 33) && isLetter(next))
  );
}

// ASCII classes for the chunk scan, the same answers as isSpace / isSpecial: 1 space, 2 special,
// 3 special when a letter follows ('.' and '!').
const A_SPACE = 1;
const A_SPECIAL = 2;
const A_BEFORE_LETTER = 3;
const ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if (isSpace(c)) ASCII[c] = A_SPACE;
  else if (c === 46 || c === 33) ASCII[c] = A_BEFORE_LETTER;
  else if (isSpecial(c, 32)) ASCII[c] = A_SPECIAL;
}

/** Tokenises `input` after normalisation; every token carries its span in the original string. */
export function tokenize(input: string): Token[] {
  const out: Token[] = [];
  scan(input, {
    word: (text, s, e, start, end) => out.push({ value: text.slice(s, e), word: true, start, end }),
    token: (value, word, start, end) => out.push({ value, word, start, end }),
  });
  return out;
}

/** Normalises `input` and hands its tokens to `out` in order (see `tokenize`). */
export function scan(input: string, out: TokenSink): void {
  const { text, from, to } = normalize(input);
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    let j = i;
    let special = false;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c < 128) {
        // Printable ASCII through a table: this loop sees every character of every comment.
        const k = ASCII[c];
        if (k === A_SPACE) break;
        if (k !== 0 && !special) special = k === A_SPECIAL || isLetter(j + 1 < n ? text.charCodeAt(j + 1) : 32);
      } else {
        if (isSpace(c)) break;
        if (!special && isSpecial(c, j + 1 < n ? text.charCodeAt(j + 1) : 32)) special = true;
      }
      j++;
    }
    if (special) {
      // Rare path: the full pattern, which may run past the chunk (phone numbers hold spaces).
      i = matchChunk(text, i, j, (g, index, length) => pushMatch(g, index, length, out, from, to));
      continue;
    }
    // Plain chunk: runs of letters are words, everything else is punctuation. The scan notes whether a
    // word has non-ASCII letters (folding) or a letter three times in a row (collapsing), so most
    // words need neither.
    let k = i;
    while (k < j) {
      while (k < j && !isLetter(text.charCodeAt(k))) k++;
      const s = k;
      let wide = false;
      let triple = false;
      let last = -1;
      let run = 0;
      let h = FNV_OFFSET;
      for (;;) {
        while (k < j) {
          const c = text.charCodeAt(k);
          if (!isLetter(c)) break;
          h = Math.imul(h ^ c, FNV_PRIME);
          if (c > 127) wide = true;
          if (c === last) triple ||= ++run >= 2;
          else {
            last = c;
            run = 0;
          }
          k++;
        }
        // An apostrophe between letters stays inside the word ("don't"), as in the full pattern.
        const c = k + 1 < j ? text.charCodeAt(k) : 0;
        if (!((c === 39 || c === 0x2019) && k > s && isLetter(text.charCodeAt(k + 1)))) break;
        h = Math.imul(h ^ c, FNV_PRIME);
        k++;
        last = -1;
        wide ||= c > 127;
      }
      if (k > s) {
        if (wide) out.token(collapseRuns(foldWord(text.slice(s, k))), true, from[s], to[k - 1]);
        else if (triple) out.token(collapseRuns(text.slice(s, k)), true, from[s], to[k - 1]);
        else out.word(text, s, k, from[s], to[k - 1], h);
      }
    }
    i = j;
  }
}
