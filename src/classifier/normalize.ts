/**
 * Character-level normalisation that keeps, for every output UTF-16 unit, the span of the
 * original text it came from, so explanations can point at what the commenter actually typed.
 */
export interface Normalized {
  /** The normalised text. */
  text: string;
  /** `from[i]` is the start offset in the original text of the character that produced `text[i]`. */
  from: number[];
  /** `to[i]` is the end offset (exclusive) in the original text for `text[i]`. */
  to: number[];
}

// Arabic-script variants are unified so Persian and Arabic spellings of one word share features.
const ARABIC: Record<number, string> = {
  0x0649: '\u064A', 0x06cc: '\u064A', 0x06d2: '\u064A', 0x0626: '\u064A', // ى ی ے ئ -> ي
  0x06a9: '\u0643', 0x06aa: '\u0643', // ک ڪ -> ك
  0x0622: '\u0627', 0x0623: '\u0627', 0x0625: '\u0627', 0x0671: '\u0627', // آ أ إ ٱ -> ا
  0x0629: '\u0647', 0x06c0: '\u0647', 0x06c1: '\u0647', // ة ۀ ہ -> ه
  0x0624: '\u0648', // ؤ -> و
  0x0640: '', // tatweel only stretches a word
};

function isStripped(cp: number): boolean {
  return (
    (cp >= 0x0300 && cp <= 0x036f) || // Latin combining diacritics
    (cp >= 0x064b && cp <= 0x065f) || cp === 0x0670 || (cp >= 0x06d6 && cp <= 0x06ed) || // Arabic harakat
    (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) || // zero-width, bidi
    cp === 0xfeff || cp === 0x00ad || cp === 0x034f || cp === 0x061c || cp === 0x180e || // BOM, soft hyphen, CGJ, ALM
    (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef) // variation selectors
  );
}

const cache = new Map<number, string>();

/** Folds one non-ASCII code point: NFKC, lower case, diacritics off, Arabic letters unified, digits to ASCII. */
function foldCodePoint(cp: number): string {
  const hit = cache.get(cp);
  if (hit !== undefined) return hit;
  let out: string;
  if (isStripped(cp)) out = '';
  else if (cp in ARABIC) out = ARABIC[cp];
  else if (cp >= 0x0660 && cp <= 0x0669) out = String(cp - 0x0660);
  else if (cp >= 0x06f0 && cp <= 0x06f9) out = String(cp - 0x06f0);
  else {
    const nfkc = String.fromCodePoint(cp).normalize('NFKC').toLowerCase();
    let s = '';
    for (const ch of nfkc.normalize('NFD')) {
      const c = ch.codePointAt(0)!;
      if (isStripped(c)) continue;
      s += c in ARABIC ? ARABIC[c] : ch;
    }
    // Re-compose what was not a stripped mark (e.g. Hangul) so scripts without diacritic folding stay intact.
    out = s.normalize('NFC');
    if (/\s/u.test(out)) out = ' ';
  }
  if (cache.size < 50000) cache.set(cp, out);
  return out;
}

function isLetterCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c > 127 && c !== 32);
}

/**
 * Normalises `input` and records the original span of every output character.
 * Runs of three or more of the same letter collapse to two ("freeeee" -> "free"), which keeps
 * real double letters while defeating elongation; the kept letters' spans stretch over the run.
 */
export function normalize(input: string): Normalized {
  let text = '';
  const from: number[] = [];
  const to: number[] = [];
  const n = input.length;
  let i = 0;
  // The last two output units are tracked here: reading them back from a growing string would flatten it each time.
  let prev1 = -1;
  let prev2 = -1;
  while (i < n) {
    const code = input.charCodeAt(i);
    let piece: string;
    let len = 1;
    if (code < 128) {
      if (code >= 65 && code <= 90) piece = String.fromCharCode(code + 32);
      else if (code < 32 || code === 127) piece = ' ';
      else piece = input[i];
    } else {
      const cp = input.codePointAt(i)!;
      len = cp > 0xffff ? 2 : 1;
      piece = foldCodePoint(cp);
    }
    for (let k = 0; k < piece.length; k++) {
      const c = piece.charCodeAt(k);
      if (c === prev1 && c === prev2 && isLetterCode(c)) {
        to[to.length - 1] = i + len;
        continue;
      }
      prev2 = prev1;
      prev1 = c;
      text += piece[k];
      from.push(i);
      to.push(i + len);
    }
    i += len;
  }
  return { text, from, to };
}
