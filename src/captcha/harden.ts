import { glyphOutline } from './glyphs';
import { Contour, Matrix, multiply, reverseContour, Seg, signedArea, splitSeg, toCubic, transformContour } from './outline';
import { PathWriter } from './path-writer';
import { below, between, rnd, shuffle } from './random';

/** Image size and look; the defaults keep five characters large and dark on a light background. */
export interface HardenOptions {
  /** @defaultValue 200 */
  width?: number;
  /** @defaultValue 70 */
  height?: number;
  /** Em size in px before per-glyph scaling. @defaultValue 64 */
  fontSize?: number;
}

/**
 * Coordinates are written as integers in a viewBox twice the pixel size: 0.5 px precision, short output (the image
 * is sent with every captcha, and socket writes dominate issuance time), and integer formatting is much cheaper than
 * toFixed().
 */
const K = 2;

/**
 * Draws `text` so that the SVG source says nothing about it: there is no element per character; each glyph's
 * contours are transformed at random (rotation, skew, scale, baseline), every segment is re-cut and re-encoded at
 * random (lines as split lines, quadratics or cubics; curves split at random points, raised to cubics; absolute or
 * relative commands; random start point), and the contours of all glyphs are shuffled together with filled noise
 * bands into a few paths. Thin stroked curves in other colours cross the text as well. What stays constant is only
 * the rendered shape, which is what a person reads.
 */
export function hardenedSvg(text: string, opts: HardenOptions = {}): string {
  const W = opts.width ?? 200;
  const H = opts.height ?? 70;
  const size = opts.fontSize ?? 64;
  const groups = 2 + below(2);
  const fills: Contour[][] = Array.from({ length: groups }, () => []);
  const colours = Array.from({ length: groups }, () => darkColour());

  // Slots a little narrower than the glyphs, so that neighbours touch: a person still tells them apart, while OCR
  // has to segment joined shapes.
  const slot = (W - 16) / text.length;
  let winding: 1 | -1 = 1;
  for (let i = 0; i < text.length; i++) {
    const g = glyphOutline(text[i]);
    winding = g.winding;
    const s = size * between(0.88, 1.12);
    const m = affine(
      W / 2 + slot * (i + 0.5 - text.length / 2) * 0.9 + between(-0.08, 0.08) * slot,
      H / 2 + between(-0.07, 0.07) * H,
      between(-0.35, 0.35), between(-0.25, 0.25),
      // Keep wide glyphs (M, W) inside their slot so that neighbours overlap only a little, and tall ones inside the
      // image.
      Math.min(s * between(0.85, 1.15), (slot * 1.25) / Math.max(g.width, 0.3)),
      Math.min(s * between(0.9, 1.1), (H * 0.8) / Math.max(g.height, 0.3)),
    );
    // Each glyph's contours stay in one path, so that the nonzero fill still cuts out its counters (holes).
    const target = fills[i < groups ? i : below(groups)];
    for (const c of g.contours) target.push(transformContour(c, m));
  }
  for (let i = 0; i < 2; i++) {
    const band = noiseBand(W, H, between(1.2, 1.8));
    fills[below(groups)].push(signedArea(band) * winding >= 0 ? band : reverseContour(band));
  }

  const parts: string[] = [];
  for (let g = 0; g < groups; g++) {
    const d = pathData(shuffle(fills[g]).map((c) => ({ c })));
    // The outline is stroked too, in the same colour, so the font's thin double outlines read as bold letters.
    parts.push(`<path fill="${colours[g]}" stroke="${colours[g]}" stroke-width="${K}" d="${d}"/>`);
  }
  for (let i = 0, n = 1 + below(2); i < n; i++) {
    const p = crossing(W, H);
    const curve: Contour = [{ t: 'C', x1: p[1][0], y1: p[1][1], x2: p[2][0], y2: p[2][1], x: p[3][0], y: p[3][1] }];
    // A structural solver can drop these (fill none); they are there for OCR, which has to see past them.
    const d = pathData([{ c: curve, openFrom: { x: p[0][0], y: p[0][1] } }]);
    parts.push(`<path fill="none" stroke="${midColour()}" stroke-width="${(between(1, 1.5) * K) | 0}" d="${d}"/>`);
  }
  shuffle(parts);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W * K} ${H * K}">` +
    `<rect width="100%" height="100%" fill="${lightColour()}"/>${parts.join('')}</svg>`
  );
}

function affine(tx: number, ty: number, angle: number, skew: number, sx: number, sy: number): Matrix {
  const cos = Math.cos(angle), sin = Math.sin(angle);
  const place: Matrix = [cos * K, sin * K, -sin * K, cos * K, tx * K, ty * K];
  return multiply(multiply(place, [1, 0, skew, 1, 0, 0]), [sx, 0, 0, sy, 0, 0]);
}

/** Re-cuts each segment at random, exactly preserving the drawn shape, so that command sequences vary per image. */
function recut(c: Contour, openFrom?: { x: number; y: number }): Seg[] {
  const out: Seg[] = [];
  let px = openFrom?.x ?? c[c.length - 1].x, py = openFrom?.y ?? c[c.length - 1].y;
  for (const s of c) {
    const r = rnd();
    if (r < 0.2) {
      const [a, b] = splitSeg(px, py, s, between(0.3, 0.7));
      out.push(rnd() < 0.7 ? a : toCubic(px, py, a), rnd() < 0.7 ? b : toCubic(a.x, a.y, b));
    } else if (r < 0.4 && s.t !== 'C') {
      out.push(toCubic(px, py, s));
    } else if (r < 0.5 && s.t === 'L') {
      const t = between(0.25, 0.75);
      out.push({ t: 'Q', x1: px + (s.x - px) * t, y1: py + (s.y - py) * t, x: s.x, y: s.y });
    } else {
      out.push(s);
    }
    px = s.x;
    py = s.y;
  }
  return out;
}

/** SVG path data for a contour, starting at a random segment, with absolute and relative commands mixed. */
function encodeContour(w: PathWriter, contour: Contour, openFrom?: { x: number; y: number }): void {
  const open = openFrom !== undefined;
  const segs = recut(contour, openFrom);
  const start = open ? 0 : below(segs.length);
  const n = segs.length;
  const from = openFrom ?? segs[(start + n - 1) % n];
  let x = Math.round(from.x), y = Math.round(from.y);
  w.ch(77); // M
  w.pair(x, y);
  const last = open || segs[(start + n - 1) % n].t !== 'L' || rnd() < 0.5 ? n : n - 1;
  for (let k = 0; k < last; k++) {
    const s = segs[(start + k) % n];
    const nx = Math.round(s.x), ny = Math.round(s.y);
    // Mostly relative: small numbers are short.
    const rel = rnd() < 0.75;
    const ox = rel ? x : 0, oy = rel ? y : 0;
    if (s.t === 'L') {
      w.ch(rel ? 108 : 76); // l L
      w.pair(nx - ox, ny - oy);
    } else if (s.t === 'Q') {
      w.ch(rel ? 113 : 81); // q Q
      w.pair(Math.round(s.x1) - ox, Math.round(s.y1) - oy);
      w.sep(nx - ox);
      w.pair(nx - ox, ny - oy);
    } else {
      w.ch(rel ? 99 : 67); // c C
      w.pair(Math.round(s.x1) - ox, Math.round(s.y1) - oy);
      w.sep(Math.round(s.x2) - ox);
      w.pair(Math.round(s.x2) - ox, Math.round(s.y2) - oy);
      w.sep(nx - ox);
      w.pair(nx - ox, ny - oy);
    }
    x = nx;
    y = ny;
  }
  if (!open) w.ch(rnd() < 0.5 ? 90 : 122); // Z z
}

/** Path data of the contours given, one after the other. */
function pathData(contours: Array<{ c: Contour; openFrom?: { x: number; y: number } }>): string {
  writer.reset();
  for (const { c, openFrom } of contours) encodeContour(writer, c, openFrom);
  return writer.toString();
}
const writer = new PathWriter();

/** A cubic from the left edge to the right edge, in viewBox units, through the text band. */
function crossing(W: number, H: number): [number, number][] {
  return [
    [between(0, 20), between(0.2, 0.8) * H],
    [between(0.25, 0.45) * W, between(0, 1) * H],
    [between(0.55, 0.75) * W, between(0, 1) * H],
    [W - between(0, 20), between(0.2, 0.8) * H],
  ].map(([a, b]) => [a * K, b * K] as [number, number]);
}

function cubicAt(p: [number, number][], t: number): [number, number] {
  const u = 1 - t;
  return [
    u * u * u * p[0][0] + 3 * u * u * t * p[1][0] + 3 * u * t * t * p[2][0] + t * t * t * p[3][0],
    u * u * u * p[0][1] + 3 * u * u * t * p[1][1] + 3 * u * t * t * p[2][1] + t * t * t * p[3][1],
  ];
}

/** A thin filled band along a crossing curve; filled like the letters, so the source cannot tell it from a glyph. */
function noiseBand(W: number, H: number, widthPx: number): Contour {
  const p = crossing(W, H);
  const steps = 10 + below(6);
  const upper: Seg[] = [], lower: Seg[] = [];
  for (let i = 0; i <= steps; i++) {
    const t = i / steps;
    const [x, y] = cubicAt(p, t);
    const [x2, y2] = cubicAt(p, Math.min(1, t + 0.01));
    const [x1, y1] = cubicAt(p, Math.max(0, t - 0.01));
    const len = Math.hypot(x2 - x1, y2 - y1) || 1;
    const half = ((widthPx * K) / 2) * (0.7 + 0.6 * Math.sin(t * Math.PI));
    const nx = (-(y2 - y1) / len) * half, ny = ((x2 - x1) / len) * half;
    upper.push({ t: 'L', x: x + nx, y: y + ny });
    lower.unshift({ t: 'L', x: x - nx, y: y - ny });
  }
  return [...upper, ...lower];
}

function hsl(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return '#' + ((1 << 24) | (f(0) << 16) | (f(8) << 8) | f(4)).toString(16).slice(1);
}

/** WCAG relative luminance of #rrggbb. */
export function luminance(hex: string): number {
  const ch = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * ch(0) + 0.7152 * ch(1) + 0.0722 * ch(2);
}

/**
 * Letter colours have a relative luminance of at most 0.06 and backgrounds at least 0.8, so the contrast ratio is at
 * least 7.7:1, above WCAG's 7:1 for AAA text, whatever the hues.
 */
function darkColour(): string {
  const h = between(0, 360), s = between(0.45, 0.75);
  for (let l = between(0.2, 0.34); ; l -= 0.03) {
    const c = hsl(h, s, l);
    if (luminance(c) <= 0.06) return c;
  }
}

const midColour = () => hsl(between(0, 360), between(0.4, 0.7), between(0.3, 0.45));
function lightColour(): string {
  const h = between(0, 360), s = between(0.3, 0.6);
  for (let l = between(0.93, 0.97); ; l += 0.01) {
    const c = hsl(h, s, Math.min(l, 1));
    if (luminance(c) >= 0.8) return c;
  }
}

