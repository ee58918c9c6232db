import svgCaptcha from 'svg-captcha';
import { bounds, Contour, Seg, signedArea } from './outline';

/** A character's outline in em units (y down), centred on its bounding box, with zero-length segments removed. */
export interface GlyphOutline {
  contours: Contour[];
  /** Width and height of the bounding box, in em. */
  width: number;
  height: number;
  /** Sign of the outer contours' winding, so noise can be wound the same way and merge with the letters. */
  winding: 1 | -1;
}

interface PathCommand { type: string; x?: number; y?: number; x1?: number; y1?: number; x2?: number; y2?: number }
interface Font { charToGlyph(ch: string): { getPath(x: number, y: number, size: number): { commands: PathCommand[] } } }

const cache = new Map<string, GlyphOutline>();

/**
 * The outline of `ch` in the font svg-captcha ships (Comismsh), read once per character. svg-captcha's own
 * text-to-path adds Math.random jitter on every call; the raw outline is taken here and all randomness is added by
 * the hardened renderer.
 */
export function glyphOutline(ch: string): GlyphOutline {
  let g = cache.get(ch);
  if (!g) {
    g = readGlyph((svgCaptcha.options as unknown as { font: Font }).font, ch);
    cache.set(ch, g);
  }
  return g;
}

const EPS = 1e-6;
/** Straight segments shorter than this (in em; about 0.7 px at the drawn size) are folded into the next one. */
const TINY = 0.011;

function readGlyph(font: Font, ch: string): GlyphOutline {
  const contours: Contour[] = [];
  let current: Seg[] = [];
  let sx = 0, sy = 0, px = 0, py = 0;
  const close = () => {
    if (current.length && (Math.abs(px - sx) > EPS || Math.abs(py - sy) > EPS)) current.push({ t: 'L', x: sx, y: sy });
    if (current.length >= 2) contours.push(current);
    current = [];
  };
  for (const c of font.charToGlyph(ch).getPath(0, 0, 1).commands) {
    if (c.type === 'M') {
      close();
      sx = px = c.x!;
      sy = py = c.y!;
      continue;
    }
    if (c.type === 'Z') {
      close();
      px = sx;
      py = sy;
      continue;
    }
    const degenerate = Math.abs(c.x! - px) < EPS && Math.abs(c.y! - py) < EPS;
    // The font's outlines are full of tiny connecting lines that add bytes and nothing a reader can see.
    if (c.type === 'L' && Math.hypot(c.x! - px, c.y! - py) < TINY) continue;
    if (c.type === 'L' && !degenerate) current.push({ t: 'L', x: c.x!, y: c.y! });
    else if (c.type === 'Q' && !(degenerate && Math.abs(c.x1! - px) < EPS && Math.abs(c.y1! - py) < EPS)) {
      current.push({ t: 'Q', x1: c.x1!, y1: c.y1!, x: c.x!, y: c.y! });
    } else if (c.type === 'C' && !degenerate) {
      current.push({ t: 'C', x1: c.x1!, y1: c.y1!, x2: c.x2!, y2: c.y2!, x: c.x!, y: c.y! });
    }
    px = c.x!;
    py = c.y!;
  }
  close();
  const b = bounds(contours);
  const cx = (b.minX + b.maxX) / 2, cy = (b.minY + b.maxY) / 2;
  const centred = contours.map((c) =>
    c.map((s): Seg => {
      if (s.t === 'L') return { t: 'L', x: s.x - cx, y: s.y - cy };
      if (s.t === 'Q') return { t: 'Q', x1: s.x1 - cx, y1: s.y1 - cy, x: s.x - cx, y: s.y - cy };
      return { t: 'C', x1: s.x1 - cx, y1: s.y1 - cy, x2: s.x2 - cx, y2: s.y2 - cy, x: s.x - cx, y: s.y - cy };
    }),
  );
  const outer = centred.reduce((a, c) => (Math.abs(signedArea(c)) > Math.abs(signedArea(a)) ? c : a), centred[0]);
  return { contours: centred, width: b.maxX - b.minX, height: b.maxY - b.minY, winding: signedArea(outer) >= 0 ? 1 : -1 };
}
