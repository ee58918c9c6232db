/**
 * Builds SVG path data as ASCII bytes. Every captcha writes about a thousand integers; writing their digits into one
 * buffer instead of concatenating a small string per number made the renderer measurably faster
 * (`node scripts/run-ts.js bench/captcha.ts` times the renderer alone). The output is byte for byte what the string version wrote.
 */
export class PathWriter {
  private buf = Buffer.allocUnsafe(1 << 15);
  private n = 0;

  reset(): void {
    this.n = 0;
  }

  /** One ASCII character, by code. */
  ch(code: number): void {
    if (this.n + 1 > this.buf.length) this.grow();
    this.buf[this.n++] = code;
  }

  /** An integer in decimal; -0 is written as 0, as `${-0}` is. */
  int(v: number): void {
    if (this.n + 24 > this.buf.length) this.grow();
    const b = this.buf;
    if (v < 0) {
      b[this.n++] = 45;
      v = -v;
    }
    if (v < 10) {
      b[this.n++] = 48 + v;
      return;
    }
    let start = this.n;
    while (v > 0) {
      const q = Math.floor(v / 10);
      b[this.n++] = 48 + (v - q * 10);
      v = q;
    }
    for (let end = this.n - 1; start < end; start++, end--) {
      const t = b[start];
      b[start] = b[end];
      b[end] = t;
    }
  }

  /** "a b", with the space left out before a minus sign, as SVG path syntax allows. */
  pair(a: number, b: number): void {
    this.int(a);
    if (!(b < 0)) this.ch(32);
    this.int(b);
  }

  /** The separator before `next`: a space unless it starts with a minus sign. */
  sep(next: number): void {
    if (!(next < 0)) this.ch(32);
  }

  toString(): string {
    return this.buf.toString('latin1', 0, this.n);
  }

  private grow(): void {
    const bigger = Buffer.allocUnsafe(this.buf.length * 2);
    this.buf.copy(bigger, 0, 0, this.n);
    this.buf = bigger;
  }
}
