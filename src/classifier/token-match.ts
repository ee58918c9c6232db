/**
 * The matcher for chunks that may hold links, e-mails, mentions, phone numbers, leet words or emoji. It
 * gives the tokens of one global alternation tried at every position (url | email | mention | phone | word |
 * emoji, the first branch that matches wins), in time linear in the chunk.
 *
 * The global pattern, run as is, was quadratic: a bare domain or an e-mail's local part that fails reads to
 * the end of its run first, so `a.a.a…` (no TLD) or `a+a+a…` (no "@") was read once per position. Two facts
 * make a failure reusable: a bare domain that fails from a position (where \b holds) fails from every later
 * position of the same dotted run, because the ".tld" it needs would lie in both; and an e-mail that fails
 * fails for the rest of its local-part run, because it needs the same "@domain" after the run. So a failure
 * is remembered up to the run's end, and those positions try a pattern without that branch.
 *
 * Words and emoji, the last two branches, are scanned by hand: they cannot fail after a long read, and a
 * regular-expression call per short token cost more than the tokens themselves on runs like `a.a.a…`.
 */

// Common TLDs, so bare domains like "bit.ly/x" or "mysite.com" count as links without a scheme.
const TLD = 'com|net|org|info|biz|ru|io|co|me|ly|us|uk|de|tk|cn|xyz|online|site|top|club|gl|gd|to|tv|be|in|eu|fr|ir';
const URL_SCHEME = `(?:https?:\\/\\/|www\\.)[^\\s<>"']+`;
const URL_BARE = `\\b[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.(?:${TLD})\\b(?:\\/[^\\s<>"']*)?`;
const EMAIL = `[a-z0-9._%+-]+@[a-z0-9-]+(?:\\.[a-z0-9-]+)+`;
const MENTION = `@[\\p{L}\\p{N}_]+`;
const PHONE = `\\+?\\d[\\d ().-]{5,}\\d`;

/**
 * Sticky patterns of the link-like branches (url, email, mention, phone as groups 1-4), by which of the two
 * long-failing branches they keep: bit 1 the bare domain, bit 2 the e-mail. A dropped e-mail branch stays as
 * a group that never matches, so group numbers do not move.
 */
const LINKS = [0, 1, 2, 3].map(
  (k) => new RegExp(`(${URL_SCHEME}${k & 1 ? '|' + URL_BARE : ''})|(${k & 2 ? EMAIL : '(?!)'})|(${MENTION})|(${PHONE})`, 'uy'),
);

/** The branch a match came from, with its text, as the tokenizer reads it. */
export type Groups = Partial<Record<'url' | 'email' | 'mention' | 'phone' | 'word' | 'emoji', string>>;

/** Receives one match: its branch and text, and its span in the normalised text. */
export type MatchSink = (g: Groups, index: number, length: number) => void;

// [a-z0-9-], the characters of a bare domain's labels.
function isLabel(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45;
}

// [a-z0-9._%+-], the characters of an e-mail's local part.
function isLocal(c: number): boolean {
  return isLabel(c) || c === 46 || c === 95 || c === 37 || c === 43;
}

// A word character for \b, which the `u` flag without `i` reads as [A-Za-z0-9_].
function isAsciiWord(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || c === 95;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

// Per BMP code unit, cached: 1 for \p{L} or \p{N}, 2 for neither; 0 not yet known.
const LN = new Uint8Array(65536);
const LN_RE = /[\p{L}\p{N}]/u;
const PICTO_RE = /\p{Extended_Pictographic}/u;

function isLetterOrNumber(cp: number): boolean {
  if (cp > 0xffff) return LN_RE.test(String.fromCodePoint(cp));
  let k = LN[cp];
  if (k === 0) LN[cp] = k = cp >= 0xd800 && cp <= 0xdfff ? 2 : LN_RE.test(String.fromCharCode(cp)) ? 1 : 2;
  return k === 1;
}

/** End of the run of \p{L}\p{N} code points from `k`. */
function letterRun(text: string, k: number, n: number): number {
  while (k < n) {
    const c = text.charCodeAt(k);
    if (c < 128) {
      if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90))) break;
      k++;
      continue;
    }
    const cp = text.codePointAt(k)!;
    if (!isLetterOrNumber(cp)) break;
    k += cp > 0xffff ? 2 : 1;
  }
  return k;
}

// [@$€£!|*], what leetspeak puts between letters.
function isLeet(c: number): boolean {
  return c === 64 || c === 36 || c === 0x20ac || c === 0xa3 || c === 33 || c === 124 || c === 42;
}

/**
 * End of the word branch `[$€£]?[\p{L}\p{N}]+(?:(?:['’]|[@$€£!|*]+)[\p{L}\p{N}]+)*` from `p`, or -1. The
 * separators are disjoint from the letters, so the greedy match is this single forward scan.
 */
function wordEnd(text: string, p: number, n: number): number {
  let k = p;
  const c = text.charCodeAt(k);
  if (c === 36 || c === 0x20ac || c === 0xa3) k++;
  const e = letterRun(text, k, n);
  if (e === k) return -1;
  k = e;
  for (;;) {
    const c = text.charCodeAt(k);
    let s = k;
    if (c === 39 || c === 0x2019) s = k + 1;
    else while (s < n && isLeet(text.charCodeAt(s))) s++;
    if (s === k) return k;
    const e = letterRun(text, s, n);
    if (e === s) return k;
    k = e;
  }
}

/**
 * Matches the chunk `text[i, j)` position by position and returns where matching stopped (past `j` when a
 * phone number ran on over spaces). Every character is read a bounded number of times.
 */
export function matchChunk(text: string, i: number, j: number, push: MatchSink): number {
  const n = text.length;
  let end = j;
  let bareFailsUntil = i;
  let mailFailsUntil = i;
  let p = i;
  while (p < j) {
    const bare = p >= bareFailsUntil;
    const mail = p >= mailFailsUntil;
    const c = text.charCodeAt(p);
    // Only ASCII can start a link-like branch: "http"/"www.", a label, a local part, "@", a digit or "+".
    if (c === 104 || c === 119 || c === 64 || c === 43 || isDigit(c) || (bare && isLabel(c)) || (mail && isLocal(c))) {
      const re = LINKS[(bare ? 1 : 0) | (mail ? 2 : 0)];
      re.lastIndex = p;
      const m = re.exec(text);
      // A failure of the bare-domain branch only says something about its run when \b held here.
      if (bare && m?.[1] === undefined && isLabel(c) && (p > 0 && isAsciiWord(text.charCodeAt(p - 1))) !== isAsciiWord(c)) {
        let k = p;
        for (;;) {
          while (k < n && isLabel(text.charCodeAt(k))) k++;
          if (k + 1 < n && text.charCodeAt(k) === 46 && isLabel(text.charCodeAt(k + 1))) k++;
          else break;
        }
        bareFailsUntil = k;
      }
      if (mail && m?.[1] === undefined && m?.[2] === undefined && isLocal(c)) {
        let k = p;
        while (k < n && isLocal(text.charCodeAt(k))) k++;
        mailFailsUntil = k;
      }
      if (m) {
        const g: Groups =
          m[1] !== undefined ? { url: m[1] } : m[2] !== undefined ? { email: m[2] } : m[3] !== undefined ? { mention: m[3] } : { phone: m[4] };
        push(g, p, m[0].length);
        p = re.lastIndex;
        end = Math.max(end, p);
        continue;
      }
    }
    const w = wordEnd(text, p, n);
    if (w > p) {
      push({ word: text.slice(p, w) }, p, w - p);
      p = w;
      end = Math.max(end, p);
      continue;
    }
    if (c >= 128) {
      const cp = text.codePointAt(p)!;
      const len = cp > 0xffff ? 2 : 1;
      if (PICTO_RE.test(String.fromCodePoint(cp))) {
        push({ emoji: text.slice(p, p + len) }, p, len);
        p += len;
        continue;
      }
    }
    p++;
  }
  return end;
}
