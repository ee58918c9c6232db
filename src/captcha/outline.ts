/**
 * Outline geometry for the hardened renderer: closed contours of straight, quadratic and cubic segments, with the
 * affine transforms and curve splits the renderer applies at random. Pure functions, no randomness of their own.
 */

/** A segment ends at (x, y); it starts where the previous segment of its contour ended. */
export type Seg =
  | { t: 'L'; x: number; y: number }
  | { t: 'Q'; x1: number; y1: number; x: number; y: number }
  | { t: 'C'; x1: number; y1: number; x2: number; y2: number; x: number; y: number };

/** A closed contour: it starts (and ends) at the end point of its last segment. */
export type Contour = Seg[];

/** [a, b, c, d, e, f] maps (x, y) to (a x + c y + e, b x + d y + f), as in SVG's matrix(). */
export type Matrix = [number, number, number, number, number, number];

export function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[2] * n[1], m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3], m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4], m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

export function transformContour(c: Contour, m: Matrix): Contour {
  const X = (x: number, y: number) => m[0] * x + m[2] * y + m[4];
  const Y = (x: number, y: number) => m[1] * x + m[3] * y + m[5];
  return c.map((s): Seg => {
    if (s.t === 'L') return { t: 'L', x: X(s.x, s.y), y: Y(s.x, s.y) };
    if (s.t === 'Q') return { t: 'Q', x1: X(s.x1, s.y1), y1: Y(s.x1, s.y1), x: X(s.x, s.y), y: Y(s.x, s.y) };
    return { t: 'C', x1: X(s.x1, s.y1), y1: Y(s.x1, s.y1), x2: X(s.x2, s.y2), y2: Y(s.x2, s.y2), x: X(s.x, s.y), y: Y(s.x, s.y) };
  });
}

/** Twice the signed area of the polygon through the segment end points; its sign is the contour's winding. */
export function signedArea(c: Contour): number {
  let a = 0;
  let px = c[c.length - 1].x;
  let py = c[c.length - 1].y;
  for (const s of c) {
    a += px * s.y - s.x * py;
    px = s.x;
    py = s.y;
  }
  return a;
}

/** The same outline traversed the other way. */
export function reverseContour(c: Contour): Contour {
  const out: Contour = [];
  for (let i = c.length - 1; i >= 0; i--) {
    const s = c[i];
    const prev = c[(i - 1 + c.length) % c.length];
    if (s.t === 'L') out.push({ t: 'L', x: prev.x, y: prev.y });
    else if (s.t === 'Q') out.push({ t: 'Q', x1: s.x1, y1: s.y1, x: prev.x, y: prev.y });
    else out.push({ t: 'C', x1: s.x2, y1: s.y2, x2: s.x1, y2: s.y1, x: prev.x, y: prev.y });
  }
  return out;
}

const lerp = (a: number, b: number, t: number) => a + (b - a) * t;

/** Splits a segment starting at (x0, y0) at parameter t into two segments of the same kind that trace it exactly. */
export function splitSeg(x0: number, y0: number, s: Seg, t: number): [Seg, Seg] {
  if (s.t === 'L') return [{ t: 'L', x: lerp(x0, s.x, t), y: lerp(y0, s.y, t) }, s];
  if (s.t === 'Q') {
    const ax = lerp(x0, s.x1, t), ay = lerp(y0, s.y1, t);
    const bx = lerp(s.x1, s.x, t), by = lerp(s.y1, s.y, t);
    return [{ t: 'Q', x1: ax, y1: ay, x: lerp(ax, bx, t), y: lerp(ay, by, t) }, { t: 'Q', x1: bx, y1: by, x: s.x, y: s.y }];
  }
  const ax = lerp(x0, s.x1, t), ay = lerp(y0, s.y1, t);
  const bx = lerp(s.x1, s.x2, t), by = lerp(s.y1, s.y2, t);
  const cx = lerp(s.x2, s.x, t), cy = lerp(s.y2, s.y, t);
  const dx = lerp(ax, bx, t), dy = lerp(ay, by, t);
  const ex = lerp(bx, cx, t), ey = lerp(by, cy, t);
  const mx = lerp(dx, ex, t), my = lerp(dy, ey, t);
  return [
    { t: 'C', x1: ax, y1: ay, x2: dx, y2: dy, x: mx, y: my },
    { t: 'C', x1: ex, y1: ey, x2: cx, y2: cy, x: s.x, y: s.y },
  ];
}

/** The cubic that traces a quadratic or a line exactly (degree elevation). */
export function toCubic(x0: number, y0: number, s: Seg): Seg {
  if (s.t === 'C') return s;
  if (s.t === 'Q') {
    return {
      t: 'C', x1: x0 + (2 / 3) * (s.x1 - x0), y1: y0 + (2 / 3) * (s.y1 - y0),
      x2: s.x + (2 / 3) * (s.x1 - s.x), y2: s.y + (2 / 3) * (s.y1 - s.y), x: s.x, y: s.y,
    };
  }
  return { t: 'C', x1: lerp(x0, s.x, 1 / 3), y1: lerp(y0, s.y, 1 / 3), x2: lerp(x0, s.x, 2 / 3), y2: lerp(y0, s.y, 2 / 3), x: s.x, y: s.y };
}

/** Bounding box of the segment end and control points. */
export function bounds(contours: Contour[]): { minX: number; minY: number; maxX: number; maxY: number } {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const c of contours) {
    for (const s of c) {
      if (s.x < minX) minX = s.x;
      if (s.x > maxX) maxX = s.x;
      if (s.y < minY) minY = s.y;
      if (s.y > maxY) maxY = s.y;
    }
  }
  return { minX, minY, maxX, maxY };
}
