import { hardenedSvg, HardenOptions } from './harden';
import { below } from './random';

/** A captcha image and its answer. */
export interface RenderedCaptcha {
  svg: string;
  answer: string;
}

/**
 * Characters a person cannot mistake for one another in the captcha font. Answers are compared case-insensitively,
 * so a letter may appear in either case; left out are 0/O/o/Q/D, 1/l/I/i/j, 2/Z, 5/S, 6/b/G, 9/g/q, U/V/u/v, c/s/z and
 * the like, wherever one shape could be read as another.
 */
export const CAPTCHA_CHARSET = 'ACEFHJKLMNPRTWXYabdefhkmnprtwy3478';

/** @defaultValue 5 characters */
export function captchaText(size = 5): string {
  let s = '';
  for (let i = 0; i < size; i++) s += CAPTCHA_CHARSET[below(CAPTCHA_CHARSET.length)];
  return s;
}

/** Draws a hardened text captcha; the text and every random choice come from node:crypto. */
export function renderCaptcha(opts: HardenOptions & { size?: number } = {}): RenderedCaptcha {
  const answer = captchaText(opts.size);
  return { svg: hardenedSvg(answer, opts), answer };
}
