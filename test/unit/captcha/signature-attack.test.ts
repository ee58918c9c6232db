import svgCaptcha from 'svg-captcha';
import { renderCaptcha } from '../../../src/captcha/render';
import { learnSolver, PLAIN_OPTIONS } from './path-signature-solver';

/** An attack that reads the SVG's structure: the path-signature solver must read plain svg-captcha and fail on Vigil's captchas. */
const N = Number(process.env.CAPTCHA_ATTACK_N ?? 300);
const solver = learnSolver('ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789');

function rate(make: () => { svg: string; answer: string }): number {
  let ok = 0;
  for (let i = 0; i < N; i++) {
    const c = make();
    if (solver.solve(c.svg) === c.answer.toLowerCase()) ok++;
  }
  return ok / N;
}

describe('path-signature solver', () => {
  it('when it reads plain svg-captcha, then it solves most of them (the attack works)', () => {
    const plain = rate(() => {
      const c = svgCaptcha.create(PLAIN_OPTIONS);
      return { svg: c.data, answer: c.text };
    });
    process.stdout.write(`path-signature solver, plain svg-captcha: ${(plain * 100).toFixed(1)}% of ${N}\n`);
    expect(plain).toBeGreaterThan(0.8);
  });

  it('when it reads Vigil captchas, then it solves under 2%', () => {
    const hardened = rate(() => renderCaptcha());
    process.stdout.write(`path-signature solver, Vigil captchas: ${(hardened * 100).toFixed(1)}% of ${N}\n`);
    expect(hardened).toBeLessThan(0.02);
  });
});
