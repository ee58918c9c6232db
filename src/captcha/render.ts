import svgCaptcha from 'svg-captcha';

/** A captcha image and its answer. */
export interface RenderedCaptcha {
  svg: string;
  answer: string;
}

/**
 * Draws a text captcha. svg-captcha 1.4's createMathExpr() throws without an options object, so options are always
 * passed explicitly.
 */
export function renderCaptcha(): RenderedCaptcha {
  const c = svgCaptcha.create({ size: 5, noise: 3, color: true, ignoreChars: '0oO1lIi', width: 180, height: 60 });
  return { svg: c.data, answer: c.text };
}
