import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import svgCaptcha from 'svg-captcha';
import { CAPTCHA_CHARSET, renderCaptcha } from '../../src/captcha/render';
import { PLAIN_OPTIONS } from '../unit/captcha/path-signature-solver';

/**
 * An off-the-shelf OCR attack: rasterise with rsvg-convert (librsvg2-bin) and read with tesseract (tesseract-ocr), both as a
 * bot would use them off the shelf, and after a generic clean-up that a bot can do on any SVG captcha: drop unfilled
 * (stroked) paths, paint every filled path black with a 1.5 px outline so that outline fonts read as solid letters.
 * Rates are printed; Vigil's must stay under 5%. CAPTCHA_ATTACK_N sets the sample size per variant.
 */
const run = promisify(execFile);
const N = Number(process.env.CAPTCHA_ATTACK_N ?? 30);
const PLAIN_CHARSET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789';
/** rsvg-convert and tesseract take about 0.1-0.3 s per image on a busy machine. */
const TIMEOUT = 30000 + N * 1500;
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-ocr-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function cleanUp(svg: string): string {
  const width = Number(svg.match(/\swidth="([\d.]+)"/)![1]);
  const vb = svg.match(/viewBox="[\d.\s,-]*?([\d.]+)[\s,]+[\d.]+"/);
  const unit = vb ? Number(vb[1]) / width : 1;
  return svg
    .replace(/<path[^>]*fill="none"[^>]*\/>/g, '')
    .replace(/<path ([^>]*)\/>/g, (_m, attrs: string) => {
      const d = attrs.match(/\sd="[^"]*"/)![0];
      return `<path fill="#000" stroke="#000" stroke-width="${1.5 * unit}"${d}/>`;
    });
}

async function pool<T>(items: T[], limit: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  }));
}

/** Rasterises each SVG at 3x and reads all of them in one tesseract run (one line of text per image). */
async function ocrRate(name: string, samples: Array<{ svg: string; answer: string }>, charset: string): Promise<number> {
  const pngs = samples.map((_, i) => path.join(dir, `${name}-${i}.png`));
  await pool(samples, 4, async (s, i) => {
    const svgFile = path.join(dir, `${name}-${i}.svg`);
    fs.writeFileSync(svgFile, s.svg);
    await run('rsvg-convert', ['-z', '3', '-b', 'white', svgFile, '-o', pngs[i]]);
  });
  const list = path.join(dir, `${name}.txt`);
  fs.writeFileSync(list, pngs.join('\n') + '\n');
  const { stdout } = await run('tesseract', [list, 'stdout', '--psm', '7', '-c', `tessedit_char_whitelist=${charset}`], {
    maxBuffer: 1 << 24,
  });
  const read = stdout.split('\f').map((s) => s.replace(/\s/g, '').toLowerCase());
  const ok = samples.filter((s, i) => read[i] === s.answer.toLowerCase()).length;
  process.stdout.write(`tesseract OCR, ${name}: ${((ok / N) * 100).toFixed(1)}% of ${N}\n`);
  return ok / N;
}

const plain = () => Array.from({ length: N }, () => {
  const c = svgCaptcha.create(PLAIN_OPTIONS);
  return { svg: c.data, answer: c.text };
});
const vigil = () => Array.from({ length: N }, () => renderCaptcha());

describe('OCR attack with rsvg-convert + tesseract', () => {
  it('when tesseract reads Vigil captchas as served, then it solves under 5%', async () => {
    expect(await ocrRate('vigil', vigil(), CAPTCHA_CHARSET)).toBeLessThan(0.05);
  }, TIMEOUT);

  it('when tesseract reads Vigil captchas after the SVG clean-up, then it solves under 5%', async () => {
    const samples = vigil().map((s) => ({ ...s, svg: cleanUp(s.svg) }));
    expect(await ocrRate('vigil-cleaned', samples, CAPTCHA_CHARSET)).toBeLessThan(0.05);
  }, TIMEOUT);

  it('when tesseract reads plain svg-captcha, as served and cleaned, then the rates are reported', async () => {
    const raw = await ocrRate('plain', plain(), PLAIN_CHARSET);
    const cleaned = await ocrRate('plain-cleaned', plain().map((s) => ({ ...s, svg: cleanUp(s.svg) })), PLAIN_CHARSET);
    // The clean-up is a real attack on the plain library: it must beat reading the image as served.
    expect(cleaned).toBeGreaterThanOrEqual(raw);
  }, 2 * TIMEOUT);
});
