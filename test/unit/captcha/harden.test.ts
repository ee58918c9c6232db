import { hardenedSvg, luminance } from '../../../src/captcha/harden';
import { CAPTCHA_CHARSET, captchaText, renderCaptcha } from '../../../src/captcha/render';
import { filledPaths } from './path-signature-solver';

const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

describe('hardened captcha renderer', () => {
  it('when drawing, then there is no path per character: glyphs and noise share 2-3 filled paths', () => {
    for (let i = 0; i < 50; i++) {
      const { svg, answer } = renderCaptcha();
      const filled = filledPaths(svg);
      expect(filled.length).toBeGreaterThanOrEqual(2);
      expect(filled.length).toBeLessThanOrEqual(3);
      expect(filled.length).toBeLessThan(answer.length);
    }
  });

  it('when drawing the same text twice, then the path data differ entirely', () => {
    const a = filledPaths(hardenedSvg('ACEFH')).flatMap((p) => p.contours.map((c) => c.sig));
    const b = new Set(filledPaths(hardenedSvg('ACEFH')).flatMap((p) => p.contours.map((c) => c.sig)));
    const shared = a.filter((s) => b.has(s) && s.length > 6).length;
    expect(shared / a.length).toBeLessThan(0.1);
  });

  it('when choosing text, then only unambiguous characters are used (no 0/O, 1/l/I)', () => {
    expect(CAPTCHA_CHARSET).not.toMatch(/[0oO1lIi]/);
    const seen = new Set<string>();
    for (let i = 0; i < 400; i++) for (const ch of captchaText()) seen.add(ch);
    expect([...seen].sort().join('')).toBe([...CAPTCHA_CHARSET].sort().join(''));
    expect(captchaText()).toHaveLength(5);
  });

  it('when Math.random is unavailable, then captchas are still drawn (randomness comes from node:crypto)', () => {
    const spy = jest.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random must not be used');
    });
    try {
      expect(renderCaptcha().svg).toMatch(/^<svg /);
    } finally {
      spy.mockRestore();
    }
  });

  it('when drawing, then letters contrast with the background at 7:1 or more', () => {
    for (let i = 0; i < 500; i++) {
      const { svg } = renderCaptcha();
      const bg = svg.match(/<rect [^>]*fill="(#[0-9a-f]{6})"/)![1];
      for (const m of svg.matchAll(/<path fill="(#[0-9a-f]{6})"/g)) expect(contrast(m[1], bg)).toBeGreaterThanOrEqual(7);
    }
  });

  it('when drawing, then the image is 200x70 px and every coordinate stays a finite number', () => {
    const { svg } = renderCaptcha();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="200" height="70" viewBox="0 0 400 140">/);
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  });
});
