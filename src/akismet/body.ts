import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import express, { type RequestHandler } from 'express';

/**
 * Akismet request bodies. Akismet documents form bodies (WordPress sends `charset=<blog charset>`, which is
 * windows-1252 or ISO-8859-1 on older blogs); some clients (Coral's submit-spam/ham) post JSON. Both arrive here as
 * raw bytes and become one flat map of field to string, with the query string's fields under them (the key-usage
 * endpoints are GETs with query parameters). Every field is capped, so nothing downstream sees more than it can
 * handle in linear time.
 */

/** The longest field value, in characters: the same cap as a comment body on /v1/comments. */
export const MAX_FIELD_CHARS = 10000;
/** At most this many fields per request (body-parser's default), so a body cannot be a million empty fields. */
export const MAX_FIELDS = 1000;
const MAX_NAME_CHARS = 200;
/** The whole body, before any decoding. */
export const MAX_BODY = '64kb';

export const ACCEPTED = 'Send application/x-www-form-urlencoded (charset UTF-8, windows-1252, ISO-8859-1 or another ASCII-compatible charset named in Content-Type) or application/json in UTF-8.';

/** A refusal of the request body, answered by the routes in Akismet's style (text body, X-akismet-debug-help). */
export class AkismetBodyError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export type Fields = Record<string, string>;

/** A map without a prototype, so field names such as `constructor` or `__proto__` are only ever own data. */
export function emptyFields(): Fields {
  return Object.create(null) as Fields;
}

/** Reads the body as bytes (any content type, gzip/deflate/br undone, 64 KB at most), skipping the JSON parser. */
export const rawBody: RequestHandler = express.raw({ type: () => true, limit: MAX_BODY });

function put(out: Fields, count: { n: number }, name: string, value: string): void {
  if (++count.n > MAX_FIELDS) throw new AkismetBodyError(413, `Too many fields: at most ${MAX_FIELDS}.`);
  if (name.length > MAX_NAME_CHARS) throw new AkismetBodyError(400, `A field name is longer than ${MAX_NAME_CHARS} characters.`);
  if (value.length > MAX_FIELD_CHARS) throw new AkismetBodyError(413, `Field too long: "${name}" has ${value.length} characters, at most ${MAX_FIELD_CHARS}.`);
  // A repeated field keeps its first value: PHP keeps the last, but neither is more right, and the first is cheaper.
  if (!Object.hasOwn(out, name)) out[name] = value;
}

/** Percent-decoding to bytes (then the charset makes text of them), `+` as space; a stray `%` is kept as it is. */
function percentBytes(s: string): Buffer {
  const out = Buffer.allocUnsafe(s.length);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25 && i + 2 < s.length && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2))) {
      out[n++] = parseInt(s.slice(i + 1, i + 3), 16);
      i += 2;
    } else if (c === 0x2b) out[n++] = 0x20;
    else if (c < 0x80) out[n++] = c;
    else {
      // Raw non-ASCII bytes were read as latin1 below, so each char is one original byte.
      out[n++] = c & 0xff;
    }
  }
  return out.subarray(0, n);
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/**
 * windows-1252's bytes 0x80-0x9F (curly quotes, dashes, the euro sign...). Node's TextDecoder decodes the label as
 * ISO-8859-1 and gives C1 control characters for them, so they are mapped here; the undefined five stay as they are.
 */
const CP1252_HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f'
  + '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decode(decoder: TextDecoder, bytes: Buffer): string {
  const text = decoder.decode(bytes);
  if (decoder.encoding !== 'windows-1252') return text;
  return text.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
}

/** A decoder for the charset a form body names, or a 415 for one whose bytes are not ASCII-compatible. */
function decoderFor(charset: string | undefined): TextDecoder {
  const name = charset?.trim().replace(/^"|"$/g, '') || 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(name, { fatal: true });
  } catch {
    throw new AkismetBodyError(415, `Unsupported charset "${name.slice(0, 40)}". ${ACCEPTED}`);
  }
  // UTF-16 cannot carry a form body: its percent-escapes and separators are not single bytes.
  if (decoder.encoding.startsWith('utf-16')) throw new AkismetBodyError(415, `Unsupported charset "${name.slice(0, 40)}". ${ACCEPTED}`);
  return decoder;
}

/** Parses `a=b&c=d` whose escaped bytes are text in `decoder`'s charset. Linear in the input. */
export function parseForm(raw: string, decoder: TextDecoder, out: Fields, count = { n: 0 }): Fields {
  if (!raw) return out;
  for (const pair of raw.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    let name: string;
    let value: string;
    try {
      name = decode(decoder, percentBytes(rawName));
      value = decode(decoder, percentBytes(rawValue));
    } catch {
      throw new AkismetBodyError(400, `A field is not valid ${decoder.encoding} text.`);
    }
    put(out, count, name, value);
  }
  return out;
}

function parseJson(body: Buffer, out: Fields): Fields {
  if (!isUtf8(body)) throw new AkismetBodyError(400, 'The JSON body is not valid UTF-8.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new AkismetBodyError(400, 'The body is not valid JSON.');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new AkismetBodyError(400, 'The JSON body must be an object of Akismet fields.');
  const count = { n: 0 };
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof v === 'string') put(out, count, k, v);
    else if (typeof v === 'number' || typeof v === 'boolean') put(out, count, k, String(v));
    else if (v !== null) throw new AkismetBodyError(400, `Field "${k.slice(0, 40)}" must be a string, number or boolean.`);
  }
  return out;
}

/**
 * The request's fields: the body's (form in its charset, or JSON) over the query string's (always UTF-8). Throws
 * AkismetBodyError for anything else, saying what is accepted.
 */
export function fieldsOf(contentType: string | undefined, body: unknown, query: string): Fields {
  const bodyFields = emptyFields();
  const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
  if (bytes.length) {
    const [type, ...params] = (contentType ?? 'application/x-www-form-urlencoded').split(';');
    const mime = type.trim().toLowerCase();
    const charset = params.map((p) => p.trim()).find((p) => p.toLowerCase().startsWith('charset='))?.slice(8);
    if (mime === 'application/json' || mime.endsWith('+json')) {
      if (charset && !/^"?utf-?8"?$/i.test(charset.trim())) throw new AkismetBodyError(415, `JSON must be UTF-8, not ${charset.slice(0, 40)}. ${ACCEPTED}`);
      parseJson(bytes, bodyFields);
    } else if (mime === 'application/x-www-form-urlencoded') {
      parseForm(bytes.toString('latin1'), decoderFor(charset), bodyFields);
    } else {
      throw new AkismetBodyError(415, `Unsupported Content-Type "${mime.slice(0, 60)}". ${ACCEPTED}`);
    }
  }
  const out = parseForm(query, decoderFor('utf-8'), emptyFields());
  for (const [k, v] of Object.entries(bodyFields)) out[k] = v;
  return out;
}
