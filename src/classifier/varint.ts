/**
 * Unsigned LEB128 varints in base64: sparse counts are mostly small integers, so this is both smaller
 * than JSON number arrays and far faster to load (Buffer.from(base64) is native; JSON.parse of
 * hundreds of thousands of numbers was most of the toxicity model's load time).
 */
export function encodeVarints(values: ArrayLike<number>): string {
  const bytes: number[] = [];
  for (let i = 0; i < values.length; i++) {
    let v = values[i];
    if (!(v >= 0) || v !== Math.floor(v)) throw new Error(`varint needs a non-negative integer, got ${v}`);
    while (v >= 0x80) {
      bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    bytes.push(v);
  }
  return Buffer.from(bytes).toString('base64');
}

/** Decodes `count` varints; throws if the data ends early or has bytes left over. */
export function decodeVarints(b64: string, count: number): Float64Array {
  const buf = Buffer.from(b64, 'base64');
  const out = new Float64Array(count);
  let p = 0;
  for (let i = 0; i < count; i++) {
    let v = 0;
    let mul = 1;
    for (;;) {
      if (p >= buf.length) throw new Error(`varint data ends after ${i} of ${count} values`);
      const byte = buf[p++];
      v += (byte & 0x7f) * mul;
      if (byte < 0x80) break;
      mul *= 0x80;
    }
    out[i] = v;
  }
  if (p !== buf.length) throw new Error(`varint data has ${buf.length - p} bytes after ${count} values`);
  return out;
}

/**
 * Reads varints one at a time from base64 text, for loaders that use each value right away (the
 * scoring table at model load) instead of materialising arrays of them.
 */
export class VarintReader {
  private readonly buf: Buffer;
  private p = 0;

  constructor(b64: string) {
    this.buf = Buffer.from(b64, 'base64');
  }

  next(): number {
    const buf = this.buf;
    if (this.p >= buf.length) throw new Error('varint data ends early');
    let byte = buf[this.p++];
    if (byte < 0x80) return byte;
    let v = byte & 0x7f;
    let mul = 0x80;
    for (;;) {
      if (this.p >= buf.length) throw new Error('varint data ends early');
      byte = buf[this.p++];
      v += (byte & 0x7f) * mul;
      if (byte < 0x80) return v;
      mul *= 0x80;
    }
  }

  /** Throws if bytes are left after the last value read. */
  end(): void {
    if (this.p !== this.buf.length) throw new Error(`varint data has ${this.buf.length - this.p} bytes after the last value`);
  }
}
