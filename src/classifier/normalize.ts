/**
 * Character-level normalisation that keeps, for every output UTF-16 unit, the span of the
 * original text it came from, so explanations can point at what the commenter actually typed.
 */
export interface Normalized {
  /** The normalised text. */
  text: string;
  /** `from[i]` is the start offset in the original text of the character that produced `text[i]`. */
  from: Int32Array;
  /** `to[i]` is the end offset (exclusive) in the original text for `text[i]`. */
  to: Int32Array;
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

// Output buffers are reused across calls (scoring is synchronous); each call copies out what it keeps.
let codes = new Uint16Array(1024);
let fromBuf = new Int32Array(1024);
let toBuf = new Int32Array(1024);
let identity = new Int32Array(0);

function grow(need: number): void {
  let cap = codes.length;
  while (cap < need) cap *= 2;
  if (cap === codes.length) return;
  const c = new Uint16Array(cap);
  c.set(codes);
  codes = c;
  const f = new Int32Array(cap);
  f.set(fromBuf);
  fromBuf = f;
  const t = new Int32Array(cap);
  t.set(toBuf);
  toBuf = t;
}

function decode(len: number): string {
  let s = '';
  for (let i = 0; i < len; i += 4096) s += String.fromCharCode.apply(null, codes.subarray(i, Math.min(len, i + 4096)) as unknown as number[]);
  return s;
}

/**
 * Normalises `input` and records the original span of every output character. The returned offset
 * arrays are only valid until the next call.
 */
export function normalize(input: string): Normalized {
  const n = input.length;
  // Most comments are printable ASCII: then normalising is lower-casing (native) with tabs and line
  // breaks as spaces, and every character maps to itself, so the offsets are views of one shared 0, 1, 2...
  let plain = true;
  let breaks = false;
  for (let i = 0; i < n; i++) {
    const c = input.charCodeAt(i);
    if (c >= 32 && c < 127) continue;
    if (c === 10 || c === 9 || c === 13) breaks = true;
    else {
      plain = false;
      break;
    }
  }
  if (plain) {
    if (identity.length < n + 1) {
      identity = new Int32Array(Math.max(2 * identity.length, n + 1));
      for (let i = 0; i < identity.length; i++) identity[i] = i;
    }
    const lower = input.toLowerCase();
    return { text: breaks ? lower.replace(/[\t\n\r]/g, ' ') : lower, from: identity.subarray(0, n), to: identity.subarray(1, n + 1) };
  }
  grow(n + 16);
  let m = 0;
  let i = 0;
  while (i < n) {
    const code = input.charCodeAt(i);
    if (code < 128) {
      codes[m] = code >= 65 && code <= 90 ? code + 32 : code < 32 || code === 127 ? 32 : code;
      fromBuf[m] = i;
      toBuf[m++] = i + 1;
      i++;
      continue;
    }
    const cp = input.codePointAt(i)!;
    const len = cp > 0xffff ? 2 : 1;
    const piece = foldCodePoint(cp);
    grow(m + piece.length + 16);
    for (let k = 0; k < piece.length; k++) {
      codes[m] = piece.charCodeAt(k);
      fromBuf[m] = i;
      toBuf[m++] = i + len;
    }
    i += len;
  }
  // Views, not copies: the offsets are read right away by the tokenizer, and copying them per comment
  // showed up as garbage-collection time in profiles. The next call overwrites them.
  return { text: decode(m), from: fromBuf.subarray(0, m), to: toBuf.subarray(0, m) };
}
