import svgCaptcha from 'svg-captcha';

/**
 * A bot that knows svg-captcha learns the sequence of path commands each character is drawn
 * with (svg-captcha jitters the coordinates but never the commands) and reads captchas by looking the sequences up.
 * It is made as strong as is cheap: it also matches single contours, normalises relative commands, and knows the
 * charset.
 */
export interface Solver {
  solve(svg: string): string;
}

interface Contour { sig: string; x: number }
interface FilledPath { sig: string; x: number; contours: Contour[] }

/** Parses every filled <path> into its command signature (upper case, no Z) and the x of each contour's start, in px. */
export function filledPaths(svg: string): FilledPath[] {
  const width = Number(svg.match(/<svg[^>]*\swidth="([\d.]+)"/)?.[1] ?? 1);
  const vb = svg.match(/viewBox="[\d.\s,-]*?([\d.]+)[\s,]+[\d.]+"/);
  const scale = vb ? width / Number(vb[1]) : 1;
  const out: FilledPath[] = [];
  for (const m of svg.matchAll(/<path([^>]*)\/>/g)) {
    const attrs = m[1];
    const fill = attrs.match(/fill="([^"]*)"/)?.[1];
    const d = attrs.match(/\sd="([^"]*)"/)?.[1];
    if (!d || !fill || fill === 'none') continue;
    const contours: Contour[] = [];
    let cx = 0, cy = 0;
    for (const cmd of d.matchAll(/([MLQCZmlqcz])([^MLQCZmlqcz]*)/g)) {
      const letter = cmd[1];
      const nums = (cmd[2].match(/-?\d*\.?\d+(?:e[-+]?\d+)?/g) ?? []).map(Number);
      const rel = letter === letter.toLowerCase();
      const L = letter.toUpperCase();
      if (L === 'Z') continue;
      const nx = nums[nums.length - 2], ny = nums[nums.length - 1];
      const ax = rel ? cx + nx : nx, ay = rel ? cy + ny : ny;
      if (L === 'M') contours.push({ sig: '', x: ax * scale });
      contours[contours.length - 1].sig += L;
      cx = ax;
      cy = ay;
    }
    if (contours.length) out.push({ sig: contours.map((c) => c.sig).join(''), x: contours[0].x, contours });
  }
  return out;
}

export const PLAIN_OPTIONS = { size: 5, noise: 3, color: true, ignoreChars: '0oO1lIi', width: 180, height: 60 };

/** Learns the signatures from plain svg-captcha, `samples` renderings per character. */
export function learnSolver(charset: string, samples = 3): Solver {
  const whole = new Map<string, string>();
  const contourVotes = new Map<string, Set<string>>();
  for (const ch of charset) {
    for (let i = 0; i < samples; i++) {
      const svg = (svgCaptcha as unknown as (text: string, o: object) => string)(ch, { ...PLAIN_OPTIONS, noise: 0 });
      for (const p of filledPaths(svg)) {
        whole.set(p.sig, ch.toLowerCase());
        for (const c of p.contours) {
          const set = contourVotes.get(c.sig) ?? new Set<string>();
          set.add(ch.toLowerCase());
          contourVotes.set(c.sig, set);
        }
      }
    }
  }
  // A contour shape shared by several characters says nothing; only unique ones are kept.
  const contour = new Map([...contourVotes].filter(([, s]) => s.size === 1).map(([k, s]) => [k, [...s][0]]));
  return {
    solve(svg) {
      const found: Array<{ ch: string; x: number }> = [];
      for (const p of filledPaths(svg)) {
        const ch = whole.get(p.sig);
        if (ch) {
          found.push({ ch, x: p.x });
          continue;
        }
        for (const c of p.contours) {
          const cc = contour.get(c.sig);
          // Contours of one glyph start near each other; a second hit of the same letter close by is the same glyph.
          if (cc && !found.some((f) => f.ch === cc && Math.abs(f.x - c.x) < 20)) found.push({ ch: cc, x: c.x });
        }
      }
      return found.sort((a, b) => a.x - b.x).map((f) => f.ch).join('');
    },
  };
}
